"""The draft marks on any rendered .docx: the bordered "DỰ THẢO" mark at the top left of the
first page, above the agency block, and a light diagonal watermark on every page.

Both live in the headers, anchored to the page, so a draft paginates exactly as the document
will when it is issued, and the body (what the checker and the review diff read) is untouched.
The watermark is Word's own form (a VML text path named PowerPlusWaterMarkObject), so Word's
"Remove watermark" and LibreOffice's watermark dialog both know it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from ..nd30 import layout
from .edit import SECTPR_ORDER, child
from .namespaces import CT, NS, PKG_REL, R_ID, R, W, w
from .package import read_members, zip_bytes
from .units import mm_to_twips, pt_to_eighths, pt_to_half_points, pt_to_twips, twips_to_mm
from .write import text as xml_text

HEADER_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
FOOTER_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
HEADER_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
FOOTER_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
WATERMARK_NAME = "PowerPlusWaterMarkObject"  # Word's name for a text watermark


@dataclass(frozen=True)
class DraftMarks:
    label: str  # the mark's text: "DỰ THẢO", "Dự thảo lần 2"
    watermark: str  # the diagonal text
    width_mm: float  # the mark's box: its text's printed width and a margin


def _mark_paragraph(label: str, x_mm: float, y_mm: float, width_mm: float) -> str:
    """The mark: a framed paragraph (w:framePr) at a fixed place on the page, with a single
    border, its text bold and centred — the form Word and LibreOffice both draw the same."""
    size = pt_to_half_points(layout.DRAFT_MARK_SIZE_PT)
    border = pt_to_eighths(layout.STAMP_BORDER_PT)
    text = xml_text(label)
    font = layout.FONT_NAME
    sides = "".join(f'<w:{side} w:val="single" w:sz="{border}" w:space="1" w:color="000000"/>'
                    for side in ("top", "left", "bottom", "right"))
    # the paragraph's text line, centred in a box of the stamp's height
    line = mm_to_twips(layout.STAMP_HEIGHT_MM) - 2 * pt_to_twips(layout.STAMP_BORDER_PT + 1)
    return (
        f'<w:p xmlns:w="{W}"><w:pPr>'
        f'<w:framePr w:w="{mm_to_twips(width_mm)}" w:h="{mm_to_twips(layout.STAMP_HEIGHT_MM)}" w:hRule="exact" '
        f'w:wrap="around" w:vAnchor="page" w:hAnchor="page" w:x="{mm_to_twips(x_mm)}" w:y="{mm_to_twips(y_mm)}"/>'
        f'<w:pBdr>{sides}</w:pBdr><w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>'
        f'<w:jc w:val="center"/></w:pPr><w:r><w:rPr>'
        f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/><w:b/><w:bCs/>'
        f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r></w:p>')


def _watermark_run(text: str, index: int) -> str:
    """Word's text watermark: grey, half transparent, at 45°, centred on the page, behind the text."""
    safe = xml_text(text)
    width, height = layout.DRAFT_WATERMARK_MM
    font = layout.FONT_NAME
    return (
        f'<w:r xmlns:w="{W}"><w:pict>'
        f'<v:shapetype xmlns:v="{NS["v"]}" id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
        'path="m@7,l@8,m@5,21600l@6,21600e" xmlns:o="urn:schemas-microsoft-com:office:office">'
        '<v:path textpathok="t" o:connecttype="custom"/><v:textpath on="t" fitshape="t"/>'
        '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
        f'<v:shape xmlns:v="{NS["v"]}" xmlns:o="urn:schemas-microsoft-com:office:office" '
        f'id="{WATERMARK_NAME}{index}" o:spid="_x0000_s{2049 + index}" type="#_x0000_t136" '
        f'style="position:absolute;margin-left:0;margin-top:0;width:{width}mm;height:{height}mm;rotation:315;'
        'z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
        'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" '
        f'fillcolor="#{layout.DRAFT_WATERMARK_COLOR}" stroked="f">'
        '<v:fill opacity=".5"/>'
        f'<v:textpath style="font-family:&quot;{font}&quot;;font-size:1pt;font-weight:bold" string="{safe}"/>'
        '</v:shape></w:pict></w:r>')


