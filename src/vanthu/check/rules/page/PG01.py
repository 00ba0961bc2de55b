from __future__ import annotations

from ....docview import DocumentView
from ....i18n import N_, _
from ....nd30 import layout
from ...rule import Finding, Rule

E = layout.ELEMENTS
# The main text's page count is estimated when the document does not state it: below this it is
# surely one page, above the next surely more; between, PG01 is not evaluated.
ONE_PAGE = 0.85
SEVERAL_PAGES = 1.15


class PageNumbers(Rule):
    """Page numbers missing, not in the header, or shown on page 1.

    A document of one page needs none (the decree numbers pages from page 2).

    Wrong: page number in the footer, on every page
    Right: centred in the header, from page 2
    """

    code = "PG01"
    name = "page.number"
    title_id = N_("Page numbers missing, not in the header, or shown on page 1")
    clause = layout.CLAUSE_PAGE
    severity = "error"
    targets = ("sections",)

    def evaluate(self, doc: DocumentView) -> list[Finding] | None:
        if not doc.sections:
            return None
        main = doc.sections[0]
        out = []
        numbered = doc.has_page_field(main, "header", "default")
        if not numbered and not doc.has_page_field(main, "footer", "default"):
            pages = doc.main_text_pages
            if pages is not None and pages <= ONE_PAGE:
                return []  # one page: the decree numbers pages from page 2, so none shows
            if pages is None or pages < SEVERAL_PAGES:
                return None  # cannot tell whether a second page exists: not judged on a guess
        if not numbered:
            where = _("in the footer") if doc.has_page_field(main, "footer", "default") else ""
            out.append(Finding(_("no page number in the header {where}").format(where=where).strip(), "mục 1"))
        if (not main.title_page and numbered) or (main.title_page and doc.has_page_field(main, "header", "first")):
            out.append(Finding(_("the page number shows on page 1; the first page has no number"), "mục 1"))
        shown = doc.page_number_format(main) if numbered else None
        if shown is not None:
            fmt, run = shown
            if fmt.align != "center":
                out.append(Finding(_("the page number is not centred"), "mục 1"))
            if run.size is not None and run.size not in E["so_trang"].size_range:
                out.append(Finding(_("page number size {size:g} pt; expected {allowed} pt").format(
                    size=run.size, allowed=E["so_trang"].size_range), "mục 1"))
        return out


RULE = PageNumbers()
