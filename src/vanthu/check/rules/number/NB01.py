from __future__ import annotations

import re

from ....docview import DocumentView
from ....i18n import N_, _
from ....nd30 import layout
from ...rule import Finding, Repair, Rule, at
from .._common import printed

SO_LINE = re.compile(r"^Số:\s*(?P<so>\d*)\s*/\s*(?P<ky_hieu>.+)$")


class NumberFormat(Rule):
    """Số, ký hiệu not in the decree's form.

    A legal-normative Quyết định or Nghị quyết carries its year (Số: 33/2009/QĐ-UBND);
    an administrative document never does.

    Wrong: Số: 5/TB - SCT
    Right: Số: 05/TB-SCT
    """

    code = "NB01"
    name = "number.format"
    title_id = N_("Số, ký hiệu not in the decree's form")
    clause = f"{layout.CLAUSE_ELEMENTS}, khoản 3"
    severity = "error"
    targets = ("so_line",)
    fixable = True

    def evaluate(self, doc: DocumentView) -> list[Finding] | None:
        p = doc.so_line
        if p is None:
            return None
        text = printed(p)
        out = []
        if not text.startswith("Số:"):
            out.append(at(p, _("'{text}': write 'Số' followed by a colon").format(text=text)))
        match = SO_LINE.match(text)
        spaced = match is None or " " in match["ky_hieu"] or (
            match["so"] and not re.search(r"\d/\S", text))  # a blank number leaves room before the '/'
        if spaced:
            out.append(at(p, _("'{text}': no spaces inside the number and symbol (e.g. Số: 05/TB-SCT)").format(
                text=text)))
            return out
        number, symbol = match["so"], match["ky_hieu"]
        if number and len(number) < 2:
            fixed = f"{int(number):02d}"
            out.append(at(p, _("number {number} needs a leading zero: {fixed}").format(number=number, fixed=fixed),
                          _("write {fixed}").format(fixed=fixed),
                          Repair("text", paragraph=p.number, pattern=rf"(?<!\d){number}(?=\s*/)", replacement=fixed)))
        if "CV" in symbol.split("-"):
            out.append(at(p, _("'CV' is not an abbreviation: a công văn's symbol is AGENCY-UNIT")))
        year = re.match(r"((?:19|20)\d\d)/(.+)$", symbol)
        if year and _normative(doc, int(year[1])):
            symbol = year[2]  # Số: 33/2009/QĐ-UBND: a legal-normative document's form
        if "/" in symbol or any(re.fullmatch(r"(19|20)\d\d", g) for g in symbol.split("-")):
            out.append(at(p, _("an administrative document's number carries no year")))
        return out


def _normative(doc: DocumentView, year: int) -> bool:
    """Whether the document can be legal-normative with its number's year: a type that such
    documents are issued as, dated in that year (or left blank for e-office stamping)."""
    from ....nd30.doc_types import DOC_TYPES
    from ....nd30.numbering import NORMATIVE_TYPES

    titles = {DOC_TYPES[k].title for k in NORMATIVE_TYPES if k in DOC_TYPES}
    if doc.title is None or doc.title.text.strip().upper() not in titles:
        return False
    date = re.search(r"năm\s+(\d{4})", printed(doc.date_line)) if doc.date_line else None
    return date is None or int(date[1]) == year


RULE = NumberFormat()
