"""A word-level difference between two drafts' texts, paragraph by paragraph.

Paragraphs are aligned first (a paragraph inserted or removed shifts nothing after it); a
paragraph that changed is then compared word by word, spaces and punctuation kept as tokens so
the text reads back exactly.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

# A word (letters, digits and the marks inside them), a run of spaces, or one other character.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
# Paragraphs this similar are one paragraph edited, not one removed and another added.
SAME_PARAGRAPH = 0.4


@dataclass(frozen=True)
class Piece:
    op: str  # 'equal', 'insert', 'delete'
    text: str


@dataclass(frozen=True)
class ParagraphDiff:
    kind: str  # 'equal', 'changed', 'inserted', 'deleted'
    pieces: tuple[Piece, ...]

    @property
    def old(self) -> str:
        return "".join(p.text for p in self.pieces if p.op != "insert")

    @property
    def new(self) -> str:
        return "".join(p.text for p in self.pieces if p.op != "delete")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFC", text))


def word_diff(old: str, new: str) -> tuple[Piece, ...]:
    """old → new as equal, deleted and inserted pieces, adjacent pieces of one kind joined."""
    a, b = tokens(old), tokens(new)
    out: list[Piece] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if out and out[-1].op == op:
            out[-1] = Piece(op, out[-1].text + text)
        else:
            out.append(Piece(op, text))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", "".join(a[i1:i2]))
        else:
            add("delete", "".join(a[i1:i2]))
            add("insert", "".join(b[j1:j2]))
    return tuple(out)


def _similarity(old: str, new: str) -> float:
    return difflib.SequenceMatcher(None, tokens(old), tokens(new), autojunk=False).ratio()


def _replaced(old: list[str], new: list[str]) -> list[ParagraphDiff]:
    """A block of paragraphs replaced by another: each old one paired with the next new one it
    resembles, the others removed or added, in reading order."""
    out: list[ParagraphDiff] = []
    j = 0
    for paragraph in old:
        match = next((k for k in range(j, len(new)) if _similarity(paragraph, new[k]) >= SAME_PARAGRAPH), None)
        if match is None:
            out.append(ParagraphDiff("deleted", (Piece("delete", paragraph),)))
            continue
        out += [ParagraphDiff("inserted", (Piece("insert", p),)) for p in new[j:match]]
        out.append(ParagraphDiff("changed", word_diff(paragraph, new[match])))
        j = match + 1
    out += [ParagraphDiff("inserted", (Piece("insert", p),)) for p in new[j:]]
    return out


def paragraph_diff(old: list[str], new: list[str]) -> list[ParagraphDiff]:
    """The new text's paragraphs, with the old one's removed paragraphs in their places. Texts
    are compared in NFC: the same letters typed decomposed are no difference."""
    old = [unicodedata.normalize("NFC", p) for p in old]
    new = [unicodedata.normalize("NFC", p) for p in new]
    out: list[ParagraphDiff] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += [ParagraphDiff("equal", (Piece("equal", p),)) for p in new[j1:j2]]
        elif tag == "delete":
            out += [ParagraphDiff("deleted", (Piece("delete", p),)) for p in old[i1:i2]]
        elif tag == "insert":
            out += [ParagraphDiff("inserted", (Piece("insert", p),)) for p in new[j1:j2]]
        else:
            out += _replaced(old[i1:i2], new[j1:j2])
    return out


def changed(diff: list[ParagraphDiff]) -> bool:
    return any(p.kind != "equal" for p in diff)
