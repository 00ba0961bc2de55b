from __future__ import annotations

import re

from ....docview import DocumentView
from ....i18n import N_, _
from ....nd30 import layout
from ....nd30.dates import parse_date_line
from ...rule import Finding, Repair, Rule, at
from .._common import printed

# A day or month written without its leading zero (the decree writes 01–09 for both).
UNPADDED = r"ngày (\d{1,2}) tháng (\d{1,2})"


class DateFormat(Rule):
    """Date line not in the decree's form, or not a date.

    Wrong: Lạng Sơn, ngày 5 tháng 02 năm 2021
    Right: Lạng Sơn, ngày 05 tháng 02 năm 2021
    """

    code = "DT01"
    name = "date.format"
    title_id = N_("Date line not in the decree's form, or not a date")
    clause = f"{layout.CLAUSE_ELEMENTS}, khoản 4"
    severity = "error"
    targets = ("date_line",)
    fixable = True

    def evaluate(self, doc: DocumentView) -> list[Finding] | None:
        p = doc.date_line
        if p is None:
            return None
        text = printed(p)
        if re.search(r"ngày\s+tháng\s+năm", text):  # left blank for e-office stamping
            return []
        _place, _date, problems = parse_date_line(text)
        repair = Repair("text", paragraph=p.number, pattern=UNPADDED, replacement="zero-pad")
        return [at(p, _("'{text}': {problem}").format(text=text, problem=problem), repair=repair)
                for problem in problems]


RULE = DateFormat()
