"""`vanthu check --fix`: the one fixer. The fixable rules say what to repair (their findings'
Repair); this applies the repairs and writes a new file — never the input."""

from __future__ import annotations

import re
from pathlib import Path

from ..docview import DocumentView
from ..nd30.dates import day_text, month_text
from ..ooxml.edit import Editor
from .rule import Repair
from .rules import RULES


def _zero_pad(match: re.Match) -> str:
    return f"ngày {day_text(int(match[1]))} tháng {month_text(int(match[2]))}"


def fix_document(source: Path, target: Path) -> list[str]:
    """Write the repaired copy of source to target; returns what was done, one line a repair."""
    doc = DocumentView(source)
    editor = Editor(doc)
    done: list[str] = []
    applied: set[Repair] = set()
    for rule in RULES:
        if not rule.fixable:
            continue
        for finding in rule.evaluate(doc) or []:
            repair = finding.repair
            if repair is None or repair in applied:
                continue
            applied.add(repair)
            if _apply(editor, doc, repair):
                done.append(f"{rule.code} {finding.location}: {finding.fix or finding.message}")
    editor.save(target)
    return done


def _apply(editor: Editor, doc: DocumentView, repair: Repair) -> bool:
    if repair.kind == "margin":
        editor.set_margin(repair.section, repair.side, repair.value)
        return True
    if repair.kind == "fonts":
        editor.set_fonts(repair.font)
        return True
    paragraph = doc.paragraphs[repair.paragraph - 1]
    if repair.kind == "size":
        editor.set_size(paragraph, repair.value)
        return True
    if repair.kind == "colour":
        editor.clear_colour(paragraph)
        return True
    if repair.kind == "text":
        replacement = _zero_pad if repair.replacement == "zero-pad" else repair.replacement
        return editor.replace_text(paragraph, repair.pattern, replacement)
    raise ValueError(f"unknown repair {repair.kind}")
