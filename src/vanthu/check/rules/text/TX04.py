from __future__ import annotations

from ....docview import DocumentView, Paragraph
from ....i18n import N_, _
from ....nd30 import layout
from ...rule import Finding, Repair, Rule, at
from .._common import signer_parts

BLACK = (None, "auto", "000000")


class TextColour(Rule):
    """Text of the decree's elements not black.

    The urgency and secrecy stamps are red by the decree; they are not judged here.

    Wrong: the tên loại THÔNG BÁO in red (FF0000)
    Right: every element in black (automatic colour or 000000)
    """

    code = "TX04"
    name = "text.colour"
    title_id = N_("Text of the decree's elements not black")
    clause = layout.CLAUSE_PAGE
    severity = "error"
    targets = ("quoc_hieu", "tieu_ngu", "agency_lines", "so_line", "date_line", "title", "trich_yeu", "vv_line",
               "can_cu", "body", "signer_lines", "noi_nhan_label", "noi_nhan_items")
    fixable = True

    def evaluate(self, doc: DocumentView) -> list[Finding] | None:
        elements: list[Paragraph] = [p for p in (doc.quoc_hieu, doc.tieu_ngu, doc.so_line, doc.date_line, doc.title,
                                                 doc.trich_yeu, doc.vv_line, doc.noi_nhan_label) if p]
        elements += doc.agency_lines + doc.can_cu + doc.body + doc.noi_nhan_items
        titles, names = signer_parts(doc)
        elements += titles + names
        if not elements:
            return None
        out = []
        for p in sorted({q.number: q for q in elements}.values(), key=lambda q: q.number):
            colours = sorted({str(r.color).upper() for r in p.runs if r.color not in BLACK and
                              str(r.color).upper() != "000000"})
            if colours:
                out.append(at(p, _("text in colour {colours}; the decree's text is black").format(
                    colours=", ".join(colours)), _("set black"), Repair("colour", paragraph=p.number)))
        return out


RULE = TextColour()
