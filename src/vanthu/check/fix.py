"""`vanthu check --fix`: the safe repairs — margins, fonts, sizes, leading zeros.

Never touches the input file: the repaired document goes to a new path.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ..nd30 import layout
from ..nd30.dates import day_text, month_text
from ..render.docx_zip import atomic_write, zip_bytes
from ..render.units import mm_to_twips, pt_to_half_points, twips_to_mm
from .document import CheckedDocument, Paragraph
from .formatting import FONT_SLOTS, NS, w
from .rules import ELEMENT_RULES, SO_LINE

E = layout.ELEMENTS
_RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
              "w", "kern", "position", "sz", "szCs"]


def _child(parent: etree._Element, tag: str, order: list[str]) -> etree._Element:
    """parent's child tag, created in schema order if missing."""
    found = parent.find(w(tag))
    if found is not None:
        return found
    element = etree.Element(w(tag))
    rank = order.index(tag) if tag in order else len(order)
    for i, existing in enumerate(parent):
        name = etree.QName(existing).localname
        if name in order and order.index(name) > rank:
            parent.insert(i, element)
            return element
    parent.append(element)
    return element


def _set_fonts(rpr: etree._Element) -> None:
    fonts = _child(rpr, "rFonts", _RPR_ORDER)
    for slot in FONT_SLOTS:
        fonts.set(w(slot), layout.FONT_NAME)
        fonts.attrib.pop(w(f"{slot}Theme"), None)
    fonts.attrib.pop(w("hint"), None)


def _set_size(rpr: etree._Element, size: float) -> None:
    value = str(pt_to_half_points(size))
    _child(rpr, "sz", _RPR_ORDER).set(w("val"), value)
    _child(rpr, "szCs", _RPR_ORDER).set(w("val"), value)


def _replace_in_texts(p: Paragraph, pattern: str, replacement) -> bool:
    """Apply a regex to the text nodes of a paragraph (only where a match sits in one node)."""
    changed = False
    for t in p.el.iter(w("t")):
        new = re.sub(pattern, replacement, t.text or "")
        if new != t.text:
            t.text, changed = new, True
    return changed


def fix_document(source: Path, target: Path) -> list[str]:
    """Write the repaired copy of source to target; returns what was done."""
    doc = CheckedDocument(source)
    done: list[str] = []
    # margins
    for i, sect in enumerate(doc.sections, start=1):
        margins = sect.find("w:pgMar", NS)
        if margins is None:
            continue
        for side, allowed in layout.MARGIN_RANGES_MM.items():
            if round(twips_to_mm(int(margins.get(w(side), 0))), 1) not in allowed:
                margins.set(w(side), str(mm_to_twips(layout.MARGINS_MM[side])))
                done.append(f"LY03 mục {i}: {side} = {layout.MARGINS_MM[side]:g} mm")
    # fonts: runs, paragraph marks, styles and document defaults
    for run in doc.body_el.iter(w("r")):
        fonts = run.find("w:rPr/w:rFonts", NS)
        if fonts is not None and any(fonts.get(w(s)) not in (None, layout.FONT_NAME) or fonts.get(w(f"{s}Theme"))
                                     for s in FONT_SLOTS):
            _set_fonts(fonts.getparent())
    styles_root = etree.fromstring(doc.parts["word/styles.xml"]) if "word/styles.xml" in doc.parts else None
    if styles_root is not None:
        defaults = styles_root.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
        if defaults is not None:
            _set_fonts(defaults)
        for style in styles_root.findall("w:style", NS):
            fonts = style.find("w:rPr/w:rFonts", NS)
            if fonts is not None:
                _set_fonts(fonts.getparent())
        done.append("FT01/FT02: Times New Roman in every font slot")
    # sizes of the elements
    for key, (code, finder, _style) in ELEMENT_RULES.items():
        element = E[key]
        for p in finder(doc):
            if any(r.size is not None and r.size not in element.size_range for r in p.runs):
                for run in p.el.iter(w("r")):
                    if run.find("w:t", NS) is not None:
                        rpr = run.find("w:rPr", NS)
                        if rpr is None:
                            rpr = etree.Element(w("rPr"))
                            run.insert(0, rpr)
                        _set_size(rpr, element.size)
                done.append(f"{code} {p.location}: {element.size:g} pt")
    # leading zeros in the number and the date
    if doc.so_line is not None:
        match = SO_LINE.match(" ".join(doc.so_line.text.split()))
        if match and match["so"].isdigit() and len(match["so"]) < 2 and _replace_in_texts(
                doc.so_line, rf"(?<!\d){match['so']}(?=\s*/)", f"{int(match['so']):02d}"):
            done.append(f"NB01 {doc.so_line.location}: {int(match['so']):02d}")
    if doc.date_line is not None:
        def zero(m: re.Match) -> str:
            return f"ngày {day_text(int(m[1]))} tháng {month_text(int(m[2]))}"

        if _replace_in_texts(doc.date_line, r"ngày (\d{1,2}) tháng (\d{1,2})", zero):
            done.append(f"DT01 {doc.date_line.location}")
    parts = dict(doc.parts)
    parts["word/document.xml"] = etree.tostring(doc.root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if styles_root is not None:
        parts["word/styles.xml"] = etree.tostring(styles_root, xml_declaration=True, encoding="UTF-8",
                                                  standalone=True)
    atomic_write(target, zip_bytes(list(parts.items())))
    return done
