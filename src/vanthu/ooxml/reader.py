"""A .docx read as Word shows it: paragraphs in order with their place (section, table cell),
their effective formatting, the sections' page setup, headers and footers, and the lines drawn
under a paragraph however a program drew them. Works on any .docx, whichever program wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lxml import etree

from ..errors import UnreadableDocument
from .formatting import ParagraphFormat, RunFormat, Styles, paragraph_text, text_runs
from .namespaces import NS, R_ID, VML, WP, w
from .package import read_checked
from .units import emu_to_mm, twips_to_mm, vml_to_mm

# Word's default table cell margins (left and right) when a table sets none: 0.08 in.
DEFAULT_CELL_MARGIN_MM = 1.905


@dataclass
class Paragraph:
    el: etree._Element = field(repr=False)
    number: int  # 1-based, in document order, table paragraphs included
    section: int  # 1-based
    cell: tuple[int, int, int] | None  # (table, row, column), 1-based, for paragraphs in tables
    text: str
    doc: WordDocument = field(repr=False)

    @cached_property
    def format(self) -> ParagraphFormat:
        return self.doc.styles.paragraph_format(self.el)

    @cached_property
    def runs(self) -> list[RunFormat]:
        return [self.doc.styles.run_format(self.el, r) for r in text_runs(self.el)]

    @property
    def location(self) -> str:
        words = " ".join(self.text.split()[:6])
        where = f"mục {self.section}, đoạn {self.number}"
        if self.cell:
            where += f", bảng {self.cell[0]} ô ({self.cell[1]},{self.cell[2]})"
        return f"{where}: \"{words}\""

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def style_name(self) -> str | None:
        return self.doc.styles.style_name(self.doc.styles.paragraph_style_id(self.el))

    @property
    def ends_section(self) -> bool:
        """The paragraph carries a section break (its pPr holds a sectPr)."""
        return self.el.find("w:pPr/w:sectPr", NS) is not None

    @property
    def has_page_break(self) -> bool:
        return any(b.get(w("type")) == "page" for b in self.el.iter(w("br")))

    @property
    def drawn_line_mm(self) -> float | None:
        """Length of a line shape in the paragraph (DrawingML extent or VML from/to)."""
        for extent in self.el.iter(f"{{{WP}}}extent"):
            cx, cy = int(extent.get("cx", 0)), int(extent.get("cy", 0))
            if cx and cy <= cx / 20:
                return emu_to_mm(cx)
        for line in self.el.iter(f"{{{VML}}}line"):
            start = vml_to_mm(line.get("from", "0,0").split(",")[0])
            end = vml_to_mm(line.get("to", "0,0").split(",")[0])
            if start is not None and end is not None:
                return abs(end - start)
        return None


@dataclass(frozen=True)
class Section:
    """One section's page setup, in millimetres (None where the document leaves it out)."""

    index: int  # 1-based
    page_mm: tuple[float, float] | None  # width, height
    margins_mm: dict[str, float] | None  # top, bottom, left, right
    title_page: bool  # page 1 has a header and footer of its own
    el: etree._Element = field(repr=False, compare=False)

    @property
    def landscape(self) -> bool:
        return self.page_mm is not None and self.page_mm[0] > self.page_mm[1]


@dataclass
class DrawnRule:
    """A line drawn under a paragraph: its length in mm, and how it was drawn."""

    length_mm: float | None
    kind: str  # 'border', 'drawing', 'underline'


def _twips(el: etree._Element | None, attr: str) -> int | None:
    if el is None:
        return None
    value = el.get(w(attr))
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None


