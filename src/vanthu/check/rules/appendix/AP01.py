from __future__ import annotations

from ....docview import DocumentView
from ....i18n import N_, _
from ....nd30 import layout
from ....nd30.numbering import roman
from ....nd30.references import unreferenced_appendices
from ...rule import Finding, Rule, at


class AppendixLayout(Rule):
    """Appendix does not start a page of its own, or the text does not refer to it.

    Wrong: Phụ lục I right after the signature
    Right: Phụ lục I on a new page (section)
    """

    code = "AP01"
    name = "appendix.layout"
    title_id = N_("Appendix does not start a page of its own, or the text does not refer to it")
    clause = layout.CLAUSE_APPENDIX
    severity = "warning"
    targets = ("appendix_headings", "body")

    def evaluate(self, doc: DocumentView) -> list[Finding] | None:
        headings = doc.appendix_headings
        if not headings:
            return None
        out = []
        main_text = " ".join(p.text for p in doc.body)
        position = {roman(i): i - 1 for i in range(1, len(headings) + 1)}
        for number in unreferenced_appendices(main_text, len(headings)):
            out.append(at(headings[position[number]],
                          _("the main text does not refer to Phụ lục {number}").format(number=number)))
        for heading in headings:
            previous = doc.paragraphs[heading.number - 2] if heading.number > 1 else None
            new_page = heading.format.page_break_before or (
                previous is not None and (previous.ends_section or previous.has_page_break))
            if not new_page:
                out.append(at(heading, _("the appendix does not start on a new page")))
        return out


RULE = AppendixLayout()
