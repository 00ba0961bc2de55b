from __future__ import annotations

import re

from ....docview import DocumentView
from ....i18n import N_, _
from ....nd30 import layout
from ....nd30.authority import AUTHORITIES
from ...rule import Finding, Rule, at
from .._common import signer_parts

# Forms as people mistype them too: 'K/T', 'KT', 'T.M', 'tm.'
AUTHORITY_START = re.compile(r"^(T[./]?M|K[./]?T|T[./]?L|T[./]?U[./]?Q|Q)[./]?\s", re.IGNORECASE)


class AuthorityLine(Rule):
    """Authority line not written TM./KT./TL./TUQ./Q. in capitals.

    Wrong: K/T GIÁM ĐỐC
    Right: KT. GIÁM ĐỐC
    """

    code = "SG01"
    name = "signature.authority"
    title_id = N_("Authority line not written TM./KT./TL./TUQ./Q. in capitals")
    clause = f"{layout.CLAUSE_ELEMENTS}, khoản 7"
    severity = "error"
    targets = ("signer_lines",)

    def evaluate(self, doc: DocumentView) -> list[Finding] | None:
        titles, _names = signer_parts(doc)
        if not titles:
            return None
        out = []
        for p in titles:
            text = p.text.strip()
            if AUTHORITY_START.match(text) and not any(text.startswith(a + " ") for a in AUTHORITIES):
                out.append(at(p, _("'{text}': write the form as one of {forms}, followed by a space").format(
                    text=text, forms=", ".join(AUTHORITIES))))
        return out


RULE = AuthorityLine()
