"""A .docx read for checking: paragraphs in order with their location, and the elements of
Decree 30 found in them (the targets the rules judge).

Elements are found by their text and place, not by vanthu's style names, so a document typed
by hand in Word or LibreOffice is read the same way as one vanthu made.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lxml import etree

from ..nd30.doc_types import DOC_TYPES
from ..text import fold
from .formatting import NS, ParagraphFormat, RunFormat, Styles, paragraph_text, text_runs, w

R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


class UnreadableDocument(Exception):  # noqa: N818 - reads as the condition it names
    """Not a .docx, or a corrupt one."""


@dataclass
class Paragraph:
    el: etree._Element
    number: int  # 1-based, in document order, table paragraphs included
    section: int  # 1-based
    cell: tuple[int, int, int] | None  # (table, row, column), 1-based, for paragraphs in tables
    text: str
    doc: CheckedDocument = field(repr=False)

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


@dataclass
class Rule:
    """A line drawn under an element: its length in mm, and how it was drawn."""

    length_mm: float | None
    kind: str  # 'border', 'drawing', 'underline'


class CheckedDocument:
    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            with zipfile.ZipFile(self.path) as archive:
                self.parts = {name: archive.read(name) for name in archive.namelist()}
        except (zipfile.BadZipFile, OSError, KeyError) as exc:
            raise UnreadableDocument(str(exc)) from None
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
    def sections(self) -> list[etree._Element]:
        return list(self.body_el.iter(w("sectPr")))

    def part(self, rel_id: str) -> etree._Element | None:
        rels = self.parts.get("word/_rels/document.xml.rels")
        if rels is None:
            return None
        for rel in etree.fromstring(rels):
            if rel.get("Id") == rel_id:
                target = rel.get("Target").lstrip("/")
                name = target if target.startswith("word/") else f"word/{target}"
                return etree.fromstring(self.parts[name]) if name in self.parts else None
        return None

    def header_footer(self, sect: etree._Element, kind: str, which: str) -> etree._Element | None:
        """The header or footer a section uses, following earlier sections as Word does."""
        index = self.sections.index(sect)
        for candidate in reversed(self.sections[: index + 1]):
            ref = candidate.find(f"w:{kind}Reference[@w:type='{which}']", NS)
            if ref is not None:
                return self.part(ref.get(R_ID))
        return None

    # -- elements ------------------------------------------------------------------------
    def first(self, predicate, within: int = 40) -> Paragraph | None:
        for p in self.paragraphs[:within]:
            if predicate(p):
                return p
        return None

    @cached_property
    def quoc_hieu(self) -> Paragraph | None:
        return self.first(lambda p: "cong hoa xa hoi chu nghia viet nam" in fold(p.text))

    @cached_property
    def tieu_ngu(self) -> Paragraph | None:
        return self.first(lambda p: "doc lap" in fold(p.text) and "hanh phuc" in fold(p.text))

    @cached_property
    def so_line(self) -> Paragraph | None:
        return self.first(lambda p: re.match(r"^\s*Số\s*[:.]?\s*", p.text) is not None and "/" in p.text)

    @cached_property
    def date_line(self) -> Paragraph | None:
        return self.first(lambda p: re.search(r"ngày\s.*tháng\s.*năm", p.text) is not None and "," in p.text)

    @cached_property
    def vv_line(self) -> Paragraph | None:
        return self.first(lambda p: p.text.strip().startswith("V/v"))

    def _same_cell_before(self, anchor: Paragraph) -> list[Paragraph]:
        """Non-blank paragraphs before anchor in its table column (the header's left column)."""
        if anchor.cell is None:
            return []
        table, row, column = anchor.cell
        return [p for p in self.paragraphs[: anchor.number - 1]
                if p.cell and p.cell[0] == table and p.cell[2] == column and p.cell[1] <= row and not p.blank]

    @cached_property
    def agency_lines(self) -> list[Paragraph]:
        """Parent and issuing agency: the lines above Số in the header's left column."""
        return self._same_cell_before(self.so_line) if self.so_line else []

    @cached_property
    def issuing_agency(self) -> Paragraph | None:
        """The last line above Số: the issuing agency (a long name may wrap inside it)."""
        return self.agency_lines[-1] if self.agency_lines else None

    @cached_property
    def parent_agency(self) -> Paragraph | None:
        """The first of two or more lines above Số: the parent agency (tên cơ quan chủ quản)."""
        return self.agency_lines[0] if len(self.agency_lines) >= 2 else None

    @cached_property
    def header_end(self) -> int:
        """Number of the last paragraph of the header block (ô 1–4)."""
        anchors = [p for p in (self.date_line, self.so_line, self.vv_line, self.tieu_ngu) if p]
        last = max((p.number for p in anchors), default=0)
        if last and self.paragraphs[last - 1].cell:
            table = self.paragraphs[last - 1].cell[0]
            in_table = [p.number for p in self.paragraphs if p.cell and p.cell[0] == table]
            last = max(in_table)
        return last

    @cached_property
    def title(self) -> Paragraph | None:
        titles = {t.title for t in DOC_TYPES.values()}
        return self.first(lambda p: p.number > self.header_end and p.cell is None
                          and p.text.strip().upper() in titles, within=60)

    @cached_property
    def trich_yeu(self) -> Paragraph | None:
        if not self.title:
            return None
        nxt = self.next_text(self.title)
        if nxt and nxt.cell is None and not nxt.text.strip().startswith(("Căn cứ", "Kính gửi")) \
                and nxt.format.align == "center":
            return nxt
        return None

    def next_text(self, p: Paragraph) -> Paragraph | None:
        for q in self.paragraphs[p.number:]:
            if not q.blank:
                return q
        return None

    @cached_property
    def signature_table(self) -> int | None:
        hits = [p.cell[0] for p in self.paragraphs if p.cell and fold(p.text).startswith("noi nhan")]
        return hits[-1] if hits else None

    @cached_property
    def noi_nhan_label(self) -> Paragraph | None:
        return next((p for p in self.paragraphs if fold(p.text).rstrip(":") == "noi nhan"), None)

    @cached_property
    def noi_nhan_items(self) -> list[Paragraph]:
        label = self.noi_nhan_label
        if label is None:
            return []
        items = []
        for p in self.paragraphs[label.number:]:
            if p.cell != label.cell:
                break
            if p.text.strip().startswith("-"):
                items.append(p)
        return items

    @cached_property
    def signer_lines(self) -> list[Paragraph]:
        """Authority, title and name: the non-blank paragraphs of the signature cell(s)."""
        table = self.signature_table
        if table is None:
            return []
        label_cell = self.noi_nhan_label.cell if self.noi_nhan_label else None
        return [p for p in self.paragraphs if p.cell and p.cell[0] == table and not p.blank
                and (label_cell is None or p.cell[2] != label_cell[2] or p.cell[1] != label_cell[1])]

    @cached_property
    def decision_lead(self) -> Paragraph | None:
        """'QUYẾT ĐỊNH:' (or 'QUYẾT NGHỊ:') after the căn cứ lines of a decision."""
        after = self.title.number if self.title else self.header_end
        return next((p for p in self.paragraphs[after:] if p.cell is None
                     and fold(p.text) in ("quyet dinh:", "quyet nghi:")), None)

    @cached_property
    def body(self) -> list[Paragraph]:
        """Body paragraphs: after the title block (and căn cứ), before the signature, outside tables."""
        anchors = (self.decision_lead, self.trich_yeu, self.title)
        start = max([p.number for p in anchors if p] + [self.header_end])
        end = min((p.number for p in self.paragraphs if p.cell and p.cell[0] == self.signature_table),
                  default=len(self.paragraphs) + 1)
        first_section = self.paragraphs[start].section if start < len(self.paragraphs) else 1
        return [p for p in self.paragraphs[start:end - 1]
                if p.cell is None and not p.blank and p.section == first_section
                and not fold(p.text).startswith(("kinh gui", "- ")) and p.format.align != "center"]

    @cached_property
    def can_cu(self) -> list[Paragraph]:
        """Căn cứ and 'Theo đề nghị' lines of a decision (between its title and 'QUYẾT ĐỊNH:')."""
        if self.decision_lead is None:
            return []
        start = self.title.number if self.title else self.header_end
        return [p for p in self.paragraphs[start:self.decision_lead.number - 1]
                if p.cell is None and p.text.strip().startswith(("Căn cứ", "Theo đề nghị"))]

    @cached_property
    def appendix_headings(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if re.fullmatch(r"Phụ lục(?: [IVXLC\d]+)?", p.text.strip())]

    def rule_under(self, p: Paragraph, width_mm: float) -> Rule | None:
        """The line drawn under p: its own bottom border, a following empty paragraph's border
        or drawn line, or the next paragraph's top border; character underline as a last resort."""
        if "bottom" in p.format.borders and p.format.borders["bottom"].get("val") not in ("nil", "none"):
            return Rule(_border_length(p, width_mm), "border")
        for q in self.paragraphs[p.number: p.number + 2]:
            if q.cell != p.cell:
                break
            drawing = _drawn_line_mm(q.el)
            if drawing is not None:
                return Rule(drawing, "drawing")
            if not q.blank:
                top = q.format.borders.get("top")
                if top and top.get("val") not in ("nil", "none"):
                    return Rule(_border_length(q, width_mm), "border")
                break
            bottom = q.format.borders.get("bottom")
            if bottom and bottom.get("val") not in ("nil", "none"):
                return Rule(_border_length(q, width_mm), "border")
        drawing = _drawn_line_mm(p.el)
        if drawing is not None:
            return Rule(drawing, "drawing")
        if p.runs and all(r.underline for r in p.runs):
            return Rule(None, "underline")
        return None

    def available_width_mm(self, p: Paragraph) -> float:
        """Width a paragraph's indents are measured from: its table cell, or the text area."""
        from ..render.units import twips_to_mm

        if p.cell:
            tc = p.el.xpath("ancestor::w:tc[1]", namespaces=NS)[0]
            width = tc.find("w:tcPr/w:tcW", NS)
            if width is not None and width.get(w("type")) in (None, "dxa") and width.get(w("w")):
                margins = 2 * 1.905 if _table_margin_default(tc) else 0.0
                return twips_to_mm(int(width.get(w("w")))) - margins
        sect = self.sections[min(p.section, len(self.sections)) - 1] if self.sections else None
        if sect is None:
            return 165.0
        size, margin = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
        return twips_to_mm(int(size.get(w("w"))) - int(margin.get(w("left"), 0)) - int(margin.get(w("right"), 0)))


def _leading(tbl: etree._Element) -> int:
    """Number of non-row children before the first row (tblPr, tblGrid)."""
    for i, child in enumerate(tbl):
        if child.tag == w("tr"):
            return i
    return 0


def _table_margin_default(tc: etree._Element) -> bool:
    tbl = tc.xpath("ancestor::w:tbl[1]", namespaces=NS)[0]
    margin = tbl.find("w:tblPr/w:tblCellMar/w:left", NS)
    return margin is None or margin.get(w("w")) not in ("0",)


def _border_length(p: Paragraph, width_mm: float) -> float:
    from ..render.units import twips_to_mm

    return width_mm - twips_to_mm(p.format.left) - twips_to_mm(p.format.right)


_EMU_PER_MM = 36000


def _drawn_line_mm(el: etree._Element) -> float | None:
    """Length of a line shape in the paragraph (DrawingML extent or VML from/to)."""
    for extent in el.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"):
        cx, cy = int(extent.get("cx", 0)), int(extent.get("cy", 0))
        if cx and cy <= cx / 20:
            return cx / _EMU_PER_MM
    for line in el.iter("{urn:schemas-microsoft-com:vml}line"):
        start = _vml_mm(line.get("from", "0,0").split(",")[0])
        end = _vml_mm(line.get("to", "0,0").split(",")[0])
        if start is not None and end is not None:
            return abs(end - start)
    return None


_VML_UNITS_MM = {"pt": 25.4 / 72, "in": 25.4, "mm": 1.0, "cm": 10.0, "px": 25.4 / 96, "": 25.4 / 72}


def _vml_mm(value: str) -> float | None:
    """A VML length ('12pt', '1.5in', '40mm'; plain numbers are points) in millimetres."""
    match = re.fullmatch(r"\s*(-?[\d.]+)\s*([a-z]*)\s*", value)
    if not match or match[2] not in _VML_UNITS_MM:
        return None
    return float(match[1]) * _VML_UNITS_MM[match[2]]