class WordDocument:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.parts = read_checked(self.path)
        if "word/document.xml" not in self.parts:
            raise UnreadableDocument("word/document.xml missing")
        try:
            self.root = etree.fromstring(self.parts["word/document.xml"])
            self.styles = Styles(self.parts.get("word/styles.xml"), self.parts.get("word/theme/theme1.xml"))
        except etree.XMLSyntaxError as exc:
            raise UnreadableDocument(str(exc)) from None
        self.body_el = self.root.find("w:body", NS)
        if self.body_el is None:
            raise UnreadableDocument("no document body")
        self.paragraphs = self._paragraphs()

    # -- structure -----------------------------------------------------------------------
    def _paragraphs(self) -> list[Paragraph]:
        out: list[Paragraph] = []
        section = 1
        tables = {t: i for i, t in enumerate(self.body_el.iter(w("tbl")), start=1)}
        for p in self.body_el.iter(w("p")):
            cell = None
            tc = p.xpath("ancestor::w:tc[1]", namespaces=NS)
            if tc:
                tr = tc[0].getparent()
                tbl = tr.getparent()
                cell = (tables.get(tbl, 0), tbl.index(tr) - _leading(tbl) + 1,
                        [c for c in tr if c.tag == w("tc")].index(tc[0]) + 1)
            out.append(Paragraph(p, len(out) + 1, section, cell, paragraph_text(p), self))
            if p.find("w:pPr/w:sectPr", NS) is not None:
                section += 1
        return out

    @cached_property
    def sections(self) -> list[Section]:
        out = []
        for i, sect in enumerate(self.body_el.iter(w("sectPr")), start=1):
            size, margins = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
            width, height = _twips(size, "w"), _twips(size, "h")
            page = (twips_to_mm(width), twips_to_mm(height)) if width and height else None
            sides = None
            if margins is not None:
                sides = {side: twips_to_mm(_twips(margins, side) or 0) for side in ("top", "bottom", "left", "right")}
            title = sect.find("w:titlePg", NS)
            out.append(Section(i, page, sides, title is not None and title.get(w("val")) not in ("0", "false"),
                               sect))
        return out

    def _part(self, rel_id: str) -> etree._Element | None:
        rels = self.parts.get("word/_rels/document.xml.rels")
        if rels is None:
            return None
        for rel in etree.fromstring(rels):
            if rel.get("Id") == rel_id:
                target = rel.get("Target").lstrip("/")
                name = target if target.startswith("word/") else f"word/{target}"
                return etree.fromstring(self.parts[name]) if name in self.parts else None
        return None

    def _header_footer(self, section: Section, kind: str, which: str) -> etree._Element | None:
        """The header or footer a section uses, following earlier sections as Word does."""
        for candidate in reversed(self.sections[: section.index]):
            ref = candidate.el.find(f"w:{kind}Reference[@w:type='{which}']", NS)
            if ref is not None:
                return self._part(ref.get(R_ID))
        return None

    def header_texts(self, section: Section, which: str) -> list[str]:
        """The texts of the paragraphs of the header a section's pages show ('default'/'first')."""
        part = self._header_footer(section, "header", which)
        return [paragraph_text(p) for p in part.iter(w("p"))] if part is not None else []

    def has_page_field(self, section: Section, kind: str, which: str) -> bool:
        """Whether that header or footer ('header'/'footer'; 'default'/'first') prints a PAGE field."""
        return _has_page_field(self._header_footer(section, kind, which))

    def page_number_format(self, section: Section) -> tuple[ParagraphFormat, RunFormat] | None:
        """The paragraph and run format of the page number in the section's default header."""
        header = self._header_footer(section, "header", "default")
        if header is None:
            return None
        paragraph = next((p for p in header.iter(w("p")) if _has_page_field(p)), None)
        if paragraph is None:
            return None
        return (self.styles.paragraph_format(paragraph),
                self.styles.run_format(paragraph, paragraph.find(".//w:r", NS)))

    @cached_property
    def stated_pages(self) -> int | None:
        """The page count the writing program stated (docProps/app.xml), when it counted at all:
        python-docx's packages carry a stale 'Pages 1' with no words counted, LibreOffice none."""
        app = self.parts.get("docProps/app.xml")
        if not app:
            return None
        try:
            root = etree.fromstring(app)
        except etree.XMLSyntaxError:
            return None
        found = {etree.QName(el).localname: (el.text or "").strip() for el in root}
        pages, words = found.get("Pages", ""), found.get("Words", "")
        if pages.isdigit() and words.isdigit() and int(words) > 0 and int(pages) > 0:
            return int(pages)
        return None

    # -- lines and widths ----------------------------------------------------------------
    def rule_under(self, p: Paragraph, width_mm: float) -> DrawnRule | None:
        """The line drawn under p: its own bottom border, a following empty paragraph's border
        or drawn line, or the next paragraph's top border; character underline as a last resort."""
        if _drawn_border(p.format, "bottom"):
            return DrawnRule(_border_length(p, width_mm), "border")
        for q in self.paragraphs[p.number: p.number + 2]:
            if q.cell != p.cell:
                break
            drawing = q.drawn_line_mm
            if drawing is not None:
                return DrawnRule(drawing, "drawing")
            if _drawn_border(q.format, "top"):
                return DrawnRule(_border_length(q, width_mm), "border")
            if not q.blank:
                break
            if _drawn_border(q.format, "bottom"):
                return DrawnRule(_border_length(q, width_mm), "border")
        drawing = p.drawn_line_mm
        if drawing is not None:
            return DrawnRule(drawing, "drawing")
        if p.runs and all(r.underline for r in p.runs):
            return DrawnRule(None, "underline")
        return None

    def available_width_mm(self, p: Paragraph) -> float:
        """Width a paragraph's indents are measured from: its table cell, or the text area."""
        if p.cell:
            tc = p.el.xpath("ancestor::w:tc[1]", namespaces=NS)[0]
            width = tc.find("w:tcPr/w:tcW", NS)
            if width is not None and width.get(w("type")) in (None, "dxa") and width.get(w("w")):
                return twips_to_mm(int(width.get(w("w")))) - _cell_margins_mm(tc)
        section = self.sections[min(p.section, len(self.sections)) - 1] if self.sections else None
        if section is None or section.page_mm is None or section.margins_mm is None:
            from ..nd30 import layout

            return layout.TEXT_WIDTH_MM
        return section.page_mm[0] - section.margins_mm["left"] - section.margins_mm["right"]


