"""Vietnamese text without its diacritics, for matching words whatever their accents."""

from __future__ import annotations

import re
import unicodedata


class _BaseLetters(dict):
    """code point → the character without its marks; each filled the first time it is met.

    str.translate through this table does per character what NFD-then-drop-marks does to a
    whole string, without building the decomposed copy (it runs on every value of a record).
    """

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFD", chr(code))
        value = "".join(c for c in decomposed if not unicodedata.combining(c))
        self[code] = value
        return value


# đ is a letter of its own in Unicode (no decomposition): mapped by hand.
_BASE = _BaseLetters({ord("đ"): "d", ord("Đ"): "D"})
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def strip_diacritics(text: str) -> str:
    """'Đồng Văn' → 'Dong Van'."""
    return text if text.isascii() else text.translate(_BASE)


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces: 'Trích  Yếu' → 'trich yeu'."""
    return " ".join(strip_diacritics(text).lower().split())


def fold_letters(text: str) -> str:
    """Letters and digits only: 'Độc lập - Tự do' → 'doclaptudo'."""
    return _NOT_LETTER_OR_DIGIT.sub("", strip_diacritics(text).lower())
