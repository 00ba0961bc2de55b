"""Text in the legacy Vietnamese encodings, detected and converted to Unicode.

TCVN3 (ABC, the '.VnTime' fonts) puts Vietnamese letters on Latin-1 code points
('Th«ng b¸o' = 'Thông báo'); VNI-Windows writes a base letter followed by a mark character
('Xin chaøo' = 'Xin chào'). Text copied out of old documents arrives in these forms.
"""

from __future__ import annotations

import re

from .syllables import is_syllable, words

# TCVN3 lower-case letters (upper case is the same codes in the '.VnTimeH' fonts) and the
# seven capitals it has codes of its own for.
_TCVN3 = dict(zip(
    "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ¡¢§£¤¥¦",
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ",
    strict=True))
# Code points TCVN3 uses that Unicode Vietnamese text never contains.
_TCVN3_ONLY = set("µ¸¶·¹¨»¾¼½Æ©ÇËÐÎÏÑªÖ×ØÜÞß«¬®¡¢§£¤¥¦")

# VNI: tone marks written after the vowel — none, sắc, huyền, hỏi, ngã, nặng.
_VNI_TONES = ["", "ù", "ø", "û", "õ", "ï"]
_VNI_VOWELS = {  # Unicode vowel (no tone) -> its VNI spelling for each tone
    "a": ["a" + t for t in _VNI_TONES], "e": ["e" + t for t in _VNI_TONES],
    "o": ["o" + t for t in _VNI_TONES], "u": ["u" + t for t in _VNI_TONES],
    "y": ["y", "yù", "yø", "yû", "yõ", "î"], "i": ["i", "í", "ì", "æ", "ó", "ò"],
    "ơ": ["ô" + t for t in _VNI_TONES], "ư": ["ö" + t for t in _VNI_TONES],
    "â": ["a" + m for m in "âáàåãä"], "ê": ["e" + m for m in "âáàåãä"], "ô": ["o" + m for m in "âáàåãä"],
    "ă": ["a" + m for m in "êéèúüë"],
}
_TONED = {  # Unicode letters for each vowel and tone, in the same order
    "a": "aáàảãạ", "e": "eéèẻẽẹ", "o": "oóòỏõọ", "u": "uúùủũụ", "y": "yýỳỷỹỵ", "i": "iíìỉĩị",
    "ơ": "ơớờởỡợ", "ư": "ưứừửữự", "â": "âấầẩẫậ", "ê": "êếềểễệ", "ô": "ôốồổỗộ", "ă": "ăắằẳẵặ",
}
_VNI: dict[str, str] = {"ñ": "đ", "Ñ": "Đ"}
for _vowel, _spellings in _VNI_VOWELS.items():
    for _spelling, _letter in zip(_spellings, _TONED[_vowel], strict=True):
        if _spelling != _letter:
            _VNI[_spelling] = _letter
            _VNI[_spelling.upper()] = _letter.upper()
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, _VNI), key=len, reverse=True)))
# A vowel followed by a VNI mark character: never seen in Unicode Vietnamese.
_VNI_SIGNS = re.compile("[aeiouyAEIOUY][ùøûõïâáàåãäêéèúüëÙØÛÕÏÂÁÀÅÃÄÊÉÈÚÜË]|[öñÖÑ]")
_UNICODE_ONLY = re.compile("[ăđơưĂĐƠƯ\u1ea0-\u1ef9]")


_LEGACY_WORD = re.compile(r"\S+")


def _from_tcvn3(text: str) -> str:
    return "".join(_TCVN3.get(c, c) for c in text)


def _from_vni(text: str) -> str:
    return _VNI_PATTERN.sub(lambda m: _VNI[m.group(0)], text)


def _core(token: str) -> str:
    """A token without the punctuation around it (TCVN3's letters are punctuation to Unicode)."""
    return token.strip(".,;:!?()[]{}\"'“”‘’-–…/")


def _tcvn3_word(word: str) -> bool:
    """A TCVN3 word: its own code points among ASCII letters ('Th«ng', 'b¸o'); a symbol that
    stands alone ('½ ngày', '©', '§ 3') is just that symbol."""
    return any(c in _TCVN3_ONLY for c in word) and re.search("[A-Za-z]", word) is not None \
        and not all(is_syllable(part) for part in words(word))


def _tcvn3_convertible(word: str) -> bool:
    """In text known to be TCVN3 (it has words no Unicode text has): any word among letters whose
    code points read as Vietnamese once converted ('Céng' is 'Cộng' there). A symbol standing
    alone ('½', '©') is left as it is."""
    if not any(c in _TCVN3 for c in word) or not re.search("[A-Za-z]", word):
        return False
    converted = _from_tcvn3(word)
    return all(is_syllable(part) or part.isascii() for part in words(converted))


def _vni_convertible(word: str) -> bool:
    """In text known to be VNI: any word whose VNI reading is Vietnamese."""
    converted = _from_vni(word)
    return converted != word and all(is_syllable(part) or part.isascii() for part in words(converted))


def _vni_word(word: str) -> bool:
    """A VNI word: not a Vietnamese syllable as it stands, one once read as VNI ('Thoâng' → 'Thông')."""
    if not _VNI_SIGNS.search(word) or all(is_syllable(part) for part in words(word)):
        return False
    converted = _from_vni(word)
    return bool(words(converted)) and all(is_syllable(part) or part.isascii() for part in words(converted))


def detect(text: str) -> str | None:
    """'tcvn3', 'vni', or None for text that is (or may be) Unicode Vietnamese already.

    Only text that cannot be Unicode Vietnamese is taken for a legacy encoding: a word is
    judged by whether it is a Vietnamese syllable (records/syllables.py), so 'Hoà Bình' (the
    older tone placement) and 'Kiên Giang' stay as they are.
    """
    if _UNICODE_ONLY.search(text):
        return None
    tokens = [_core(t) for t in _LEGACY_WORD.findall(text)]
    tcvn3 = sum(1 for t in tokens if _tcvn3_word(t))
    vni = sum(1 for t in tokens if _vni_word(t))
    if tcvn3 and tcvn3 >= vni:
        return "tcvn3"
    if vni:
        return "vni"
    return None


def to_unicode(text: str, encoding: str) -> str:
    """The legacy words of text converted; everything else (symbols, Unicode words) kept."""
    judge = _tcvn3_convertible if encoding == "tcvn3" else _vni_convertible

    def convert(match: re.Match) -> str:
        token = match.group(0)
        if not judge(_core(token)):
            return token
        return _from_tcvn3(token) if encoding == "tcvn3" else _from_vni(token)

    return _LEGACY_WORD.sub(convert, text)
