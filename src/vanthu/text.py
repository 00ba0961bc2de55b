"""Vietnamese text without its diacritics, for matching words whatever their accents."""

from __future__ import annotations

import unicodedata


def strip_diacritics(text: str) -> str:
    """'Đồng Văn' → 'Dong Van' (đ is a letter of its own in Unicode: it is mapped by hand)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces: 'Trích  Yếu' → 'trich yeu'."""
    return " ".join(strip_diacritics(text).lower().split())


def fold_letters(text: str) -> str:
    """Letters and digits only: 'Độc lập - Tự do' → 'doclaptudo'."""
    return "".join(c for c in strip_diacritics(text).lower() if c.isalnum())
