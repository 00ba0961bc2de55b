"""Số and ký hiệu (Phụ lục I, Mục II, khoản 3; Điều 15) — nd30.md §2.2, §4, §6.1."""

from __future__ import annotations

import re

from .doc_types import DocType

# Blank number for e-office stamping: the system writes the number onto the signed file.
BLANK_NUMBER = "\u00a0" * 6


def format_number(number: int | None) -> str:
    """Số văn bản: leading zero below 10 ('05'), none from 10 on; blank when not yet numbered."""
    if number is None:
        return BLANK_NUMBER
    if number < 1:
        raise ValueError("document numbers start at 01")
    return f"{number:02d}"


def ky_hieu(doc_type: DocType, agencies: list[str], drafting_unit: str | None = None) -> str:
    """Ký hiệu (symbol after the '/'): groups joined by '-' without spaces, no year.

    Typed documents: TYPE-AGENCY ('TB-SCT'); joint documents name every agency
    ('KH-SCT-SVHTTDL'). Công văn has no type abbreviation: AGENCY-UNIT ('SCT-VP'),
    never 'CV'.
    """
    groups = [doc_type.abbreviation] if doc_type.abbreviation else []
    groups += agencies
    if doc_type.abbreviation is None and drafting_unit:
        groups.append(drafting_unit)
    return "-".join(g.strip() for g in groups if g and g.strip())


def so_ky_hieu(number: int | None, symbol: str, year: int | None = None) -> str:
    """'05/TB-SCT' — the number, '/', then the ký hiệu; a legal-normative document (văn bản quy
    phạm pháp luật) carries its year between them: '33/2009/QĐ-UBND'."""
    middle = f"{year}/" if year else ""
    return f"{format_number(number)}/{middle}{symbol}"


def so_line(number: int | None, symbol: str, year: int | None = None) -> str:
    """The whole ô 3 line: 'Số: 05/TB-SCT' ('Số' lower case with a colon)."""
    return f"Số: {so_ky_hieu(number, symbol, year)}"


# The types a legal-normative document may be issued as (Luật Ban hành văn bản QPPL, Điều 4):
# its number carries the year; an administrative document's never does (nd30.md §3).
NORMATIVE_TYPES = ("quyet_dinh", "nghi_quyet", "chi_thi", "thong_tu")


# A symbol group: letters (Vietnamese capitals included) and digits, e.g. 'TB', 'QĐ', 'UBND', 'TTr'.
_GROUP = r"[0-9A-ZĐa-zđ][0-9A-Za-zĐđ]*"
SO_KY_HIEU_PATTERN = re.compile(rf"^(?P<so>\d{{2,}})/(?P<ky_hieu>{_GROUP}(?:-{_GROUP})+)$")


def parse_so_ky_hieu(text: str) -> tuple[int, str] | None:
    """Split '05/TB-SCT' into (5, 'TB-SCT'); None when it is not in the decree's form."""
    match = SO_KY_HIEU_PATTERN.match(text.strip())
    if not match:
        return None
    return int(match["so"]), match["ky_hieu"]


# Điểm letters follow the Vietnamese alphabet: no f, j, w, z; đ after d (Mục II, khoản 6).
DIEM_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()


def diem_letter(index: int) -> str:
    """The letter of the index-th điểm (0-based): a, b, c, d, đ, e, g, …"""
    return DIEM_LETTERS[index]


_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(number: int) -> str:
    """Roman numeral for Mục headings and appendix numbers (I, II, …)."""
    out = []
    for value, letters in _ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)
