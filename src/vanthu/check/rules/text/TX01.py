from __future__ import annotations

import unicodedata

from ....docview import DocumentView
from ....i18n import N_, _
from ....nd30 import layout, texts
from ...rule import Finding, Rule, at


class QuocHieuText(Rule):
    """Quốc hiệu does not read as the decree writes it.

    Wrong: CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM.
    Right: CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    """

    code = "TX01"
    name = "text.quoc-hieu"
    title_id = N_("Quốc hiệu does not read as the decree writes it")
    clause = f"{layout.CLAUSE_ELEMENTS}, khoản 1"
    severity = "error"
    targets = ("quoc_hieu",)

    def evaluate(self, doc: DocumentView) -> list[Finding] | None:
        p = doc.quoc_hieu
        if p is None:
            return None
        text = unicodedata.normalize("NFC", " ".join(p.text.split())).upper()
        if text in texts.QUOC_HIEU_VARIANTS:
            return []
        return [at(p, _("reads '{text}'; expected '{expected}'").format(text=p.text.strip(),
                                                                        expected=texts.QUOC_HIEU))]


RULE = QuocHieuText()
