"""Document types and their abbreviations (Điều 7; Phụ lục III, Mục I) — nd30.md §4."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..text import fold_letters
from . import texts

# How the title block under the header is laid out (Phụ lục III):
HEADING_TEN_LOAI = "ten_loai"  # tên loại, then the trích yếu under it, and its short rule (Mẫu 1.4)
HEADING_CONG_VAN = "cong_van"  # no tên loại: 'V/v …' under Số in the header's left column (Mẫu 1.5)

# Where Kính gửi stands:
KINH_GUI_BLOCK = "block"  # its own lines between the title block and the body (Mẫu 1.5, 1.4)
KINH_GUI_TELEGRAM = "telegram"  # "… điện:" and the recipients at the right, before the body (Mẫu 1.6)
KINH_GUI_INVITATION = "invitation"  # inside the invitation's lead-in, "… trân trọng kính mời: …" (Mẫu 1.7)

# How the signers are placed:
SIGNATURE_RIGHT = "right"  # Nơi nhận on the left, the signer on the right (Mẫu 1.4)
SIGNATURE_SIDE_BY_SIDE = "side_by_side"  # two signers in one row, no Nơi nhận (Biên bản, Mẫu 1.9)


@dataclass(frozen=True)
class DocType:
    """One kind of administrative document: the one spec the model (required fields), the
    context builder and the template builder (heading, Kính gửi, event, decision), the element
    finder and the signature-field placer read, instead of branching on its key."""

    key: str  # stable ASCII key used in records and file names
    name: str  # tên loại, sentence case ("Thông báo")
    abbreviation: str | None  # viết tắt in the ký hiệu; None for công văn / thư công
    model: str | None  # Phụ lục III model layout ("1.4"), None when the decree gives none
    template: str | None  # built-in vanthu template file, None when only the generic one fits
    has_trich_yeu: bool = True
    # fields a record of this type must give, beyond those every record gives
    required: tuple[str, ...] = ("trich_yeu",)
    heading: str = HEADING_TEN_LOAI
    kinh_gui: str = KINH_GUI_BLOCK
    event: bool = False  # the event's lines (time, place …) in the decree's order, Mẫu 1.7
    decision: bool = False  # authority line, căn cứ and "QUYẾT ĐỊNH:" (Mẫu 1.2)
    decision_lead: str = texts.QUYET_DINH_LEAD  # "QUYẾT NGHỊ:" for a Nghị quyết (Mẫu 1.1)
    signature: str = SIGNATURE_RIGHT
    noi_nhan: bool = True
    nhu_tren: bool = False  # Nơi nhận opens with "- Như trên;" without a Kính gửi block (Mẫu 1.8)
    date_line: bool = True  # ô 4 under the Tiêu ngữ (a Biên bản has none: Mẫu 1.9)

    @property
    def title(self) -> str:
        """Tên loại as printed (ô 5a): all caps."""
        return self.name.upper()


# Types whose model layout is Mẫu 1.4 render with the generic "văn bản có tên loại" template (as do
# the giấy giới thiệu and giấy nghỉ phép: a title, their own lines, the signer).
GENERIC_TEMPLATE = "van_ban.docx"

_TYPES = [
    DocType("nghi_quyet", "Nghị quyết", "NQ", "1.1", "nghi_quyet.docx", required=("tham_quyen", "trich_yeu"),
            decision=True, decision_lead=texts.QUYET_NGHI_LEAD),
    DocType("quyet_dinh", "Quyết định", "QĐ", "1.2", "quyet_dinh.docx", required=("tham_quyen", "trich_yeu"),
            decision=True),
    DocType("chi_thi", "Chỉ thị", "CT", "1.4", None),
    DocType("quy_che", "Quy chế", "QC", "1.4", None),
    DocType("quy_dinh", "Quy định", "QyĐ", "1.4", None),
    DocType("thong_cao", "Thông cáo", "TC", "1.4", None),
    DocType("thong_bao", "Thông báo", "TB", "1.4", "thong_bao.docx"),
    DocType("huong_dan", "Hướng dẫn", "HD", "1.4", None),
    DocType("chuong_trinh", "Chương trình", "CTr", "1.4", None),
    DocType("ke_hoach", "Kế hoạch", "KH", "1.4", "ke_hoach.docx"),
    DocType("phuong_an", "Phương án", "PA", "1.4", None),
    DocType("de_an", "Đề án", "ĐA", "1.4", None),
    DocType("du_an", "Dự án", "DA", "1.4", None),
    DocType("bao_cao", "Báo cáo", "BC", "1.4", "bao_cao.docx"),
    DocType("bien_ban", "Biên bản", "BB", "1.9", GENERIC_TEMPLATE, required=("bien_ban", "trich_yeu"),
            signature=SIGNATURE_SIDE_BY_SIDE, noi_nhan=False, date_line=False),
    DocType("to_trinh", "Tờ trình", "TTr", "1.4", "to_trinh.docx"),
    DocType("hop_dong", "Hợp đồng", "HĐ", None, None),
    DocType("cong_dien", "Công điện", "CĐ", "1.6", GENERIC_TEMPLATE, required=("tham_quyen", "trich_yeu"),
            kinh_gui=KINH_GUI_TELEGRAM),
    DocType("ban_ghi_nho", "Bản ghi nhớ", "BGN", None, None),
    DocType("ban_thoa_thuan", "Bản thỏa thuận", "BTT", None, None),
    DocType("giay_uy_quyen", "Giấy ủy quyền", "GUQ", "1.4", None),
    DocType("giay_moi", "Giấy mời", "GM", "1.7", "giay_moi.docx", required=("su_kien",),
            kinh_gui=KINH_GUI_INVITATION, event=True),
    DocType("giay_gioi_thieu", "Giấy giới thiệu", "GGT", "1.8", GENERIC_TEMPLATE, has_trich_yeu=False,
            required=("gioi_thieu",), nhu_tren=True),
    DocType("giay_nghi_phep", "Giấy nghỉ phép", "GNP", "1.10", GENERIC_TEMPLATE, has_trich_yeu=False,
            required=("nghi_phep",)),
    DocType("phieu_gui", "Phiếu gửi", "PG", "1.4", None),
    DocType("phieu_chuyen", "Phiếu chuyển", "PC", "1.4", None),
    DocType("phieu_bao", "Phiếu báo", "PB", "1.4", None),
    DocType("cong_van", "Công văn", None, "1.5", "cong_van.docx", has_trich_yeu=False,
            required=("don_vi_soan_thao", "trich_yeu"), heading=HEADING_CONG_VAN),
    DocType("thu_cong", "Thư công", None, None, None),
]

DOC_TYPES: dict[str, DocType] = {t.key: t for t in _TYPES}

# The three copy forms share one sequence of their own (Phụ lục I, Phần II); not rendered.
COPY_TYPES = {"SY": "Bản sao y", "TrS": "Bản trích sao", "SL": "Bản sao lục"}


_LOOKUP: dict[str, DocType] = {}
for _t in _TYPES:
    for _alias in (_t.key, _t.name, _t.abbreviation or ""):
        if _alias:
            _LOOKUP.setdefault(fold_letters(_alias), _t)
# Abbreviations whose folded forms collide with another type ("QĐ"/"QyĐ" fold apart; "ĐA"/"DA" do not).
_EXACT_ABBREVIATIONS = {t.abbreviation: t for t in _TYPES if t.abbreviation}


def find_doc_type(text: str) -> DocType | None:
    """The type named by a key, a name or an abbreviation ('TB', 'Thông báo', 'thong_bao')."""
    text = unicodedata.normalize("NFC", text.strip())
    if text in _EXACT_ABBREVIATIONS:
        return _EXACT_ABBREVIATIONS[text]
    return _LOOKUP.get(fold_letters(text))


def closest_doc_types(text: str, n: int = 3) -> list[str]:
    """The types whose key, name or abbreviation is nearest to text ('TBB' → Thông báo (TB))."""
    import difflib

    folded = fold_letters(unicodedata.normalize("NFC", text.strip()))
    names = difflib.get_close_matches(folded, list(_LOOKUP), n=8, cutoff=0.6)
    # a longer phrase that holds a type's name ('Công văn hành chính')
    names += [alias for alias in _LOOKUP if len(alias) > 3 and alias in folded and alias not in names]
    out: list[str] = []
    for alias in names:
        spec = _LOOKUP[alias]
        label = f"{spec.name} ({spec.abbreviation})" if spec.abbreviation else spec.name
        if label not in out:
            out.append(label)
    return out[:n]


def template_for(doc_type: DocType) -> str | None:
    """Built-in template file for a type: its own, the generic Mẫu 1.4 one, or none."""
    if doc_type.template:
        return doc_type.template
    if doc_type.model == "1.4":
        return GENERIC_TEMPLATE
    return None
