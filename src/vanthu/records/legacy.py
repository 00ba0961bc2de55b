"""Text in the legacy Vietnamese encodings, detected and converted to Unicode.

TCVN3 (ABC, the '.VnTime' fonts) puts Vietnamese letters on Latin-1 code points
('Th«ng b¸o' = 'Thông báo'); VNI-Windows writes a base letter followed by a mark character
('Xin chaøo' = 'Xin chào'). Text copied out of old documents arrives in these forms.
"""

from __future__ import annotations

import re

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


def detect(text: str) -> str | None:
    """'tcvn3', 'vni', or None for text that is (or may well be) Unicode already."""
    if _UNICODE_ONLY.search(text):
        return None
    tcvn3 = sum(1 for c in text if c in _TCVN3_ONLY)
    vni = len(_VNI_SIGNS.findall(text))
    if tcvn3 and tcvn3 >= vni:
        return "tcvn3"
    if vni >= 2 or (vni == 1 and len(text) < 12):
        return "vni"
    return None


def to_unicode(text: str, encoding: str) -> str:
    if encoding == "tcvn3":
        return "".join(_TCVN3.get(c, c) for c in text)
    return _VNI_PATTERN.sub(lambda m: _VNI[m.group(0)], text)
