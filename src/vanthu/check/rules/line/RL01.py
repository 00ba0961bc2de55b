from __future__ import annotations

from ....docview import DocumentView
from ....i18n import N_
from ....nd30 import layout
from ...rule import Finding, Rule
from .._common import line_width, rule_findings


class TieuNguLine(Rule):
    """Line under the Tiêu ngữ missing, not a real line, or not as long as the text.

    Wrong: Tiêu ngữ underlined as characters
    Right: a solid line as long as the Tiêu ngữ
    """

    code = "RL01"
    name = "rule.tieu-ngu"
    title_id = N_("Line under the Tiêu ngữ missing, not a real line, or not as long as the text")
    clause = f"{layout.CLAUSE_ELEMENTS}, khoản 1"
    severity = "error"
    targets = ("tieu_ngu",)

    def evaluate(self, doc: DocumentView) -> list[Finding] | None:
        p = doc.tieu_ngu
        width = line_width(p, doc) if p else 0
        return rule_findings(doc, p, width, width, "Tiêu ngữ")


RULE = TieuNguLine()
