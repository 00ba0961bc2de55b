from __future__ import annotations

import re

from ....docview import DocumentView
from ....i18n import N_, _
from ....nd30 import layout
from ....text import fold
from ...rule import Finding, Rule, at


class NoiNhanList(Rule):
    """Nơi nhận list not in the decree's form.

    Wrong: - UBND tỉnh, / Lưu VT
    Right: - UBND tỉnh; … - Lưu: VT, VP.
    """

    code = "NN01"
    name = "noi-nhan.list"
    title_id = N_("Nơi nhận list not in the decree's form")
    clause = f"{layout.CLAUSE_ELEMENTS}, khoản 9"
    severity = "error"
    targets = ("noi_nhan_items",)

    def evaluate(self, doc: DocumentView) -> list[Finding] | None:
        items = doc.noi_nhan_items
        if not items:
            return None
        out = []
        for p in items[:-1]:
            line = re.sub(r"\s*\}\s*\(.*\)\s*$", "", p.text)  # a group's note after its lines: '} (để b/c)'
            if not line.rstrip().endswith(";") and not fold(line).lstrip("- ").startswith("luu"):
                out.append(at(p, _("each recipient line ends with ';'")))
        last = items[-1]
        if not fold(last.text).lstrip("- ").startswith("luu:"):
            out.append(at(last, _("the last line is '- Lưu: VT, …'")))
        # the units close with '.'; an agency's note may follow ('- Lưu: VT, KGVX. Cương (3b)')
        if not last.text.rstrip().endswith(".") and "." not in last.text.split(":", 1)[-1]:
            out.append(at(last, _("the last line ends with '.'")))
        return out


RULE = NoiNhanList()
