from __future__ import annotations

import unicodedata

from ....docview import DocumentView
from ....i18n import N_, _
from ....nd30 import layout, texts
from ...rule import Finding, Rule, at


class TieuNguText(Rule):
    """Tiêu ngữ does not read as the decree writes it.

    Wrong: Độc lập-Tự do-Hạnh phúc
    Right: Độc lập - Tự do - Hạnh phúc
    """

    code = "TX02"
    name = "text.tieu-ngu"
    title_id = N_("Tiêu ngữ does not read as the decree writes it")
    clause = f"{layout.CLAUSE_ELEMENTS}, khoản 1"
    severity = "error"
    targets = ("tieu_ngu",)

    def evaluate(self, doc: DocumentView) -> list[Finding] | None:
        p = doc.tieu_ngu
        if p is None:
            return None
        text = unicodedata.normalize("NFC", p.text.strip())
        if text == texts.TIEU_NGU:
            return []
        return [at(p, _("reads '{text}'; expected '{expected}' (a hyphen with a space on each side)").format(
            text=text, expected=texts.TIEU_NGU))]


RULE = TieuNguText()
