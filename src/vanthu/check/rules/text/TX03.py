from __future__ import annotations

import re
import unicodedata

from ....docview import DocumentView
from ....i18n import N_, _
from ....nd30 import layout
from ...rule import Finding, Rule, at

# Latin-1 symbols that TCVN3 (.VnTime) uses for Vietnamese letters and Unicode text never has
# inside a word: '¸' á, 'µ' à, '¶' ả, '·' ã, '¹' ạ, '¨' ă, '©' â, '®' đ, 'ª' ê, '«' ô, '¬' ơ …
TCVN3_MARKS = re.compile("[¸µ¶·¹¨©®ª«¬»¾¼½]")


class UnicodeText(Rule):
    """Text not in Unicode NFC, or in a legacy encoding.

    Wrong: Th«ng b¸o (TCVN3), chƣơng (U+01A3)
    Right: Thông báo, chương (Unicode NFC)
    """

    code = "TX03"
    name = "text.unicode"
    title_id = N_("Text not in Unicode NFC, or in a legacy encoding")
    clause = layout.CLAUSE_PAGE
    severity = "error"
    targets = ("paragraphs",)

    def evaluate(self, doc: DocumentView) -> list[Finding] | None:
        out = []
        for p in doc.paragraphs:
            if not p.text:
                continue
            if not unicodedata.is_normalized("NFC", p.text):
                out.append(at(p, _("not in Unicode NFC (combining accents)")))
            if "\u01a3" in p.text or "\u01a2" in p.text:
                out.append(at(p, _("'ƣ' (U+01A3) where 'ư' is meant")))
            legacy = [word for word in re.findall(r"\S+", p.text) if TCVN3_MARKS.search(word.strip(".,;:()"))
                      and re.search(r"[A-Za-z]", word)]
            if legacy:
                out.append(at(p, _("text looks like a legacy encoding (TCVN3/VNI): {words}").format(
                    words=" ".join(legacy[:4]))))
        return out if doc.paragraphs else None


RULE = UnicodeText()
