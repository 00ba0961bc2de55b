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
from ..textwidth import text_width_mm

__all__ = ["DocumentView", "DrawnRule", "Paragraph", "Section", "fold"]


# The header of a document typed without a table: its first paragraphs.
HEADER_ZONE_PARAGRAPHS = 16
_QUOC_HIEU = "cong hoa xa hoi chu nghia viet nam"
_LINE_MAX = 48  # a header line, with a stray full stop or spaces; a sentence is longer
# The draft mark (generate --draft, or typed by hand at the top): "DỰ THẢO", "Dự thảo lần 2".
_DRAFT_MARK = re.compile(r"du thao(?: lan (\d+))?")


def is_draft_mark(text: str) -> bool:
    """'DỰ THẢO', 'Dự thảo lần 2' (any case, any spacing)."""
    return _DRAFT_MARK.fullmatch(fold(text)) is not None


class DocumentView(WordDocument):
    """A WordDocument with the decree's elements found in it."""

    # -- elements ------------------------------------------------------------------------
    def first(self, predicate, within: int = 40) -> Paragraph | None:
        for p in self.paragraphs[:within]:
            if predicate(p):
                return p
        return None

    @cached_property
    def header_zone(self) -> list[Paragraph]:
        """Where the decree puts ô 1–4 (and the marks under Số): the top of page 1 — the first
        table when the document opens with one, else its first paragraphs."""
        first = next((p for p in self.paragraphs if not p.blank), None)
        if first is None:
            return []
        if first.cell is not None:
            return [p for p in self.paragraphs if p.cell and p.cell[0] == first.cell[0]]
        return [p for p in self.paragraphs[:HEADER_ZONE_PARAGRAPHS] if p.cell is None or p.cell[0] == 1]

    def in_header(self, predicate) -> Paragraph | None:
        return next((p for p in self.header_zone if predicate(p)), None)

    @cached_property
    def draft_mark(self) -> str | None:
        """The draft mark's text when the document is marked as a draft: in page 1's header
        (where vanthu puts it) or as one of the first lines of the page (where a hand puts it)."""
        candidates: list[str] = []
        if self.sections:
            first = self.sections[0]
            candidates += self.header_texts(first, "first" if first.title_page else "default")
        candidates += [p.text for p in self.paragraphs[:3]]
        for text in candidates:
            if is_draft_mark(text):
                return " ".join(text.split())
        return None

    @cached_property
    def quoc_hieu(self) -> Paragraph | None:
        # the line itself, not a sentence that names it (the decree's own text does)
        return self.in_header(lambda p: fold(p.text).startswith(_QUOC_HIEU) and len(p.text.strip()) <= _LINE_MAX)

    @cached_property
    def tieu_ngu(self) -> Paragraph | None:
        return self.in_header(lambda p: fold(p.text).startswith("doc lap") and "hanh phuc" in fold(p.text)
                              and len(p.text.strip()) <= _LINE_MAX)

    @cached_property
    def so_line(self) -> Paragraph | None:
        return self.in_header(lambda p: re.match(r"^\s*Số\s*[:.]?\s*", p.text) is not None and "/" in p.text)

    @cached_property
    def date_line(self) -> Paragraph | None:
        return self.in_header(lambda p: re.search(r"ngày\s.*tháng\s.*năm", p.text) is not None and "," in p.text)

    @cached_property
    def vv_line(self) -> Paragraph | None:
        return self.in_header(lambda p: p.text.strip().startswith("V/v"))

    def _same_cell_before(self, anchor: Paragraph) -> list[Paragraph]:
        """Non-blank paragraphs before anchor in its table column (the header's left column)."""
        if anchor.cell is None:
            return []
        table, row, column = anchor.cell
        return [p for p in self.paragraphs[: anchor.number - 1]
                if p.cell and p.cell[0] == table and p.cell[2] == column and p.cell[1] <= row and not p.blank]

    @cached_property
    def agency_lines(self) -> list[Paragraph]:
        """Parent and issuing agency: the lines above Số in the header's left column (a draft
        mark typed there is not one of them)."""
        lines = self._same_cell_before(self.so_line) if self.so_line else []
        return [p for p in lines if not is_draft_mark(p.text)]

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
        """The table of the signer block: the last one whose cell opens with 'Nơi nhận:' followed
        by its '- …' lines (a table that merely names Nơi nhận, as the decree's diagram does, is not)."""
        hits = [p.cell[0] for p in self.paragraphs
                if p.cell and fold(p.text).rstrip(": ") == "noi nhan" and self._items_after(p)]
        return hits[-1] if hits else None

    def _items_after(self, label: Paragraph) -> list[Paragraph]:
        items = []
        for p in self.paragraphs[label.number:]:
            if p.cell != label.cell:
                break
            if p.text.strip().startswith("-"):
                items.append(p)
        return items

    @cached_property
    def noi_nhan_label(self) -> Paragraph | None:
        table = self.signature_table
        if table is None:
            return None
        return next((p for p in self.paragraphs if fold(p.text).rstrip(": ") == "noi nhan"
                     and p.cell is not None and p.cell[0] == table), None)

    @cached_property
    def noi_nhan_items(self) -> list[Paragraph]:
        return self._items_after(self.noi_nhan_label) if self.noi_nhan_label else []

    @cached_property
    def signer_lines(self) -> list[Paragraph]:
        """Authority, title and name: the non-blank paragraphs of the signature cell(s) — cells of
        the signer block's table, other than Nơi nhận's, holding a title and a name."""
        table = self.signature_table
        if table is None:
            return []
        label_cell = self.noi_nhan_label.cell if self.noi_nhan_label else None
        cells: dict[tuple, list[Paragraph]] = {}
        for p in self.paragraphs:
            if p.cell and p.cell[0] == table and not p.blank and p.cell != label_cell:
                cells.setdefault(p.cell, []).append(p)
        return [p for lines in cells.values() if len(lines) >= 2 and _looks_like_a_name(lines[-1]) for p in lines]

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
    def main_text_pages(self) -> float | None:
        """How many pages the main text (section 1) fills: as the writing program stated it, else
        estimated from its lines (text widths, sizes, spacing). None where it cannot be told."""
        if self.stated_pages is not None and len(self.sections) <= 1:
            return float(self.stated_pages)
        if not self.sections or self.sections[0].page_mm is None or self.sections[0].margins_mm is None:
            return None
        section = self.sections[0]
        height_pt = (section.page_mm[1] - section.margins_mm["top"] - section.margins_mm["bottom"]) * 72 / 25.4
        rows: dict[tuple, float] = {}  # a table row is as high as its highest cell
        cells: dict[tuple, float] = {}
        total, breaks = 0.0, 0
        for p in self.paragraphs:
            if p.section != 1:
                break
            breaks += p.has_page_break or p.format.page_break_before
            needed = _paragraph_height_pt(p, self.available_width_mm(p))
            if p.cell is None:
                total += needed
                continue
            cells[p.cell] = cells.get(p.cell, 0.0) + needed
            row = p.cell[:2]
            rows[row] = max(rows.get(row, 0.0), cells[p.cell])
        total += sum(rows.values())
        return breaks + total / height_pt

    @cached_property
    def appendix_headings(self) -> list[Paragraph]:
        """'Phụ lục I' … opening an appendix: outside tables, after the main text's signer block."""
        after = max((p.number for p in self.paragraphs if p.cell and p.cell[0] == self.signature_table), default=0)
        if not after:
            return []
        return [p for p in self.paragraphs[after:] if p.cell is None
                and re.fullmatch(r"Phụ lục(?: [IVXLC\d]+)?", p.text.strip())]


