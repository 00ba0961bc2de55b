"""The one layer that writes WordprocessingML. Everything above it speaks in Word words.

Fragments are built as strings (fast enough to render thousands of records), with every
piece of text passing through `text()`, and child elements written in schema order.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..nd30 import layout
from .units import line_spacing_value, mm_to_twips, pt_to_eighths, pt_to_half_points, pt_to_twips

# Characters XML 1.0 forbids; a record holding one must not break the document.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Most values need nothing done: one search decides (this runs for every table cell).
_NEEDS_ESCAPE = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff&<>"]')


def verbatim(value: str) -> bool:
    """Whether the text goes into a run as it is: nothing to escape, no line break."""
    return _NEEDS_ESCAPE.search(value) is None and "\n" not in value


def text(value: str) -> str:
    """Escape record text for element content and attribute values."""
    if _NEEDS_ESCAPE.search(value) is None:
        return value
    value = _INVALID_XML.sub("", value)
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def rfonts(name: str = layout.FONT_NAME) -> str:
    """All four font slots, so no script falls back to a theme or another font."""
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'


@lru_cache(maxsize=1024)  # a document asks for the same few property sets hundreds of times
def rpr(*, bold: bool | None = None, italic: bool | None = None, caps: bool | None = None,
        size: float | None = None, color: str | None = None, fonts: bool = False,
        style: str | None = None, lang: str | None = None, spacing_pt: float | None = None) -> str:
    """Run properties in schema order; None leaves a property to the style."""
    parts = []
    if style:
        parts.append(f'<w:rStyle w:val="{style}"/>')
    if fonts:
        parts.append(rfonts())
    if bold is not None:
        val = "" if bold else ' w:val="0"'
        parts.append(f"<w:b{val}/><w:bCs{val}/>")
    if italic is not None:
        val = "" if italic else ' w:val="0"'
        parts.append(f"<w:i{val}/><w:iCs{val}/>")
    if caps is not None:
        parts.append("<w:caps/>" if caps else '<w:caps w:val="0"/>')
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if spacing_pt:  # character spacing: negative sets the letters closer (condensed)
        parts.append(f'<w:spacing w:val="{pt_to_twips(spacing_pt)}"/>')
    if size is not None:
        hp = pt_to_half_points(size)
        parts.append(f'<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>')
    if lang:
        parts.append(f'<w:lang w:val="{lang}"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


def border(side: str, width_pt: float = layout.RULE_WIDTH_PT, color: str = "000000", space: int = 1) -> str:
    return f'<w:{side} w:val="single" w:sz="{pt_to_eighths(width_pt)}" w:space="{space}" w:color="{color}"/>'


@lru_cache(maxsize=1024)
def ppr(*, style: str | None = None, keep_next: bool = False, page_break_before: bool = False,
        borders: str = "", before_pt: float | None = None, after_pt: float | None = None,
        line: float | None = None, line_exact_pt: float | None = None,
        left_mm: float | None = None, right_mm: float | None = None,
        first_line_mm: float | None = None, hanging_mm: float | None = None,
        align: str | None = None, mark_rpr: str = "", sect: str = "", right_tab_mm: float | None = None) -> str:
    """Paragraph properties in schema order."""
    parts = []
    if style:
        parts.append(f'<w:pStyle w:val="{style}"/>')
    if keep_next:
        parts.append("<w:keepNext/>")
    if page_break_before:
        parts.append("<w:pageBreakBefore/>")
    if borders:
        parts.append(f"<w:pBdr>{borders}</w:pBdr>")
    if right_tab_mm is not None:
        parts.append(f'<w:tabs><w:tab w:val="right" w:pos="{mm_to_twips(right_tab_mm)}"/></w:tabs>')
    spacing = []
    if before_pt is not None:
        spacing.append(f'w:before="{pt_to_twips(before_pt)}"')
    if after_pt is not None:
        spacing.append(f'w:after="{pt_to_twips(after_pt)}"')
    if line_exact_pt is not None:
        spacing.append(f'w:line="{pt_to_twips(line_exact_pt)}" w:lineRule="exact"')
    elif line is not None:
        spacing.append(f'w:line="{line_spacing_value(line)}" w:lineRule="auto"')
    if spacing:
        parts.append(f"<w:spacing {' '.join(spacing)}/>")
    ind = []
    if left_mm is not None:
        ind.append(f'w:left="{mm_to_twips(left_mm)}"')
    if right_mm is not None:
        ind.append(f'w:right="{mm_to_twips(right_mm)}"')
    if first_line_mm is not None:
        ind.append(f'w:firstLine="{mm_to_twips(first_line_mm)}"')
    if hanging_mm is not None:
        ind.append(f'w:hanging="{mm_to_twips(hanging_mm)}"')
    if ind:
        parts.append(f"<w:ind {' '.join(ind)}/>")
    if align:
        parts.append(f'<w:jc w:val="{align}"/>')
    if mark_rpr:
        parts.append(mark_rpr)
    if sect:
        parts.append(sect)
    return f"<w:pPr>{''.join(parts)}</w:pPr>" if parts else ""


def run(value: str, props: str = "") -> str:
    """One run of escaped text; line breaks inside the value become <w:br/>."""
    if "\n" not in value:
        return f'<w:r>{props}<w:t xml:space="preserve">{text(value)}</w:t></w:r>'
    pieces = value.split("\n")
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{text(p)}</w:t>' for p in pieces)
    return f"<w:r>{props}{body}</w:r>"


def tab() -> str:
    """A run holding a tab: to the paragraph's next tab stop."""
    return "<w:r><w:tab/></w:r>"


