"""Body markup blocks → WordprocessingML paragraphs and tables in the named styles."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..nd30 import layout
from ..ooxml import write as x
from .markup import Block, Segment, parse

E = layout.ELEMENTS
_STYLE = {
    "doan": "noi_dung", "khoan": "noi_dung", "diem": "noi_dung", "gach": "noi_dung", "cong": "noi_dung",
    "dieu": "noi_dung", "khoan_tieu_de": "khoan_tieu_de", "muc": "muc", "phan": "muc", "phan_tieu_de": "muc",
}
CLOSING = "./."


def _runs(segments: list[Segment]) -> str:
    return "".join(x.run(s.text, x.rpr(bold=True if s.bold else None, italic=True if s.italic else None))
                   for s in segments if s.text)


def block_paragraph(block: Block, closing: bool = False) -> str:
    style = E[_STYLE[block.kind]].style_id
    segments = list(block.segments)
    if closing and not block.plain.endswith("/."):
        # The content closes with "./." — a final full stop is part of it, not doubled.
        if segments and segments[-1].text.rstrip().endswith((".", "!", "?", "…")):
            # a sentence that ends already ('… không?', '… nhé!') takes only the slash and stop
            last = segments[-1]
            segments[-1] = Segment(last.text.rstrip() + "/.", last.bold, last.italic)
        else:
            segments.append(Segment(CLOSING))
    if block.kind == "phan":
        return x.paragraph(x.run(block.label), x.ppr(style=style, align="center", first_line_mm=0, keep_next=True))
    if block.kind == "phan_tieu_de":
        return x.paragraph(_runs(segments), x.ppr(style=style, align="center", first_line_mm=0, keep_next=True))
    label = ""
    if block.label:
        bold = True if block.kind == "dieu" else None
        label = x.run(block.label + " ", x.rpr(bold=bold))
    # headings keep with what follows; the closing paragraph keeps with the signer block, so
    # the block never stands on a page without the text it signs (Mẫu 1.4)
    keep = block.kind in ("muc", "khoan_tieu_de") or closing
    return x.paragraph(label + _runs(segments), x.ppr(style=style, keep_next=keep))


Shells = tuple[tuple[str, str], ...]  # per column: cell markup before and after its paragraph


@dataclass(frozen=True)
class _TableMarkup:
    """Everything of a table's markup but its texts, for one set of column widths."""

    header_cells: Shells
    body_cells: dict[str | None, Shells]  # by vertical merge: None, 'restart', 'continue'
    header_row: str  # a row with '\0' where its cells go
    body_row: str
    plain_row: tuple[str, ...]  # a body row of plain texts: markup with '' where each text goes


# Columns that hold a running number (STT): centred, as tables in issued documents print them.
_NUMBER_HEADERS = {"stt", "tt", "so tt", "so thu tu"}


def centred_columns(header: list[str]) -> tuple[bool, ...]:
    from ..text import fold

    return tuple(fold(str(h)).strip(" .") in _NUMBER_HEADERS for h in header)


@lru_cache(maxsize=64)  # tables of a batch share their layout
def _table_markup(col_mm: tuple[float, ...], centred: tuple[bool, ...] = ()) -> _TableMarkup:
    def shells(merge: str | None, v_align: str) -> Shells:
        return tuple(tuple(x.cell("\0", width, v_merge=merge, v_align=v_align).split("\0", 1))  # type: ignore[misc]
                     for width in col_mm)

    body_cells = {m: shells(m, "top") for m in (None, "restart", "continue")}
    body_row = x.row("\0", cant_split=True)
    row_open, row_close = body_row.split("\0")
    pieces = [row_open]
    for i, (before, after) in enumerate(body_cells[None]):
        align = "center" if i < len(centred) and centred[i] else None
        pieces[-1] += f'{before}<w:p>{x.ppr(style=E["bang"].style_id, align=align)}<w:r><w:t xml:space="preserve">'
        pieces += ["", f"</w:t></w:r></w:p>{after}"]
    pieces[-1] += row_close
    return _TableMarkup(shells(None, "center"), body_cells, x.row("\0", header=True, cant_split=True), body_row,
                        tuple(pieces))