def _first_paragraph(root: etree._Element) -> etree._Element:
    """The part's first paragraph of its own text (not a frame: the watermark must not ride in one)."""
    p = next((p for p in root.findall("w:p", NS) if p.find("w:pPr/w:framePr", NS) is None), None)
    if p is None:
        p = etree.SubElement(root, w("p"))
    return p


def _append_runs(p: etree._Element, runs_xml: str) -> None:
    wrapper = etree.fromstring(f'<w:wrap xmlns:w="{W}">{runs_xml}</w:wrap>')
    for run in list(wrapper):
        p.append(run)


def _empty_part(root: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:{root} xmlns:w="{W}" xmlns:r="{R}"><w:p/></w:{root}>').encode()


class _Package:
    """The parts the marks touch: document, its relationships, the content types, headers."""

    def __init__(self, parts: dict[str, bytes]):
        self.parts = parts
        self.document = etree.fromstring(parts["word/document.xml"])
        self.rels = etree.fromstring(parts.get("word/_rels/document.xml.rels") or
                                     f'<Relationships xmlns="{PKG_REL}"/>'.encode())
        self.types = etree.fromstring(parts["[Content_Types].xml"])
        self.edited: dict[str, etree._Element] = {}

    def target(self, rel_id: str) -> str | None:
        for rel in self.rels:
            if rel.get("Id") == rel_id:
                target = rel.get("Target", "").lstrip("/")
                return target if target.startswith("word/") else f"word/{target}"
        return None

    def part(self, name: str) -> etree._Element:
        if name not in self.edited:
            self.edited[name] = etree.fromstring(self.parts[name])
        return self.edited[name]

    def add_part(self, kind: str, data: bytes) -> str:
        """A new header or footer part; returns its relationship id."""
        taken = {rel.get("Id") for rel in self.rels}
        n = 1
        while f"word/{kind}{n}.xml" in self.parts or f"word/{kind}{n}.xml" in self.edited:
            n += 1
        name = f"word/{kind}{n}.xml"
        rel_id = next(f"rIdVanthuDraft{i}" for i in range(1, 10_000) if f"rIdVanthuDraft{i}" not in taken)
        etree.SubElement(self.rels, f"{{{PKG_REL}}}Relationship", Id=rel_id,
                         Type=HEADER_TYPE if kind == "header" else FOOTER_TYPE, Target=f"{kind}{n}.xml")
        etree.SubElement(self.types, f"{{{CT}}}Override", PartName=f"/{name}",
                         ContentType=HEADER_CT if kind == "header" else FOOTER_CT)
        self.parts[name] = data
        return rel_id

    def copy_part(self, name: str, kind: str) -> str:
        """A copy of a header or footer (its own relationships too), for the first page."""
        rel_id = self.add_part(kind, etree.tostring(self.part(name), xml_declaration=True, encoding="UTF-8",
                                                   standalone=True))
        copy = self.target(rel_id)
        assert copy is not None
        rels = name.replace("word/", "word/_rels/") + ".rels"
        if rels in self.parts:
            self.parts[copy.replace("word/", "word/_rels/") + ".rels"] = self.parts[rels]
        return rel_id

    def serialise(self) -> dict[str, bytes]:
        out = dict(self.parts)

        def dump(el: etree._Element) -> bytes:
            return etree.tostring(el, xml_declaration=True, encoding="UTF-8", standalone=True)

        out["word/document.xml"] = dump(self.document)
        out["word/_rels/document.xml.rels"] = dump(self.rels)
        out["[Content_Types].xml"] = dump(self.types)
        for name, el in self.edited.items():
            out[name] = dump(el)
        return out


def _reference(sect: etree._Element, kind: str, which: str) -> etree._Element | None:
    return sect.find(f"w:{kind}Reference[@w:type='{which}']", NS)


def _add_reference(sect: etree._Element, kind: str, which: str, rel_id: str) -> None:
    ref = etree.Element(w(f"{kind}Reference"))
    ref.set(w("type"), which)
    ref.set(R_ID, rel_id)
    # references come first in a sectPr, headers before footers
    position = sum(1 for el in sect if el.tag in (w("headerReference"),) or
                   (kind == "footer" and el.tag == w("footerReference")))
    sect.insert(position, ref)


def _title_page(sect: etree._Element) -> bool:
    title = sect.find("w:titlePg", NS)
    return title is not None and title.get(w("val")) not in ("0", "false")


def _margin_mm(sect: etree._Element, side: str, default: float) -> float:
    margins = sect.find("w:pgMar", NS)
    value = margins.get(w(side)) if margins is not None else None
    return twips_to_mm(int(value)) if value and re.fullmatch(r"-?\d+", value) else default


def mark_draft(parts: dict[str, bytes], marks: DraftMarks) -> dict[str, bytes]:
    """The package's parts with the draft marks added (a new dict; `parts` is not changed)."""
    pkg = _Package(dict(parts))
    body = pkg.document.find("w:body", NS)
    sections = list(body.iter(w("sectPr"))) if body is not None else []
    if not sections:
        return parts
    first = sections[0]
    # Page 1 gets a header of its own (the mark is on page 1 only). Where page 1 showed the
    # default header and footer, it keeps showing them, copied, and gains the mark.
    if not _title_page(first):
        for kind in ("header", "footer"):
            if _reference(first, kind, "first") is None:
                shown = _reference(first, kind, "default")
                source = pkg.target(shown.get(R_ID)) if shown is not None else None
                rel_id = pkg.copy_part(source, kind) if source in pkg.parts else \
                    pkg.add_part(kind, _empty_part("hdr" if kind == "header" else "ftr"))
                _add_reference(first, kind, "first", rel_id)
        title = child(first, "titlePg", SECTPR_ORDER)
        title.attrib.pop(w("val"), None)
    elif _reference(first, "header", "first") is None:
        _add_reference(first, "header", "first", pkg.add_part("header", _empty_part("hdr")))
    if _reference(first, "header", "default") is None:
        _add_reference(first, "header", "default", pkg.add_part("header", _empty_part("hdr")))

    # A later section with a first page of its own (an appendix) would inherit section 1's
    # first-page header, and the mark with it: it gets a copy made before the mark is added.
    plain_first = pkg.target(_reference(first, "header", "first").get(R_ID))
    copy_id = None
    for sect in sections[1:]:
        if _title_page(sect) and _reference(sect, "header", "first") is None:
            copy_id = copy_id or pkg.copy_part(plain_first, "header")
            _add_reference(sect, "header", "first", copy_id)

    # The mark, in the first-page header: at the left margin, in the top margin above the text.
    left = _margin_mm(first, "left", layout.MARGINS_MM["left"])
    top = _margin_mm(first, "top", layout.MARGINS_MM["top"])
    width = marks.width_mm
    y = max(layout.DRAFT_MARK_MIN_TOP_MM, top - layout.STAMP_HEIGHT_MM - layout.DRAFT_MARK_GAP_MM)
    first_header = pkg.target(_reference(first, "header", "first").get(R_ID))
    header = pkg.part(first_header)
    header.insert(0, etree.fromstring(_mark_paragraph(marks.label, left, y, width)))

    # The watermark, in every header any page uses.
    headers = []
    for sect in sections:
        for ref in sect.findall("w:headerReference", NS):
            name = pkg.target(ref.get(R_ID))
            if name and name in pkg.parts and name not in headers:
                headers.append(name)
    for i, name in enumerate(headers, start=1):
        _append_runs(_first_paragraph(pkg.part(name)), _watermark_run(marks.watermark, i))
    return pkg.serialise()


def mark_draft_bytes(data: bytes, marks: DraftMarks) -> bytes:
    """A rendered .docx (its bytes) with the draft marks, and its core properties saying so."""
    import io

    parts = mark_draft(dict(read_members(io.BytesIO(data))), marks)
    core = parts.get("docProps/core.xml")
    if core:
        parts["docProps/core.xml"] = _content_status(core, marks.label)
    return zip_bytes(list(parts.items()))


def _content_status(core: bytes, status: str) -> bytes:
    """cp:contentStatus, the core property Word shows as "Status", set to the draft mark."""
    root = etree.fromstring(core)
    cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    element = root.find(f"{{{cp}}}contentStatus")
    if element is None:
        element = etree.SubElement(root, f"{{{cp}}}contentStatus")
    element.text = status
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
