"""Input hygiene applied to every record before validation.

Text becomes Unicode NFC; characters that PDF copy-paste leaves behind are repaired, each
repair reported as a warning at the value's origin.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from ..errors import Problem
from ..i18n import N_, _
from .source import RawRecord, dotted

# 'ƣ'/'Ƣ' (U+01A3/U+01A2, "oi") stand in for 'ư'/'Ư' in text copied out of some PDFs.
_LOOKALIKES = str.maketrans({"\u01a3": "ư", "\u01a2": "Ư"})
# Soft hyphen, zero-width space/joiners, word joiner, BOM.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def clean_text(value: str) -> tuple[str, list[str]]:
    """The cleaned text and the English message ids of what was repaired."""
    if value.isascii():
        return value, []  # every character repaired here is outside ASCII, and ASCII is NFC
    repairs = []
    fixed = value
    if "\u01a3" in value or "\u01a2" in value:
        fixed = value.translate(_LOOKALIKES)
        repairs.append(N_("replaced 'ƣ' (U+01A3), a PDF copy artefact, with 'ư'"))
    stripped = fixed
    if _INVISIBLE.search(fixed):
        stripped = _INVISIBLE.sub("", fixed)
        repairs.append(N_("removed invisible characters (soft hyphen, zero-width space)"))
    normal = stripped if unicodedata.is_normalized("NFC", stripped) else unicodedata.normalize("NFC", stripped)
    return normal, repairs


def clean_record(raw: RawRecord) -> tuple[Any, list[Problem]]:
    problems: list[Problem] = []

    def walk(value: Any, path: tuple) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, path + (k,)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, path + (i,)) for i, v in enumerate(value)]
        if isinstance(value, str):
            fixed, repairs = clean_text(value)
            for repair in repairs:
                problems.append(Problem(raw.origin(path), dotted(path), _(repair), "warning"))
            return fixed
        return value

    return walk(raw.data, ()), problems