# A cell holding only this continues the cell above it (a merged group), in body tables.
MERGE_UP = "^"


def simple_table(rows: list[list[str]], width_mm: float, widths: list[float] | None = None,
                 group_column: int | None = None, aligns: list[str | None] | None = None) -> str:
    """A bordered table; row 1 is a header repeated on every page; optional vertical merge
    (a group column's equal values, or cells written '^'); per-column alignment.

    Appendix tables run to thousands of rows, so the markup around the texts is built once
    per layout and only the escaped texts change from row to row.
    """
    columns = max(len(r) for r in rows)
    weights = widths or [1.0] * columns
    col_mm = tuple(width_mm * w / sum(weights) for w in weights)
    style = E["bang"].style_id
    header_para = x.ppr(style=style, align="center")
    centred = centred_columns(rows[0]) if rows else ()
    chosen = [(aligns[i] if aligns and i < len(aligns) else None) or ("center" if i < len(centred) and centred[i]
                                                                      else None) for i in range(columns)]
    body_paras = [x.ppr(style=style, align=a) for a in chosen]
    bold = x.rpr(bold=True)
    markup = _table_markup(col_mm, centred) if not aligns else None
    merges = any(MERGE_UP in (c.strip() for c in row) for row in rows[1:])
    if markup is None or merges:  # alignments or merges of its own: the table's own markup
        markup = _table_markup(col_mm, tuple(a == "center" for a in chosen))
        fast = False
    else:
        fast = True
    pieces = list(markup.plain_row)  # a row of plain texts fills pieces[1::2]
    out = []
    previous: list[str] | None = None
    for r, cells in enumerate(rows):
        cells = cells + [""] * (columns - len(cells))
        header = r == 0
        if fast and not header and group_column is None and all(cells) and x.verbatim("".join(cells)):
            pieces[1::2] = cells
            out.append("".join(pieces))
            continue
        paras, props = ([header_para] * columns, bold) if header else (body_paras, "")
        shells = list(markup.header_cells if header else markup.body_cells[None])
        values = list(cells)
        if group_column is not None and not header:
            same = previous is not None and r > 1 and previous[group_column] == cells[group_column]
            shells[group_column] = markup.body_cells["continue" if same else "restart"][group_column]
            if same:
                values[group_column] = ""  # a continued merge shows the cell above
        if merges and not header:
            below = rows[r + 1] if r + 1 < len(rows) else []
            for c in range(columns):
                if cells[c].strip() == MERGE_UP and r > 1:
                    shells[c], values[c] = markup.body_cells["continue"][c], ""
                elif c < len(below) and below[c].strip() == MERGE_UP:
                    shells[c] = markup.body_cells["restart"][c]
        xml_cells = "".join([f"{before}<w:p>{para}{x.run(value, props) if value else ''}</w:p>{after}"
                             for (before, after), value, para in zip(shells, values, paras, strict=True)])
        out.append((markup.header_row if header else markup.body_row).replace("\0", xml_cells))
        previous = cells
    return x.table("".join(out), list(col_mm), borders=x.ALL_BORDERS, align="center",
                   cell_margin_mm=layout.TABLE_CELL_MARGIN_MM)


def body_xml(text: str | list[Block], *, closing: bool = True, width_mm: float = layout.TEXT_WIDTH_MM,
             extra_before: list[Block] | None = None) -> str:
    """The whole body (markup text, or blocks already parsed); './.' goes on its last paragraph."""
    blocks = (extra_before or []) + (parse(text) if isinstance(text, str) else text)
    last_para = max((i for i, b in enumerate(blocks) if b.kind != "bang"), default=-1)
    out = []
    for i, block in enumerate(blocks):
        if block.kind == "bang":
            out.append(simple_table(block.rows, width_mm, block.widths or None, aligns=block.aligns or None))
            out.append(x.paragraph("", x.ppr(after_pt=0, line_exact_pt=6)))
        else:
            out.append(block_paragraph(block, closing=closing and i == last_para))
    return "".join(out)