def _looks_like_a_name(p: Paragraph) -> bool:
    """A signer's name: two words or more, letters only (not a number, a colon or a sentence)."""
    words = p.text.split()
    return 2 <= len(words) <= 7 and all(any(c.isalpha() for c in w) for w in words) \
        and not any(c.isdigit() for c in p.text) and not p.text.rstrip().endswith((":", ";", "."))


def _paragraph_height_pt(p: Paragraph, width_mm: float) -> float:
    """A paragraph's height on the page: its wrapped lines at its size and line spacing, and the
    space before and after it (an estimate: word wrapping is taken as filling each line)."""
    size = next((r.size for r in p.runs if r.size), None) or 13.0
    bold = bool(p.runs) and all(r.bold for r in p.runs)
    f = p.format
    usable = max(width_mm - (f.left + f.right) / 56.7, 10.0)  # twips → mm
    lines = 0
    for line in p.text.split("\n") or [""]:
        lines += max(1, -(-int(text_width_mm(line, size, bold) * 1.05) // int(usable)))  # ceil, 5 % for wrapping
    if f.line_rule == "exact" and f.line:
        line_pt = f.line / 20
    elif f.line_rule in ("atLeast",) and f.line:
        line_pt = max(f.line / 20, size * 1.15)
    else:
        line_pt = size * 1.15 * ((f.line or 240) / 240)
    return lines * line_pt + (f.before + f.after) / 20
