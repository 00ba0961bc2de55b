"""The main text must point to each appendix (Phụ lục I, Mục III, khoản 1) — nd30.md §3."""

from __future__ import annotations

import re

from .numbering import roman

_MENTION = re.compile(r"ph[uụ] l[uụ]c(?P<numbers>(?:\s*(?:,|và|-|–|đến)?\s*\b[IVXLC]+\b)*)", re.IGNORECASE)
_ROMAN_VALUES = {roman(i): i for i in range(1, 40)}


def referenced_appendices(text: str) -> set[int] | None:
    """Appendix numbers the text names ('Phụ lục I và II', 'Phụ lục I - III'); None when it
    mentions 'Phụ lục' without a number."""
    numbers: set[int] = set()
    bare = False
    for match in _MENTION.finditer(text):
        parts = re.findall(r"[IVXLC]+|-|–|đến", match["numbers"])
        if not parts:
            bare = True
        previous = None
        for i, part in enumerate(parts):
            if part in ("-", "–", "đến"):
                continue
            value = _ROMAN_VALUES.get(part)
            if value is None:
                continue
            if previous is not None and i and parts[i - 1] in ("-", "–", "đến"):
                numbers.update(range(previous, value + 1))
            numbers.add(value)
            previous = value
    return None if bare and not numbers else numbers


def unreferenced_appendices(text: str, count: int) -> list[str]:
    """The numbers ('I', 'II' …) of the appendices the text does not point to."""
    if count == 0:
        return []
    found = referenced_appendices(text)
    if found is None:  # "Phụ lục" without a number: enough when there is only one
        return [] if count == 1 else [roman(i) for i in range(2, count + 1)]
    return [roman(i) for i in range(1, count + 1) if i not in found]
