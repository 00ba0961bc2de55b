"""Body markup blocks → WordprocessingML paragraphs and tables in the named styles."""

from __future__ import annotations

from ..nd30 import layout
from . import ooxml as x
from .markup import Block, Segment, parse

E = layout.ELEMENTS
_STYLE = {
    "doan": "noi_dung", "khoan": "noi_dung", "diem": "noi_dung", "gach": "noi_dung", "cong": "noi_dung",
    "dieu": "noi_dung", "khoan_tieu_de": "khoan_tieu_de", "muc": "muc", "phan": "muc",
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
        if segments and segments[-1].text.endswith("."):
            segments[-1] = Segment(segments[-1].text + "/.", segments[-1].bold, segments[-1].italic)
        else:
            segments.append(Segment(CLOSING))
    if block.kind == "phan":
        return x.paragraph(x.run(block.label), x.ppr(style=style, align="center", first_line_mm=0, keep_next=True))
    label = ""
    if block.label:
        bold = True if block.kind == "dieu" else None
        label = x.run(block.label + " ", x.rpr(bold=bold))
    keep = block.kind in ("muc", "khoan_tieu_de")
    return x.paragraph(label + _runs(segments), x.ppr(style=style, keep_next=keep))


def simple_table(rows: list[list[str]], width_mm: float, widths: list[float] | None = None,
                 group_column: int | None = None) -> str:
    """A bordered table; row 1 is a header repeated on every page; optional vertical merge.

    Appendix tables run to thousands of rows, so each column's cell markup is built once and
    only the escaped text changes from row to row.
    """
    columns = max(len(r) for r in rows)
    weights = widths or [1.0] * columns
    col_mm = [width_mm * w / sum(weights) for w in weights]
    style = E["bang"].style_id
    header_para = x.ppr(style=style, align="center")
    body_para = x.ppr(style=style)
    bold = x.rpr(bold=True)

    def shell(c: int, merge: str | None, v_align: str) -> tuple[str, str]:
        before, after = x.cell("\0", col_mm[c], v_merge=merge, v_align=v_align).split("\0")
        return before, after

    header_cells = [shell(c, None, "center") for c in range(columns)]
    body_cells = {m: [shell(c, m, "top") for c in range(columns)] for m in (None, "restart", "continue")}
    out = []
    previous: list[str] | None = None
    for r, cells in enumerate(rows):
        cells = cells + [""] * (columns - len(cells))
        header = r == 0
        xml_cells = []
        for c, value in enumerate(cells):
            merge = None
            if group_column is not None and c == group_column and not header:
                same = previous is not None and r > 1 and previous[c] == value
                merge = "continue" if same else "restart"
            text = "" if merge == "continue" else value
            before, after = header_cells[c] if header else body_cells[merge][c]
            run = x.run(text, bold if header else "") if text else ""
            xml_cells.append(f"{before}<w:p>{header_para if header else body_para}{run}</w:p>{after}")
        out.append(x.row("".join(xml_cells), header=header, cant_split=True))
        previous = cells
    return x.table("".join(out), col_mm, borders=x.ALL_BORDERS, align="center", cell_margin_mm=1.5)


def body_xml(text: str, *, closing: bool = True, width_mm: float = layout.TEXT_WIDTH_MM,
             extra_before: list[Block] | None = None) -> str:
    """The whole body; the closing mark './.' goes on its last paragraph."""
    blocks = (extra_before or []) + parse(text)
    last_para = max((i for i, b in enumerate(blocks) if b.kind != "bang"), default=-1)
    out = []
    for i, block in enumerate(blocks):
        if block.kind == "bang":
            out.append(simple_table(block.rows, width_mm))
            out.append(x.paragraph("", x.ppr(after_pt=0, line_exact_pt=6)))
        else:
            out.append(block_paragraph(block, closing=closing and i == last_para))
    return "".join(out)
