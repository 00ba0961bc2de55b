from __future__ import annotations

from ....docview import DocumentView
from ....i18n import N_, _
from ....nd30 import layout
from ...rule import Finding, Rule


class PageSize(Rule):
    """Page is not A4.

    Wrong: pgSz 215.9 × 279.4 mm (Letter)
    Right: pgSz 210 × 297 mm (A4)
    """

    code = "LY01"
    name = "layout.page-size"
    title_id = N_("Page is not A4")
    clause = layout.CLAUSE_PAGE
    severity = "error"
    targets = ("sections",)

    def evaluate(self, doc: DocumentView) -> list[Finding] | None:
        out = []
        a4 = sorted((round(layout.PAGE_WIDTH_MM), round(layout.PAGE_HEIGHT_MM)))
        for section in doc.sections:
            if section.page_mm is None:
                continue
            width, height = (round(v) for v in section.page_mm)
            if sorted((width, height)) != a4:
                out.append(Finding(_("section {n}: page is {w} × {h} mm, not A4 ({a4w:g} × {a4h:g} mm)").format(
                    n=section.index, w=width, h=height, a4w=layout.PAGE_WIDTH_MM, a4h=layout.PAGE_HEIGHT_MM),
                    f"mục {section.index}"))
        return out if doc.sections else None


RULE = PageSize()
