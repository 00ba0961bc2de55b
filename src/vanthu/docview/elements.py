"""The document view: the elements of Decree 30 found in a .docx — the targets the checker's
rules judge and the signature-field placer reads. One definition, below both.

Elements are found by their text and place, not by vanthu's style names, so a document typed
by hand in Word or LibreOffice is read the same way as one vanthu made.
"""

from __future__ import annotations

import re
from functools import cached_property

from ..nd30.doc_types import DOC_TYPES
from ..ooxml.reader import DrawnRule, Paragraph, Section, WordDocument
from ..text import fold

__all__ = ["DocumentView", "DrawnRule", "Paragraph", "Section", "fold"]


class DocumentView(WordDocument):
    """A WordDocument with the decree's elements found in it."""

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