def paragraph(runs: str = "", props: str = "") -> str:
    return f"<w:p>{props}{runs}</w:p>"


def styled(style: str, value: str, **ppr_args) -> str:
    """A paragraph of one run in a named style."""
    return paragraph(run(value) if value else "", ppr(style=style, **ppr_args))


def rule_paragraph(available_mm: float, rule_mm: float, *, before_pt: float = 0, after_pt: float = 0) -> str:
    """A solid rule of rule_mm, centred in available_mm: an empty paragraph's bottom border.

    A border (not character underline) is what the decree means by a line; its length is
    set by the paragraph's indents, so it does not depend on the text above.
    """
    side = max((available_mm - rule_mm) / 2, 0)
    return paragraph("", ppr(borders=border("bottom"), before_pt=before_pt, after_pt=after_pt,
                             line_exact_pt=2, left_mm=side, right_mm=side,
                             mark_rpr=rpr(size=2)))


def cell(content: str, width_mm: float, *, borders: str | None = None, v_merge: str | None = None,
         grid_span: int = 1, v_align: str | None = None) -> str:
    props = [f'<w:tcW w:w="{mm_to_twips(width_mm)}" w:type="dxa"/>']
    if grid_span > 1:
        props.append(f'<w:gridSpan w:val="{grid_span}"/>')
    if v_merge == "restart":
        props.append('<w:vMerge w:val="restart"/>')
    elif v_merge == "continue":
        props.append("<w:vMerge/>")
    if borders is not None:
        props.append(f"<w:tcBorders>{borders}</w:tcBorders>")
    if v_align:
        props.append(f'<w:vAlign w:val="{v_align}"/>')
    # A cell must hold at least one paragraph.
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr>{content or paragraph()}</w:tc>"


def row(cells: str, *, header: bool = False, height_mm: float | None = None, exact: bool = False,
        cant_split: bool = False) -> str:
    props = []
    if cant_split:
        props.append("<w:cantSplit/>")
    if height_mm is not None:
        rule = ' w:hRule="exact"' if exact else ' w:hRule="atLeast"'
        props.append(f'<w:trHeight w:val="{mm_to_twips(height_mm)}"{rule}/>')
    if header:
        props.append("<w:tblHeader/>")
    trpr = f"<w:trPr>{''.join(props)}</w:trPr>" if props else ""
    return f"<w:tr>{trpr}{cells}</w:tr>"


NO_BORDERS = "".join(f'<w:{s} w:val="nil"/>' for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
ALL_BORDERS = "".join(border(s, 0.5, space=0) for s in ("top", "left", "bottom", "right", "insideH", "insideV"))


def table(rows: str, widths_mm: list[float], *, borders: str = NO_BORDERS, align: str | None = None,
          cell_margin_mm: float = 0.0, fixed: bool = True) -> str:
    total = sum(widths_mm)
    jc = f'<w:jc w:val="{align}"/>' if align else ""
    layout_xml = '<w:tblLayout w:type="fixed"/>' if fixed else ""
    margin = mm_to_twips(cell_margin_mm)
    margins = (f'<w:tblCellMar><w:left w:w="{margin}" w:type="dxa"/>'
               f'<w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>')
    grid = "".join(f'<w:gridCol w:w="{mm_to_twips(w)}"/>' for w in widths_mm)
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{mm_to_twips(total)}" w:type="dxa"/>{jc}'
            f"<w:tblBorders>{borders}</w:tblBorders>{layout_xml}{margins}"
            f'<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>')


def page_number_field(props: str = "") -> str:
    """A PAGE field: the number Word or LibreOffice prints for the current page."""
    return (f'<w:r>{props}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{props}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            f'<w:r>{props}<w:fldChar w:fldCharType="separate"/></w:r>'
            f"<w:r>{props}<w:t>2</w:t></w:r>"
            f'<w:r>{props}<w:fldChar w:fldCharType="end"/></w:r>')


def section_properties(*, landscape: bool = False, references: str = "", restart_numbering: bool = False,
                       title_page: bool = True, margins_mm: dict[str, float] | None = None) -> str:
    """<w:sectPr>: A4, the decree's margins, page 1 with its own (empty) header."""
    m = margins_mm or layout.MARGINS_MM
    w, h = mm_to_twips(layout.PAGE_WIDTH_MM), mm_to_twips(layout.PAGE_HEIGHT_MM)
    size = (f'<w:pgSz w:w="{h}" w:h="{w}" w:orient="landscape"/>' if landscape
            else f'<w:pgSz w:w="{w}" w:h="{h}"/>')
    margins = (f'<w:pgMar w:top="{mm_to_twips(m["top"])}" w:right="{mm_to_twips(m["right"])}" '
               f'w:bottom="{mm_to_twips(m["bottom"])}" w:left="{mm_to_twips(m["left"])}" '
               f'w:header="{mm_to_twips(layout.HEADER_DISTANCE_MM)}" '
               f'w:footer="{mm_to_twips(layout.FOOTER_DISTANCE_MM)}" w:gutter="0"/>')
    numbering = '<w:pgNumType w:start="1"/>' if restart_numbering else ""
    title = "<w:titlePg/>" if title_page else ""
    return f"<w:sectPr>{references}{size}{margins}{numbering}{title}</w:sectPr>"
