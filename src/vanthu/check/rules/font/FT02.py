from __future__ import annotations

from ....docview import DocumentView
from ....i18n import N_
from ....nd30 import layout
from ...rule import Finding, Rule
from ._fonts import font_findings


class FontOtherScripts(Rule):
    """East Asian or complex-script font slot not Times New Roman.

    Wrong: rFonts eastAsia='SimSun'
    Right: Times New Roman in all four font slots
    """

    code = "FT02"
    name = "font.other-scripts"
    title_id = N_("East Asian or complex-script font slot not Times New Roman")
    clause = layout.CLAUSE_PAGE
    severity = "warning"
    targets = ("paragraphs",)
    fixable = True

    def evaluate(self, doc: DocumentView) -> list[Finding] | None:
        return font_findings(doc, ("eastAsia", "cs"))


RULE = FontOtherScripts()
