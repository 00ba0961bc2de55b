from __future__ import annotations

from ....docview import DocumentView
from ....i18n import N_, _
from ....nd30 import layout
from ...rule import Finding, Rule
from .._common import line_width, rule_findings


class AgencyLine(Rule):
    """Line under the agency name missing or not 1/3–1/2 of its length.

    Wrong: no line under SỞ CÔNG THƯƠNG
    Right: a centred solid line 1/3–1/2 as long as the name
    """

    code = "RL02"
    name = "rule.agency"
    title_id = N_("Line under the agency name missing or not 1/3–1/2 of its length")
    clause = f"{layout.CLAUSE_ELEMENTS}, khoản 2"
    severity = "error"
    targets = ("issuing_agency",)

    def evaluate(self, doc: DocumentView) -> list[Finding] | None:
        p = doc.issuing_agency
        width = line_width(p, doc) if p else 0
        fraction = layout.SHORT_RULE_FRACTION
        return rule_findings(doc, p, width * fraction.low, width * fraction.high, _("agency name"))


RULE = AgencyLine()
