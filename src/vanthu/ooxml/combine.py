"""One combined .docx for printing: each document a section of its own, numbered from 1.

Documents must come from one template family (the same styles); each document's headers and
footers travel with it, and a bookmark marks where each begins.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ..errors import VanthuError
from ..i18n import _
from .edit import restart_page_numbering
from .namespaces import CT, PKG_REL, R, w
from .package import DeflateStream, atomic_write, pack, read_members, zip_packed

_HF_TYPE = re.compile(r"/(header|footer)$")


class BundleError(VanthuError):
    """Documents that cannot be combined into one (other styles, nothing to combine)."""


def bookmark_name(index: int) -> str:
    """Letters and digits only: LibreOffice turns '_' into '5F' in PDF destinations."""
    return f"vanthuDoc{index + 1:05d}"


def _body_inner(body: etree._Element) -> bytes:
    """The serialized children of <w:body>, without the element's own tags."""
    xml = etree.tostring(body, encoding="UTF-8")
    start = xml.index(b">") + 1
    if xml[start - 2:start] == b"/>":  # an empty body
        return b""
    return xml[start:xml.rindex(b"</")]


def build_bundle(documents: list[Path]) -> bytes:
    """The combined package. Each document is parsed, adjusted and serialized in turn into a
    deflate stream, so memory holds one document's tree and the compressed result, not all."""
    if not documents:
        raise BundleError(_("nothing to bundle"))
    base = dict(read_members(documents[0]))
    order = [name for name, _data in read_members(documents[0])]
    styles = base.get("word/styles.xml")
    rels = etree.fromstring(base["word/_rels/document.xml.rels"])
    types = etree.fromstring(base["[Content_Types].xml"])
    # the combined document.xml: the first document's root around every document's body
    root = etree.fromstring(base["word/document.xml"])
    root_body = root.find(w("body"))
    for child in list(root_body):
        root_body.remove(child)
    marker = "vanthu-bundle-bodies"
    root_body.text = marker
    head, tail = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True).split(
        marker.encode(), 1)
    stream = DeflateStream("word/document.xml")
    stream.write(head)
    for index, path in enumerate(documents):
        members = dict(read_members(path))
        if members.get("word/styles.xml") != styles:
            raise BundleError(_("{path} uses other styles than {first}: a bundle needs documents made from one "
                                "template family").format(path=path.name, first=documents[0].name))
        document = etree.fromstring(members["word/document.xml"])
        body = document.find(w("body"))
        children = list(body)
        sect = children[-1] if children and children[-1].tag == w("sectPr") else etree.Element(w("sectPr"))
        content = [c for c in children if c is not sect]
        if index:  # bring this document's headers and footers along under new names
            doc_rels = etree.fromstring(members["word/_rels/document.xml.rels"])
            renamed = {}
            for rel in doc_rels:
                kind = _HF_TYPE.search(rel.get("Type", ""))
                if not kind:
                    continue
                new_id = f"rIdB{index}{rel.get('Id')}"
                target = f"{kind.group(1)}b{index}_{rel.get('Target').rsplit('/', 1)[-1]}"
                renamed[rel.get("Id")] = new_id
                base[f"word/{target}"] = members["word/" + rel.get("Target")]
                order.append(f"word/{target}")
                etree.SubElement(rels, f"{{{PKG_REL}}}Relationship", Id=new_id, Type=rel.get("Type"), Target=target)
                etree.SubElement(types, f"{{{CT}}}Override", PartName=f"/word/{target}",
                                 ContentType=f"application/vnd.openxmlformats-officedocument.wordprocessingml."
                                             f"{kind.group(1)}+xml")
            for element in [*content, sect]:
                for ref in element.iter(w("headerReference"), w("footerReference")):
                    old = ref.get(f"{{{R}}}id")
                    if old in renamed:
                        ref.set(f"{{{R}}}id", renamed[old])
        # the document's first section (its main text) starts again at page 1
        first_sect = next((e for c in content for e in c.iter(w("sectPr"))), sect)
        restart_page_numbering(first_sect)
        start = etree.Element(w("bookmarkStart"), {w("id"): str(index), w("name"): bookmark_name(index)})
        end = etree.Element(w("bookmarkEnd"), {w("id"): str(index)})
        first_paragraph = next((c for c in content if c.tag == w("p")), None)
        if first_paragraph is not None:
            first_paragraph.insert(1 if first_paragraph.find(w("pPr")) is not None else 0, start)
            first_paragraph.append(end)
        if sect.getparent() is body:
            body.remove(sect)
        if index < len(documents) - 1:  # its last section closes in a paragraph; the next one follows
            holder = etree.SubElement(body, w("p"))
            etree.SubElement(holder, w("pPr")).append(sect)
        else:  # the last document's section is the bundle's own
            body.append(sect)
        stream.write(_body_inner(body))
    stream.write(tail)
    base["word/_rels/document.xml.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8",
                                                          standalone=True)
    base["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
    packed = stream.finish()
    return zip_packed([packed if name == "word/document.xml" else pack(name, base[name]) for name in order])


def write_bundle(documents: list[Path], target: Path) -> None:
    atomic_write(target, build_bundle(documents))
