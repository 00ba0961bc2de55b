"""The font rules' one reading: runs whose font slots name another font than the decree's."""

from __future__ import annotations

from ....docview import DocumentView
from ....i18n import _
from ....nd30 import layout
from ...rule import Finding, Repair, at


def font_findings(doc: DocumentView, slots: tuple[str, ...]) -> list[Finding] | None:
    out, seen = [], False
    for p in doc.paragraphs:
        for run in p.runs:
            seen = True
            wrong = {run.fonts[s] for s in slots if run.fonts[s] != layout.FONT_NAME}
            if wrong:
                out.append(at(p, _("font {fonts}; expected {expected}").format(
                    fonts=", ".join(sorted(str(f) for f in wrong)), expected=layout.FONT_NAME),
                    _("set Times New Roman"), Repair("fonts", font=layout.FONT_NAME)))
                break
    return out if seen else None
