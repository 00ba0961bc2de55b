from __future__ import annotations

from ....docview import DocumentView
from ....i18n import N_
from ....nd30 import layout
from ...rule import Finding, Rule
from ._fonts import font_findings


class FontFamily(Rule):
    """Text not in Times New Roman.

    Wrong: a paragraph in Arial
    Right: Times New Roman (Unicode, TCVN 6909:2001)
    """

    code = "FT01"
    name = "font.family"
    title_id = N_("Text not in Times New Roman")
    clause = layout.CLAUSE_PAGE
    severity = "error"
    targets = ("paragraphs",)
    fixable = True

    def evaluate(self, doc: DocumentView) -> list[Finding] | None:
        return font_findings(doc, ("ascii", "hAnsi"))


RULE = FontFamily()
