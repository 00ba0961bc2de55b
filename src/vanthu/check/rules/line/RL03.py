from __future__ import annotations

from ....docview import DocumentView
from ....i18n import N_, _
from ....nd30 import layout
from ...rule import Finding, Rule
from .._common import line_width, rule_findings


class TrichYeuLine(Rule):
    """Line under the trích yếu missing or not 1/3–1/2 of its length.

    Wrong: no line under the trích yếu
    Right: a centred solid line 1/3–1/2 as long as the line
    """

    code = "RL03"
    name = "rule.trich-yeu"
    title_id = N_("Line under the trích yếu missing or not 1/3–1/2 of its length")
    clause = f"{layout.CLAUSE_ELEMENTS}, khoản 5"
    severity = "error"
    targets = ("trich_yeu", "title")

    def evaluate(self, doc: DocumentView) -> list[Finding] | None:
        p = doc.trich_yeu or doc.title
        if p is None or doc.vv_line is not None:
            return None
        width = line_width(p, doc)
        fraction = layout.SHORT_RULE_FRACTION
        return rule_findings(doc, p, width * fraction.low, width * fraction.high, _("trích yếu"))


RULE = TrichYeuLine()
