from __future__ import annotations

from ....docview import DocumentView
from ....i18n import N_, _
from ....nd30 import layout
from ...rule import Finding, Repair, Rule


class Margins(Rule):
    """Margins outside the decree's ranges.

    A landscape section may also be read turned (binding edge at the top: top 30–35, bottom
    15–20, left and right 20–25 mm).

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
            wrong = _outside(section.margins_mm, {side: side for side in layout.MARGIN_RANGES_MM})
            # A landscape page may keep the portrait reading or be turned with its margins (the
            # binding edge at the top, as Word turns a page): either is the decree's layout.
            if wrong and section.landscape and not _outside(section.margins_mm, TURNED):
                continue
            for side, value in wrong:
                chosen = layout.MARGINS_MM[side]
                out.append(Finding(_("section {n}: {side} margin {value:g} mm; expected {allowed} mm").format(
                    n=section.index, side=side, value=value, allowed=layout.MARGIN_RANGES_MM[side]),
                    f"mục {section.index}", fix=_("set to {value:g} mm").format(value=chosen),
                    repair=Repair("margin", section=section.index, side=side, value=chosen)))
        return out if doc.sections else None


# A turned page's margins read against the portrait ranges of the edges they were turned from.
TURNED = {"top": "left", "bottom": "right", "left": "bottom", "right": "top"}


def _outside(margins: dict[str, float], reading: dict[str, str]) -> list[tuple[str, float]]:
    """(side, value) of the margins outside the range of the portrait edge they are read as."""
    out = []
    for side, edge in reading.items():
        value = round(margins[side], 1)
        if value not in layout.MARGIN_RANGES_MM[edge]:
            out.append((side, value))
    return out


RULE = Margins()
