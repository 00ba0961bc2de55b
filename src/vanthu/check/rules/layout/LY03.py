from __future__ import annotations

from ....docview import DocumentView
from ....i18n import N_, _
from ....nd30 import layout
from ...rule import Finding, Repair, Rule


class Margins(Rule):
    """Margins outside the decree's ranges.

    Wrong: left margin 25 mm
    Right: top 20–25, bottom 20–25, left 30–35, right 15–20 mm
    """

    code = "LY03"
    name = "layout.margins"
    title_id = N_("Margins outside the decree's ranges")
    clause = layout.CLAUSE_PAGE
    severity = "error"
    targets = ("sections",)
    fixable = True

    def evaluate(self, doc: DocumentView) -> list[Finding] | None:
        out = []
        for section in doc.sections:
            if section.margins_mm is None:
                continue
            for side, allowed in layout.MARGIN_RANGES_MM.items():
                value = round(section.margins_mm[side], 1)
                if value not in allowed:
                    chosen = layout.MARGINS_MM[side]
                    out.append(Finding(_("section {n}: {side} margin {value:g} mm; expected {allowed} mm").format(
                        n=section.index, side=side, value=value, allowed=allowed), f"mục {section.index}",
                        fix=_("set to {value:g} mm").format(value=chosen),
                        repair=Repair("margin", section=section.index, side=side, value=chosen)))
        return out if doc.sections else None


RULE = Margins()
