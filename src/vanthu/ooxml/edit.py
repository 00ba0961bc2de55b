"""Schema-ordered edits of a read document (`check --fix`, the bundle): a child created where
the schema puts it, run properties set in every font slot, texts replaced in place, and the
package written back whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from .formatting import FONT_SLOTS
from .namespaces import NS, w
from .package import atomic_write, zip_bytes
from .reader import Paragraph, WordDocument
from .units import mm_to_twips, pt_to_half_points

RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
             "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
             "w", "kern", "position", "sz", "szCs"]
SECTPR_ORDER = ["headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
                "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
                "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings"]


def child(parent: etree._Element, tag: str, order: list[str]) -> etree._Element:
    """parent's child `tag`, created in schema order if missing."""
    found = parent.find(w(tag))
    if found is not None:
        return found
    element = etree.Element(w(tag))
    rank = order.index(tag) if tag in order else len(order)
    for i, existing in enumerate(parent):
        if not isinstance(existing.tag, str):
            continue
        name = etree.QName(existing).localname
        if name in order and order.index(name) > rank:
            parent.insert(i, element)
            return element
    parent.append(element)
    return element


def restart_page_numbering(sect: etree._Element) -> None:
    """The section's pages numbered again from 1 (w:pgNumType w:start='1')."""
    child(sect, "pgNumType", SECTPR_ORDER).set(w("start"), "1")


def _set_fonts(rpr: etree._Element, font: str) -> None:
    fonts = child(rpr, "rFonts", RPR_ORDER)
    for slot in FONT_SLOTS:
        fonts.set(w(slot), font)
        fonts.attrib.pop(w(f"{slot}Theme"), None)
    fonts.attrib.pop(w("hint"), None)


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


class Editor:
    """Edits on one document; `save` writes the whole package to a new path."""

    def __init__(self, document: WordDocument):
        self.doc = document
        styles = document.parts.get("word/styles.xml")
        self.styles_root = etree.fromstring(styles) if styles else None

    def set_margin(self, section: int, side: str, mm: float) -> None:
        margins = self.doc.sections[section - 1].el.find("w:pgMar", NS)
        if margins is not None:
            margins.set(w(side), str(mm_to_twips(mm)))

    def set_fonts(self, font: str) -> None:
        """`font` in every slot: runs that name another font, the styles and the document defaults."""
        for run in self.doc.body_el.iter(w("r")):
            fonts = run.find("w:rPr/w:rFonts", NS)
            if fonts is not None and any(fonts.get(w(s)) not in (None, font) or fonts.get(w(f"{s}Theme"))
                                         for s in FONT_SLOTS):
                _set_fonts(fonts.getparent(), font)
        if self.styles_root is None:
            return
        defaults = self.styles_root.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
        if defaults is not None:
            _set_fonts(defaults, font)
        for style in self.styles_root.findall("w:style", NS):
            fonts = style.find("w:rPr/w:rFonts", NS)
            if fonts is not None:
                _set_fonts(fonts.getparent(), font)

    def set_size(self, paragraph: Paragraph, size_pt: float) -> None:
        """Every text run of the paragraph at size_pt."""
        value = str(pt_to_half_points(size_pt))
        for run in paragraph.el.iter(w("r")):
            if run.find("w:t", NS) is None:
                continue
            rpr = run.find("w:rPr", NS)
            if rpr is None:
                rpr = etree.Element(w("rPr"))
                run.insert(0, rpr)
            child(rpr, "sz", RPR_ORDER).set(w("val"), value)
            child(rpr, "szCs", RPR_ORDER).set(w("val"), value)

    def clear_colour(self, paragraph: Paragraph) -> None:
        """The paragraph's runs in the automatic colour (black): their own w:color removed."""
        for colour in paragraph.el.iter(w("color")):
            if colour.getparent().tag == w("rPr"):
                colour.getparent().remove(colour)

    def replace_text(self, paragraph: Paragraph, pattern: str, replacement: str | Callable[[re.Match], str]) -> bool:
        """Apply a regex to the text nodes of a paragraph (only where a match sits in one node)."""
        changed = False
        for t in paragraph.el.iter(w("t")):
            new = re.sub(pattern, replacement, t.text or "")
            if new != t.text:
                t.text, changed = new, True
        return changed

    def save(self, target: Path) -> None:
        parts = dict(self.doc.parts)
        parts["word/document.xml"] = _serialise(self.doc.root)
        if self.styles_root is not None:
            parts["word/styles.xml"] = _serialise(self.styles_root)
        atomic_write(target, zip_bytes(list(parts.items())))
