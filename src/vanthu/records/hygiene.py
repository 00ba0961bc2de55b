"""Input hygiene: the repairs and checks run on every text value of a record.

`vanthu generate` applies the repairs before validation and reports each as a warning at the
value's origin (or stops with --strict); `vanthu lint` reports them and the checks below,
and writes repaired copies with --fix.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from ..i18n import N_, _
from ..nd30 import texts
from ..text import fold_letters
from . import legacy
from .source import RawRecord, dotted

# 'ƣ'/'Ƣ' (U+01A3/U+01A2, "oi") stand in for 'ư'/'Ư' in text copied out of some PDFs.
_LOOKALIKES = str.maketrans({"\u01a3": "ư", "\u01a2": "Ư"})
# Soft hyphen, zero-width space/joiners, word joiner, BOM.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# '34- NQ/TU' → '34-NQ/TU' (a Party document's number and type).
_PARTY_SYMBOL = re.compile(r"\b(\d+)\s*-\s+([A-ZĐ][A-Za-zĐ]*/[A-ZĐ][A-Za-zĐ]*)\b|\b(\d+)\s+-\s*([A-ZĐ][A-Za-zĐ]*/)")
# '5/TB SCT', '5 / TB - SCT' → '05/TB-SCT' (an administrative document's number and symbol).
_ADMIN_SYMBOL = re.compile(r"\b(\d{1,4})\s*/\s*([A-ZĐ][A-Za-zĐ]{0,3})(?:\s*-\s*|\s+)([A-ZĐ]{2,}(?:-[A-ZĐ]+)*)\b")
_TIEU_NGU_FOLDED = "doclaptudohanhphuc"
# C0 controls but tab and newline, and DEL: XML cannot carry them, and deleting one joins two words.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)")
# Bidirectional embeddings, overrides and isolates: they reverse the text around them in a PDF.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f]")
# Excel's escape of a character XML cannot hold ('_x000B_'), as openpyxl leaves it in a cell.
_EXCEL_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")
# Blocks of Times New Roman (and Liberation Serif, which renders the PDFs) that do hold glyphs
# above U+0900: Vietnamese (Latin Extended Additional), punctuation, currency, letterlike
# symbols, number forms, arrows, mathematical operators, presentation forms.
_FONT_BLOCKS = ((0x1E00, 0x1EFF), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x22FF), (0x2500, 0x25FF),
                (0xFB00, 0xFB4F), (0xFFFC, 0xFFFD))


# One search decides for nearly every value (this runs on every text of every record).
_SHOWABLE = "\x00-\u05ff" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _FONT_BLOCKS)
_UNSHOWABLE = re.compile(f"[^{_SHOWABLE}]")


def unshowable(text: str) -> list[str]:
    """Characters the documents' fonts have no glyph for (CJK, Hangul, Arabic, emoji …), in order."""
    if _UNSHOWABLE.search(text) is None:
        return []
    out: list[str] = []
    for char in text:
        code = ord(char)
        if code < 0x0600 or char in out or char in "\t\n":
            continue
        if 0x0600 <= code < 0x0900 or not any(lo <= code <= hi for lo, hi in _FONT_BLOCKS):
            out.append(char)
    return out


def decode_excel_escapes(value: str) -> str:
    """'_x000B_' → U+000B, '_x005F_' → '_', as Excel wrote them into the workbook's XML."""
    if "_x" not in value:
        return value
    return _EXCEL_ESCAPE.sub(lambda m: chr(int(m[1], 16)), value)


@dataclass(frozen=True)
class Repair:
    message: str  # English message id; formatted with before/after
    before: str
    after: str


def _fix_admin_symbol(match: re.Match) -> str:
    return f"{int(match[1]):02d}/{match[2]}-{match[3]}"


def _fix_party_symbol(match: re.Match) -> str:
    return f"{match[1]}-{match[2]}" if match[1] else f"{match[3]}-{match[4]}"


def _may_be_tieu_ngu(line: str) -> bool:
    """A cheap filter before folding: 18 letters starting with Đ/D, in a line of modest length."""
    stripped = line.strip()
    return len(_TIEU_NGU_FOLDED) <= len(stripped) <= 80 and stripped[0] in "ĐđDd"


