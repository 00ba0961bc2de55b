from __future__ import annotations

from ....docview import DocumentView
from ....i18n import N_, _
from ....nd30 import layout
from ...rule import Finding, Rule


class Orientation(Rule):
    """Main text is not portrait.

    Wrong: the first section laid out landscape
    Right: portrait; landscape only for wide tables or appendices
    """

    code = "LY02"
    name = "layout.orientation"
    title_id = N_("Main text is not portrait")
    clause = layout.CLAUSE_PAGE
    severity = "warning"
    targets = ("sections",)

    def evaluate(self, doc: DocumentView) -> list[Finding] | None:
        for section in doc.sections:
            if section.page_mm is not None:
                return [Finding(_("section {n} is landscape; the decree lays the text out portrait").format(
                    n=section.index), f"mục {section.index}")] if section.landscape else []
        return None


RULE = Orientation()
