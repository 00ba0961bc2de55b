"""EL01–EL18: one parametrised rule over a data table — each element of Phụ lục I, Mục II
at the size and in the style the decree gives it (the numbers come from nd30.layout)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ....docview import DocumentView, Paragraph
from ....i18n import N_, _
from ....nd30 import layout
from ...rule import Finding, Repair, Rule, at
from .._common import appendix_parts, one, signer_parts

E = layout.ELEMENTS


@dataclass(frozen=True)
class ElementTarget:
    code: str
    target: str  # the document view's name for the paragraphs judged
    find: Callable[[DocumentView], list[Paragraph]]
    style: bool  # judge bold, italic and capitals as well as the size


TABLE: dict[str, ElementTarget] = {
    "quoc_hieu": ElementTarget("EL01", "quoc_hieu", lambda d: one(d.quoc_hieu), True),
    "tieu_ngu": ElementTarget("EL02", "tieu_ngu", lambda d: one(d.tieu_ngu), True),
    "co_quan_chu_quan": ElementTarget("EL03", "parent_agency", lambda d: one(d.parent_agency), True),
    "co_quan_ban_hanh": ElementTarget("EL04", "issuing_agency", lambda d: one(d.issuing_agency), True),
    "so_ky_hieu": ElementTarget("EL05", "so_line", lambda d: one(d.so_line), True),
    "dia_danh_ngay": ElementTarget("EL06", "date_line", lambda d: one(d.date_line), True),
    "ten_loai": ElementTarget("EL07", "title", lambda d: one(d.title), True),
    "trich_yeu": ElementTarget("EL08", "trich_yeu", lambda d: one(d.trich_yeu), True),
    "trich_yeu_cong_van": ElementTarget("EL09", "vv_line", lambda d: one(d.vv_line), True),
    "can_cu": ElementTarget("EL10", "can_cu", lambda d: d.can_cu, True),
    "noi_dung": ElementTarget("EL11", "body", lambda d: d.body, False),
    "quyen_han": ElementTarget("EL12", "signer_lines", lambda d: signer_parts(d)[0], True),
    "ho_ten": ElementTarget("EL13", "signer_lines", lambda d: signer_parts(d)[1], True),
    "noi_nhan_label": ElementTarget("EL14", "noi_nhan_label", lambda d: one(d.noi_nhan_label), True),
    "noi_nhan_list": ElementTarget("EL15", "noi_nhan_items", lambda d: d.noi_nhan_items, False),
    "phu_luc_so": ElementTarget("EL16", "appendix_headings", lambda d: appendix_parts(d)[0], True),
    "phu_luc_tieu_de": ElementTarget("EL17", "appendix_headings", lambda d: appendix_parts(d)[1], True),
    "phu_luc_kem_theo": ElementTarget("EL18", "appendix_headings", lambda d: appendix_parts(d)[2], True),
}


class ElementStyle(Rule):
    """An element of the decree at the wrong size or in the wrong style.

    Wrong: the element 2 pt larger than its range, or not bold where the decree prints it bold
    Right: the size, weight, slant and capitals of Phụ lục I, Mục II
    """

    severity = "error"
    fixable = True
    title_id = N_("{element}: size or style")

    def __init__(self, key: str, table: ElementTarget):
        self.key = key
        self.element = E[key]
        self.table = table
        self.code = table.code  # type: ignore[misc] - per instance, from the table
        self.name = f"element.{key.replace('_', '-')}"  # type: ignore[misc]
        self.clause = self.element.clause  # type: ignore[misc]
        self.targets = (table.target,)  # type: ignore[misc]

    @property
    def title(self) -> str:
        return _(self.title_id).format(element=self.element.label)

    @property
    def wrong(self) -> str:
        return f"{self.element.label} at {self.element.size_range.high + 2:g} pt"

    @property
    def right(self) -> str:
        e = self.element
        return ", ".join(filter(None, [f"{e.size_range} pt",
                                       "bold" if e.bold else "not bold" if self.table.style else "",
                                       "italic" if e.italic else "", "capitals" if e.caps else ""]))

    def evaluate(self, doc: DocumentView) -> list[Finding] | None:
        paragraphs = self.table.find(doc)
        if not paragraphs:
            return None
        e = self.element
        out = []
        for p in paragraphs:
            sizes = {r.size for r in p.runs if r.size is not None}
            bad_sizes = sorted(s for s in sizes if s not in e.size_range)
            if bad_sizes:
                out.append(at(p, _("{element}: size {sizes} pt; expected {allowed} pt").format(
                    element=e.label, sizes=", ".join(f"{s:g}" for s in bad_sizes), allowed=e.size_range),
                    _("set {size:g} pt").format(size=e.size), Repair("size", paragraph=p.number, value=e.size)))
            if not self.table.style or not p.runs:
                continue
            out += self._style_findings(p)
        return out

    def _style_findings(self, p: Paragraph) -> list[Finding]:
        e, out = self.element, []
        if e.bold and not all(r.bold for r in p.runs):
            out.append(at(p, _("{element}: should be bold").format(element=e.label)))
        if not e.bold and any(r.bold for r in p.runs):
            out.append(at(p, _("{element}: should not be bold").format(element=e.label)))
        if e.italic and not all(r.italic for r in p.runs):
            out.append(at(p, _("{element}: should be italic").format(element=e.label)))
        if not e.italic and any(r.italic for r in p.runs):
            out.append(at(p, _("{element}: should be upright, not italic").format(element=e.label)))
        letters = [c for c in p.text if c.isalpha()]
        shown_caps = all(r.caps for r in p.runs)
        if e.caps and not shown_caps and any(c.islower() for c in letters):
            out.append(at(p, _("{element}: should be in capitals").format(element=e.label)))
        if e.caps is False and len(letters) > 3 and (shown_caps or not any(c.islower() for c in letters)):
            out.append(at(p, _("{element}: should not be all capitals").format(element=e.label)))
        return out


RULES = [ElementStyle(key, row) for key, row in TABLE.items()]