def repair_text(value: str) -> tuple[str, list[Repair]]:
    """The repaired text, and what was repaired (in the order it was done)."""
    repairs: list[Repair] = []
    text = value
    if "\r\n" in text:  # a Windows line ending is a line ending, not a repair to report
        text = text.replace("\r\n", "\n")
    if _CONTROL.search(text):
        fixed = _CONTROL.sub(" ", text)
        repairs.append(Repair(N_("replaced control characters with spaces (deleted, they would join two words)"),
                              text, fixed))
        text = fixed
    if text.isascii() and not _ADMIN_SYMBOL.search(text) and not _PARTY_SYMBOL.search(text):
        return text, repairs  # every other repair concerns characters outside ASCII
    if _BIDI.search(text):
        fixed = _BIDI.sub("", text)
        repairs.append(Repair(N_("removed bidirectional control characters (they reverse text in the PDF)"),
                              text, fixed))
        text = fixed
    encoding = legacy.detect(text)
    if encoding:
        converted = legacy.to_unicode(text, encoding)
        message = N_("text in the TCVN3 (ABC) encoding converted to Unicode") if encoding == "tcvn3" \
            else N_("text in the VNI encoding converted to Unicode")
        repairs.append(Repair(message, text, converted))
        text = converted
    if "\u01a3" in text or "\u01a2" in text:
        fixed = text.translate(_LOOKALIKES)
        repairs.append(Repair(N_("replaced 'ƣ' (U+01A3), a PDF copy artefact, with 'ư'"), text, fixed))
        text = fixed
    if _INVISIBLE.search(text):
        fixed = _INVISIBLE.sub("", text)
        repairs.append(Repair(N_("removed invisible characters (soft hyphen, zero-width space)"), text, fixed))
        text = fixed
    if not unicodedata.is_normalized("NFC", text):
        fixed = unicodedata.normalize("NFC", text)
        repairs.append(Repair(N_("converted to Unicode NFC (precomposed letters)"), text, fixed))
        text = fixed
    for pattern, function in ((_PARTY_SYMBOL, _fix_party_symbol), (_ADMIN_SYMBOL, _fix_admin_symbol)):
        if pattern.search(text) is None:  # a search fails faster than a sub that changes nothing
            continue
        fixed = pattern.sub(function, text)
        if fixed != text:
            repairs.append(Repair(N_("document number and symbol written without spaces"), text, fixed))
            text = fixed
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not _may_be_tieu_ngu(line):
            continue
        if fold_letters(line) == _TIEU_NGU_FOLDED and line.strip() != texts.TIEU_NGU:
            lines[i] = line[: len(line) - len(line.lstrip())] + texts.TIEU_NGU  # keep the indentation
    if "\n".join(lines) != text:
        repairs.append(Repair(N_("Tiêu ngữ written as the decree writes it"), text, "\n".join(lines)))
        text = "\n".join(lines)
    return text, repairs


# ---- checks that lint reports but cannot repair -------------------------------------------

_CAPITALS = [
    # (pattern, suggestion): nd30.md §5 rules a machine can check with few false alarms
    (re.compile(r"(?<!ban )(?<!đồng )(?<!án )(?<!sát )(?<!Ban )\bnhân dân\b(?! (tỉnh|huyện|xã|thành phố|quận|phường))"),
     "Nhân dân"),
    (re.compile(r"\b(Ủy|Uỷ) Ban Nhân Dân\b"), "Ủy ban nhân dân"),
    (re.compile(r"\bHội Đồng Nhân Dân\b"), "Hội đồng nhân dân"),
    (re.compile(r"\b(chính phủ)\b(?= (đã|ban hành|quy định))"), "Chính phủ"),
]
_DATES = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b|ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})")


def date_checks(value: str) -> list[tuple[str, str, dict]]:
    """Dates written in the text that do not exist ('ngày 30 tháng 2 năm 2021')."""
    out: list[tuple[str, str, dict]] = []
    if ("/" not in value and "ngày" not in value) or _DATES.fullmatch(value.strip()):
        return out  # no date; or a date field, which the model judges itself
    for match in _DATES.finditer(value):
        day, month, year = (int(g) for g in (match.groups()[:3] if match[1] else match.groups()[3:]))
        try:
            dt.date(year, month, day)
        except ValueError:
            out.append(("error", N_("'{text}' is not a date"), {"text": match.group(0)}))
    return out


def text_checks(value: str) -> list[tuple[str, str, dict]]:
    """(severity, English message id, values) for what lint reports without repairing."""
    out = date_checks(value)
    for pattern, suggestion in _CAPITALS:
        for match in pattern.finditer(value):
            out.append(("warning", N_("'{text}': the decree writes '{suggestion}' (Phụ lục II)"),
                        {"text": match.group(0), "suggestion": suggestion}))
    return out


def describe(repair: Repair) -> str:
    """The repair's message with the changed part of the text, before and after."""
    before, after = repair.before, repair.after
    start = next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b),
                 min(len(before), len(after)))
    tail = next((i for i, (a, b) in enumerate(zip(reversed(before), reversed(after), strict=False)) if a != b),
                min(len(before), len(after)) - start)
    left = max(start - 20, 0)

    def window(text: str) -> str:
        end = min(len(text) - tail + 20, len(text))
        return (("…" if left else "") + text[left:end] + ("…" if end < len(text) else "")).replace("\n", "↵")

    return f"{_(repair.message)}: '{window(before)}' → '{window(after)}'"


def clean_record(raw: RawRecord) -> tuple[Any, list[Problem]]:
    """Every text value repaired; each repair a warning at the value's origin."""
    problems: list[Problem] = []

    def walk(value: Any, path: tuple) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, (*path, i)) for i, v in enumerate(value)]
        if isinstance(value, str):
            fixed, repairs = repair_text(value)
            for repair in repairs:
                problems.append(Problem(raw.origin(path), dotted(path), describe(repair), "warning"))
            missing = unshowable(fixed)
            if missing:
                shown = " ".join(f"{c} (U+{ord(c):04X})" for c in missing[:8])
                problems.append(Problem(raw.origin(path), dotted(path), _(
                    "the documents' fonts (Times New Roman) cannot show {chars}: they would vanish from the PDF"
                ).format(chars=shown), "warning"))
            for _severity, message, values in date_checks(fixed):
                problems.append(Problem(raw.origin(path), dotted(path), _(message).format(**values), "warning"))
            return fixed
        return value

    return walk(raw.data, ()), problems
