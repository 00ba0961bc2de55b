"""The body markup of records: lines → typed blocks, inline **bold** and *italic*.

    I. MỤC ĐÍCH, YÊU CẦU        a Mục heading (Roman numeral): bold, upper-cased
    1. Mục đích                 a khoản with a title (no closing punctuation): bold
    1. Văn bản này có hiệu lực. a khoản without title (ends with . ; or :): upright
    a) Đối với …                a điểm
    - …   + …                   bullets, kept as typed (the decree defines nothing below điểm)
    Điều 1. …                   an article: "Điều 1." bold
    Phần I / Chương I           a part label, centred bold; its title, the next line, centred
                                bold capitals (Phụ lục I, Mục II, khoản 6)
    | a | b |                   a table; the first row is the header. A rule row under it
    |:--|----:|                 sets each column's alignment (':--' left, '--:' right for
                                numbers, ':-:' centred) and relative width (its dashes);
    | ^ | x |                   '^' merges a cell with the one above (a group)
    anything else               a body paragraph

A blank line separates paragraphs; lines are otherwise paragraphs of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MUC = re.compile(r"^(?P<label>[IVXLC]+\.)\s+(?P<text>.+)$")
KHOAN = re.compile(r"^(?P<label>\d+(?:\.\d+)*\.)\s+(?P<text>.+)$")
DIEM = re.compile(r"^(?P<label>[a-zđ]\))\s+(?P<text>.+)$")
DIEU = re.compile(r"^(?P<label>Điều \d+\.)\s*(?P<text>.*)$")
PHAN = re.compile(r"^(?P<label>(?:Phần|Chương|Mục) [IVXLC\d]+)$")
BULLET = re.compile(r"^(?P<label>[-+])\s+(?P<text>.+)$")
TABLE_ROW = re.compile(r"^\|.*\|$")
TABLE_RULE = re.compile(r"^\|(\s*:?-{3,}:?\s*\|)+$")
INLINE = re.compile(r"\*\*(?P<bold>.+?)\*\*|\*(?P<italic>[^*\s](?:[^*]*[^*\s])?)\*")


@dataclass
class Segment:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Block:
    kind: str  # muc, khoan, khoan_tieu_de, diem, gach, cong, dieu, phan, phan_tieu_de, doan, bang
    label: str = ""
    segments: list[Segment] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # tables
    aligns: list[str | None] = field(default_factory=list)  # a table's columns: 'left', 'right', 'center'
    widths: list[float] = field(default_factory=list)  # a table's relative column widths

    @property
    def plain(self) -> str:
        body = "".join(s.text for s in self.segments)
        return f"{self.label} {body}".strip() if self.label else body


def inline(text: str) -> list[Segment]:
    """Split **bold** and *italic* spans; the markers themselves are dropped."""
    out, pos = [], 0
    for match in INLINE.finditer(text):
        if match.start() > pos:
            out.append(Segment(text[pos:match.start()]))
        if match["bold"] is not None:
            out.append(Segment(match["bold"], bold=True))
        else:
            out.append(Segment(match["italic"], italic=True))
        pos = match.end()
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip()[1:-1].split("|")]


def _rule_row(line: str) -> tuple[list[str | None], list[float]]:
    """'|:--|----:|' → alignments ('left', 'right'), relative widths (the dashes of each)."""
    aligns: list[str | None] = []
    widths: list[float] = []
    for cell in _cells(line):
        left, right = cell.startswith(":"), cell.endswith(":")
        aligns.append("center" if left and right else "right" if right else "left" if left else None)
        widths.append(float(cell.count("-")))
    return aligns, widths


def parse(text: str) -> list[Block]:
    blocks: list[Block] = []
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if not line:
            continue
        if TABLE_ROW.match(line):
            rows = [_cells(line)]
            aligns: list[str | None] = []
            widths: list[float] = []
            while i < len(lines) and TABLE_ROW.match(lines[i].strip()):
                if TABLE_RULE.match(lines[i].strip()):
                    aligns, widths = _rule_row(lines[i].strip())
                else:
                    rows.append(_cells(lines[i].strip()))
                i += 1
            blocks.append(Block("bang", rows=rows, aligns=aligns, widths=widths))
            continue
        block = classify(line)
        if block.kind == "doan" and blocks and blocks[-1].kind == "phan":
            block = Block("phan_tieu_de", "", [Segment(s.text.upper(), True, s.italic) for s in block.segments])
        blocks.append(block)
    return blocks


def classify(line: str) -> Block:
    first = line[:1]  # each pattern can only match lines starting with one of a few characters
    if first in "PCM" and (m := PHAN.match(line)):
        return Block("phan", m["label"])
    if first == "Đ" and (m := DIEU.match(line)):
        return Block("dieu", m["label"], inline(m["text"]))
    if first in "IVXLC" and (m := MUC.match(line)):
        return Block("muc", m["label"], inline(m["text"].upper()))
    if first.isdigit() and (m := KHOAN.match(line)):
        titled = not m["text"].rstrip().endswith((".", ";", ":", "./.", "…"))
        return Block("khoan_tieu_de" if titled else "khoan", m["label"], inline(m["text"]))
    if first.islower() and (m := DIEM.match(line)):
        return Block("diem", m["label"], inline(m["text"]))
    if first in "-+" and (m := BULLET.match(line)):
        return Block("gach" if m["label"] == "-" else "cong", m["label"], inline(m["text"]))
    return Block("doan", "", inline(line))
