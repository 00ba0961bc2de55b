"""Whether a word can be a Vietnamese syllable written in Unicode: an initial consonant, a
rhyme of the language, and at most one tone mark on a vowel where Vietnamese places it
(both the older 'hoà, thuỷ' and the newer 'hòa, thủy' placements).

The legacy-encoding detector asks this before it converts anything: 'Hoà Bình' and 'Kiên
Giang' are Vietnamese as they stand; 'Thoâng baùo' (VNI) and 'Th«ng b¸o' (TCVN3) cannot be.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONES = "\u0301\u0300\u0309\u0303\u0323"  # sắc, huyền, hỏi, ngã, nặng (combining, after NFD)
# vowel letters with their own marks (kept after the tone is taken off)
_BASE = {"a": "a", "ă": "ă", "â": "â", "e": "e", "ê": "ê", "i": "i", "o": "o", "ô": "ô", "ơ": "ơ", "u": "u",
         "ư": "ư", "y": "y"}
_INITIALS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g", "h", "k",
             "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
_FINALS = ("ch", "nh", "ng", "c", "m", "n", "p", "t", "k", "")  # k: Đắk Lắk, Kon Tum's neighbours
# The vowel groups of a rhyme with no final consonant, and with one (toneless, lower case).
_OPEN = {"a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia",
         "iu", "oa", "oai", "oay", "oe", "oeo", "oi", "ôi", "ơi", "ua", "uây", "ui", "uôi", "ưa", "ưi", "ươi", "ươu",
         "ưu", "uy", "uya", "uyu", "iêu", "yêu", "uê", "uơ", "oo", "ya"}
_CLOSED = {"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "iê", "yê", "uô", "ươ", "oa", "oă", "oe",
           "uâ", "uê", "uy", "uyê", "oo"}
# Where the tone sits in each vowel group: the index of the vowel that carries it (either
# placement allowed where usage has two: hoà / hòa, thuỷ / thủy, khoẻ / khỏe).
_TONE_AT = {"ai": {0}, "ao": {0}, "au": {0}, "ay": {0}, "âu": {0}, "ây": {0}, "eo": {0}, "êu": {0}, "ia": {0},
            "iu": {0}, "oi": {0}, "ôi": {0}, "ơi": {0}, "ua": {0, 1}, "ui": {0}, "ưa": {0}, "ưi": {0}, "ưu": {0},
            "oa": {0, 1}, "oe": {0, 1}, "uy": {0, 1}, "oai": {1}, "oay": {1}, "oeo": {1}, "uây": {1}, "uôi": {1},
            "ươi": {1}, "ươu": {1}, "uya": {1}, "uyu": {1}, "iêu": {1}, "yêu": {1}, "uê": {1}, "uơ": {1},
            "oo": {0, 1}, "ya": {0, 1}, "iê": {1}, "yê": {1}, "uô": {1}, "ươ": {1}, "oă": {1}, "uâ": {1},
            "uyê": {2}}


def _split(letter: str) -> tuple[str, bool]:
    """A letter without its tone, and whether it had one."""
    decomposed = unicodedata.normalize("NFD", letter)
    toned = any(c in _TONES for c in decomposed)
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return base, toned


@lru_cache(maxsize=4096)
def is_syllable(word: str) -> bool:
    """'hoà', 'Kiên', 'thuỷ', 'nghiêng' → True; 'thoâng', 'baùo', 'chaøo' → False."""
    word = unicodedata.normalize("NFC", word).lower()
    if not word or not word.isalpha():
        return False
    letters, tone_at = [], []
    for i, letter in enumerate(word):
        base, toned = _split(letter)
        letters.append(base)
        if toned:
            tone_at.append(i)
    if len(tone_at) > 1:
        return False
    plain = "".join(letters)
    for initial in _INITIALS:
        if not plain.startswith(initial):
            continue
        rest = plain[len(initial):]
        if initial in ("gi", "qu") and not rest:
            continue
        for final in _FINALS:
            if final and not rest.endswith(final):
                continue
            group = rest[: len(rest) - len(final)] if final else rest
            if not group or any(c not in _BASE for c in group):
                continue
            if group not in (_CLOSED if final else _OPEN):
                continue
            if not tone_at:
                return True
            position = tone_at[0] - len(initial)
            if not 0 <= position < len(group):
                continue
            allowed = {len(group) - 1} if final else _TONE_AT.get(group, {0})
            if len(group) == 1 or position in allowed or (final and group in ("oa", "oe", "uy") and position == 1):
                return True
    return False


_WORD = re.compile(r"[^\W\d_]+")


def words(text: str) -> list[str]:
    return _WORD.findall(text)
