"""The copy form (thể thức bản sao, Phụ lục I Phần II Mục II; Mẫu 3.1) as a .docx of its own: a
full-width rule, then the copying agency and the copy's Số on the left, "SAO Y" / "TRÍCH SAO" /
"SAO LỤC" and the place and date on the right, then Nơi nhận and the signer — set in the
document's own styles, so LibreOffice draws it as it draws any document vanthu makes."""

from __future__ import annotations

from dataclasses import dataclass

from ..nd30 import layout, texts
from ..nd30.authority import signature_lines
from ..nd30.dates import date_line
from ..ooxml import write as x
from ..ooxml.package import zip_bytes
from . import fragments
from .template_builder import (
    _DOC_NS,
    APP_XML,
    CONTENT_TYPES,
    DOCUMENT_RELS,
    PACKAGE_RELS,
    empty_part,
    settings_xml,
    styles_xml,
)

E = layout.ELEMENTS
# The three forms and their abbreviation in the copy's ký hiệu (Phụ lục III, Mục I).
COPY_KINDS = {"sao-y": ("SAO Y", "SY"), "trich-sao": ("TRÍCH SAO", "TrS"), "sao-luc": ("SAO LỤC", "SL")}


@dataclass(frozen=True)
class CopyForm:
    kind: str  # 'sao-y', 'trich-sao', 'sao-luc'
    agency: str  # the copying agency, as printed (capitals)
    parent: str  # its parent agency, or ''
    so_line: str  # 'Số: 03/SY-SCT'
    place: str
    date_text: str  # 'Lạng Sơn, ngày 05 tháng 02 năm 2021'
    signer: tuple[list[str], list[str], str, str]  # quyen_han, thay_mat, chuc_vu, ho_ten
    noi_nhan: list[str]  # as printed, '- …;' … '- Lưu: VT.'


def form_lines(kind: str, place: str, date, year: int | None) -> tuple[str, str]:
    label, _abbr = COPY_KINDS[kind]
    return label, date_line(place, date, year)


def _body(form: CopyForm) -> str:
    left_w, right_w = layout.HEADER_LEFT_COLUMN_MM, layout.HEADER_RIGHT_COLUMN_MM
    label, _abbr = COPY_KINDS[form.kind]
    left = ""
    if form.parent:
        left += x.styled(E["co_quan_chu_quan"].style_id, form.parent.upper())
    left += x.styled(E["co_quan_ban_hanh"].style_id, form.agency.upper())
    left += fragments.short_rule([form.agency.upper()], "co_quan_ban_hanh", left_w)
    left += x.styled(E["so_ky_hieu"].style_id, form.so_line, before_pt=layout.HEADER_LINE_SPACE_PT)
    # "SAO Y": capitals, 13–14 pt, upright, bold (Phần II Mục II khoản 2.b), in the title's style
    right = x.paragraph(x.run(label), x.ppr(style=E["ten_loai"].style_id, before_pt=0, after_pt=0))
    right += fragments.date_line_xml(form.date_text, form.place)
    table = x.table(x.row(x.cell(left, left_w) + x.cell(right, right_w)), [left_w, right_w])
    rule = x.rule_paragraph(layout.TEXT_WIDTH_MM, layout.TEXT_WIDTH_MM, after_pt=6)
    quyen_han, thay_mat, chuc_vu, ho_ten = form.signer
    signer = signature_lines(quyen_han, thay_mat, chuc_vu, ho_ten)
    signature = fragments.signature_xml([signer], form.noi_nhan, None)
    return rule + table + signature


def copy_form_docx(form: CopyForm) -> bytes:
    sect = x.section_properties()
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {_DOC_NS}>'
                f"<w:body>{_body(form)}{sect}</w:body></w:document>")
    members = [
        ("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", PACKAGE_RELS),
        ("docProps/core.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
         'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:language>vi-VN</dc:language></cp:coreProperties>'),
        ("docProps/app.xml", APP_XML), ("word/document.xml", document),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS), ("word/styles.xml", styles_xml()),
        ("word/settings.xml", settings_xml()),
        ("word/header1.xml", empty_part("hdr")), ("word/header2.xml", empty_part("hdr")),
        ("word/footer1.xml", empty_part("ftr")), ("word/footer2.xml", empty_part("ftr")),
    ]
    return zip_bytes([(name, text.encode("utf-8")) for name, text in members])


def noi_nhan_printed(items: list[str]) -> list[str]:
    """'- X;' per recipient and '- Lưu: VT.' last (the copy's own Nơi nhận)."""
    return fragments.noi_nhan_lines(items, nhu_tren=False, luu_units=[], so_ban_luu=None)


__all__ = ["COPY_KINDS", "CopyForm", "copy_form_docx", "noi_nhan_printed", "texts"]
