"""Organ identifiers (mã định danh điện tử, QĐ 20/2020/QĐ-TTg, amended by QĐ 09/2025/QĐ-TTg),
checked for their form only — never against a list, which changes as agencies are reorganised."""

from __future__ import annotations

import re

# QĐ 20/2020: four groups, the level-1 group last: 000.00.00.H41, 000.00.00.G22, 002.00.20.H13.
CLASSIC = re.compile(r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}")
# After QĐ 09/2025 (the two-level local government): the level-1 group first, then a group per
# level below it: H01, H01.151, H01.151.01 (notes/next-features.md §A.3, a secondary source).
LEVEL_FIRST = re.compile(r"[A-Z]\d{2}(?:\.\d{2,3}){0,3}")


def valid_organ_id(value: str) -> bool:
    return bool(CLASSIC.fullmatch(value) or LEVEL_FIRST.fullmatch(value))