def _drawn_border(fmt: ParagraphFormat, side: str) -> bool:
    border = fmt.borders.get(side)
    return bool(border) and border.get("val") not in ("nil", "none")


def _has_page_field(part: etree._Element | None) -> bool:
    if part is None:
        return False
    instructions = "".join(t.text or "" for t in part.iter(w("instrText")))
    simple = " ".join(f.get(w("instr"), "") for f in part.iter(w("fldSimple")))
    return "PAGE" in (instructions + simple).upper()


def _leading(tbl: etree._Element) -> int:
    """Number of non-row children before the first row (tblPr, tblGrid)."""
    for i, child in enumerate(tbl):
        if child.tag == w("tr"):
            return i
    return 0


def _cell_margins_mm(tc: etree._Element) -> float:
    """Left plus right margin of a cell: its own, else its table's, else Word's default.

    Word writes w:left/w:right; LibreOffice (and strict OOXML) w:start/w:end.
    """
    tbl = tc.xpath("ancestor::w:tbl[1]", namespaces=NS)[0]
    total = 0.0
    for sides in (("left", "start"), ("right", "end")):
        value = None
        for holder in (tc.find("w:tcPr/w:tcMar", NS), tbl.find("w:tblPr/w:tblCellMar", NS)):
            if holder is None:
                continue
            for side in sides:
                el = holder.find(f"w:{side}", NS)
                if el is not None and el.get(w("type")) in (None, "dxa") and _twips(el, "w") is not None:
                    value = twips_to_mm(_twips(el, "w") or 0)
                    break
            if value is not None:
                break
        total += DEFAULT_CELL_MARGIN_MM if value is None else value
    return total


def _border_length(p: Paragraph, width_mm: float) -> float:
    return width_mm - twips_to_mm(p.format.left) - twips_to_mm(p.format.right)

