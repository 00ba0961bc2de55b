from __future__ import annotations

import re

from ....docview import DocumentView
from ....i18n import N_, _
from ...rule import Finding, Rule, at
from .._common import printed


class DraftNumbered(Rule):
    """A draft carries a number or a date of issue.

    A draft is numbered and dated when it is issued (Điều 15: the number is given after the
    competent person signs); one that carries them already will be mistaken for the issued text.
    A document that is not marked as a draft passes.

    Wrong: DỰ THẢO … Số: 05/TB-SCT … Lạng Sơn, ngày 10 tháng 9 năm 2021
    Right: DỰ THẢO … Số:     /TB-SCT … Lạng Sơn, ngày     tháng     năm 2021
    """

    code = "NB02"
    name = "number.draft"
    title_id = N_("A draft carries a number or a date of issue")
    clause = "Điều 15"
    severity = "warning"
    targets = ("draft_mark", "so_line", "date_line")

    def evaluate(self, doc: DocumentView) -> list[Finding] | None:
        mark = doc.draft_mark
        if mark is None:
            return []
        out = []
        if doc.so_line is not None and re.match(r"Số:\s*\d", printed(doc.so_line)):
            out.append(at(doc.so_line, _("'{mark}': a draft takes its number when it is issued; leave Số blank")
                          .format(mark=mark)))
        if doc.date_line is not None and re.search(r"ngày\s+\d", printed(doc.date_line)):
            out.append(at(doc.date_line, _("'{mark}': a draft is dated when it is issued; leave the day and "
                                           "month blank").format(mark=mark)))
        return out


RULE = DraftNumbered()
