"""Layout numbers of Phụ lục I (thể thức và kỹ thuật trình bày) — nd30.md §1, §2.2, §3, §10.

Each element has the range the decree allows (for the checker) and the one value vanthu
writes (for the templates). Sizes are in points, lengths in millimetres; the render layer
converts them once (vanthu.ooxml.units).
"""

from __future__ import annotations

from dataclasses import dataclass

CLAUSE_PAGE = "Phụ lục I, Phần I, Mục I"
CLAUSE_ELEMENTS = "Phụ lục I, Phần I, Mục II"
CLAUSE_APPENDIX = "Phụ lục I, Phần I, Mục III, khoản 1"

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
FONT_NAME = "Times New Roman"
# Metric-compatible stand-in used by LibreOffice where Times New Roman is not installed.
FONT_FALLBACK = "Liberation Serif"


@dataclass(frozen=True)
class Range:
    low: float
    high: float

    def __contains__(self, value: float) -> bool:
        return self.low - 1e-6 <= value <= self.high + 1e-6

    def __str__(self) -> str:
        return f"{self.low:g}–{self.high:g}" if self.low != self.high else f"{self.low:g}"


MARGIN_RANGES_MM = {
    "top": Range(20, 25),
    "bottom": Range(20, 25),
    "left": Range(30, 35),
    "right": Range(15, 20),
}
# One consistent choice inside the ranges (nd30.md §10).
MARGINS_MM = {"top": 20.0, "bottom": 20.0, "left": 30.0, "right": 15.0}
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]
# Distance of the page-number header from the top edge: inside the top margin.
HEADER_DISTANCE_MM = 10.0
FOOTER_DISTANCE_MM = 10.0

BODY_SIZE_RANGE = Range(13, 14)
FIRST_LINE_INDENTS_MM = (10.0, 12.7)  # 1 cm or 1.27 cm
FIRST_LINE_INDENT_MM = 10.0
PARAGRAPH_SPACING_MIN_PT = 6.0
PARAGRAPH_SPACING_PT = 6.0
LINE_SPACING_RANGE = Range(1.0, 1.5)  # in lines
LINE_SPACING = 1.0

# Header table (practice: a borderless two-column table; the decree gives no widths).
# The right column fits the Quốc hiệu at 12 pt bold (about 88 mm) on one line.
HEADER_LEFT_COLUMN_MM = 68.0
HEADER_RIGHT_COLUMN_MM = TEXT_WIDTH_MM - HEADER_LEFT_COLUMN_MM
# Rules under the agency name and the trích yếu: 1/3 to 1/2 of the line above them.
SHORT_RULE_FRACTION = Range(1 / 3, 1 / 2)
SHORT_RULE_CHOSEN = 0.4
RULE_WIDTH_PT = 0.5  # "nét liền": a solid single line; the decree fixes no weight
# The checker's tolerance on the length of a line drawn by hand (not exact to the millimetre).
RULE_TOLERANCE_MM = 2.0

# Signature area: Nơi nhận on the left, signer on the right (Mẫu 1.4).
SIGNATURE_LEFT_COLUMN_MM = 75.0
SIGNATURE_RIGHT_COLUMN_MM = TEXT_WIDTH_MM - SIGNATURE_LEFT_COLUMN_MM
# Empty lines left for the signature image and seal between the title and the name (ô 7c, ô 8).
SIGNATURE_GAP_LINES = 4
# The empty PDF signature field between a signer's title and name: a 40 mm signature image
# and a 36–42 mm seal over its left third (Phụ lục I, Mục II, khoản 7c, 8).
SIGNATURE_FIELD_WIDTH_MM = 70.0
# The agency's signature on an appendix filed separately: top right of its first page, text
# only (số/ký hiệu and time, nd30.md §7); inside the right margin, this far below the top edge.
APPENDIX_SIGNATURE_FIELD_MM = (60.0, 15.0)
APPENDIX_SIGNATURE_TOP_MM = 5.0

# Spacing of the header and title blocks (Mẫu 1.4: one 6 pt step between the header's lines,
# a wider gap above the tên loại; the decree gives no figures, these are the model's look).
HEADER_LINE_SPACE_PT = 6.0  # above Số, the date line, the trích yếu under Số
TITLE_SPACE_BEFORE_PT = 18.0  # above the tên loại
AUTHORITY_SPACE_BEFORE_PT = 12.0  # above a decision's authority line (Mẫu 1.2)
# Below the rule under the trích yếu: the body (or Kính gửi) starts a clear line under it, as in
# Mẫu 1.4, never on the rule's diacritics.
TITLE_RULE_SPACE_AFTER_PT = 12.0
# The date line (ô 4) stays on one line in the header's right column: where a long place name
# needs it, its letters are set closer (never smaller) by up to this much each.
DATE_LINE_MAX_CONDENSE_PT = 0.5
# The longest date of the decree's form (two-digit day and month): a place fits or not for every date.
LONGEST_DATE_TEXT = ", ngày 28 tháng 12 năm 2020"

# Kính gửi (ô 9a): a single recipient centred; several indented, their dashes under the colon.
KINH_GUI_INDENT_MM = 25.0
KINH_GUI_SPACE_BEFORE_PT = 12.0
KINH_GUI_SPACE_AFTER_PT = 6.0

# Urgency and secrecy stamps (ô 10a, 10b, 11): a single-bordered box, inked bright red
# (Mục II, khoản 10). TT 24/2020/TT-BCA sizes were not found [unverified]: a box that fits
# the text with this margin, this high, where texts.DO_KHAN gives no size.
STAMP_COLOR = "FF0000"
STAMP_BORDER_PT = 0.75
STAMP_HEIGHT_MM = 8.0
STAMP_TEXT_MARGIN_MM = 6.0

# Appendix and body tables: text kept off the cell borders.
TABLE_CELL_MARGIN_MM = 1.5


@dataclass(frozen=True)
class ElementStyle:
    """How one element of the decree is printed."""

    key: str
    label: str  # Vietnamese name of the element, for messages and the style list
    style_name: str  # named paragraph style in the templates (editable in Word)
    style_id: str
    size_range: Range
    size: float  # the size vanthu writes
    bold: bool
    italic: bool
    caps: bool | None  # True: all caps; False: must not be all caps; None: no rule
    align: str  # "center", "both", "left"
    clause: str
    cell: str | None = None  # ô number in the layout diagram


def _e(key, label, style_id, rng, size, bold, italic, caps, align, clause, cell=None):
    return ElementStyle(key, label, f"VT {label}", style_id, Range(*rng), size, bold, italic,
                        caps, align, clause, cell)


_M = CLAUSE_ELEMENTS
ELEMENTS: dict[str, ElementStyle] = {e.key: e for e in [
    _e("quoc_hieu", "Quốc hiệu", "VTQuocHieu", (12, 13), 12, True, False, True, "center", f"{_M}, khoản 1", "1"),
    _e("tieu_ngu", "Tiêu ngữ", "VTTieuNgu", (13, 14), 13, True, False, False, "center", f"{_M}, khoản 1", "1"),
    _e("co_quan_chu_quan", "Cơ quan chủ quản", "VTCoQuanChuQuan", (12, 13), 12, False, False, True, "center",
       f"{_M}, khoản 2", "2"),
    _e("co_quan_ban_hanh", "Cơ quan ban hành", "VTCoQuanBanHanh", (12, 13), 12, True, False, True, "center",
       f"{_M}, khoản 2", "2"),
    _e("so_ky_hieu", "Số, ký hiệu", "VTSoKyHieu", (13, 13), 13, False, False, None, "center", f"{_M}, khoản 3", "3"),
    _e("dia_danh_ngay", "Địa danh và thời gian", "VTDiaDanhNgay", (13, 14), 13, False, True, None, "center",
       f"{_M}, khoản 4", "4"),
    _e("ten_loai", "Tên loại", "VTTenLoai", (13, 14), 14, True, False, True, "center", f"{_M}, khoản 5", "5a"),
    _e("trich_yeu", "Trích yếu", "VTTrichYeu", (13, 14), 14, True, False, False, "center", f"{_M}, khoản 5", "5a"),
    _e("trich_yeu_cong_van", "Trích yếu công văn", "VTTrichYeuCongVan", (12, 13), 12, False, False, False,
       "center", f"{_M}, khoản 5", "5b"),
    _e("tham_quyen_ban_hanh", "Thẩm quyền ban hành", "VTThamQuyenBanHanh", (13, 14), 14, True, False, True,
       "center", "Phụ lục III, Mẫu 1.2"),
    _e("can_cu", "Căn cứ", "VTCanCu", (13, 14), 14, False, True, False, "both", f"{_M}, khoản 6"),
    _e("noi_dung", "Nội dung", "VTNoiDung", (13, 14), 14, False, False, False, "both", f"{_M}, khoản 6", "6"),
    _e("muc", "Mục", "VTMuc", (13, 14), 14, True, False, True, "both", f"{_M}, khoản 6"),
    _e("khoan_tieu_de", "Khoản có tiêu đề", "VTKhoan", (13, 14), 14, True, False, False, "both", f"{_M}, khoản 6"),
    _e("kinh_gui", "Kính gửi", "VTKinhGui", (13, 14), 14, False, False, False, "left", f"{_M}, khoản 9", "9a"),
    _e("quyen_han", "Quyền hạn, chức vụ", "VTQuyenHan", (13, 14), 14, True, False, True, "center",
       f"{_M}, khoản 7", "7a"),
    _e("ho_ten", "Họ tên người ký", "VTHoTen", (13, 14), 14, True, False, False, "center", f"{_M}, khoản 7", "7b"),
    _e("noi_nhan_label", "Nơi nhận", "VTNoiNhan", (12, 12), 12, True, True, False, "left", f"{_M}, khoản 9", "9b"),
    _e("noi_nhan_list", "Danh sách nơi nhận", "VTNoiNhanDanhSach", (11, 11), 11, False, False, False, "left",
       f"{_M}, khoản 9", "9b"),
    _e("dau_khan", "Dấu chỉ mức độ khẩn", "VTDauKhan", (13, 14), 13, True, False, True, "center",
       "Phụ lục I, Phần I, Mục II, khoản 10", "10b"),
    _e("dau_mat", "Dấu chỉ độ mật", "VTDauMat", (13, 14), 13, True, False, True, "center",
       "Phụ lục I, Phần I, Mục II, khoản 10", "10a"),
    _e("luu_hanh", "Phạm vi lưu hành", "VTLuuHanh", (13, 14), 13, True, False, True, "center",
       "Phụ lục I, Phần I, Mục II, khoản 11", "11"),
    _e("lien_he", "Thông tin liên hệ", "VTLienHe", (11, 12), 11, False, False, None, "left",
       "Phụ lục I, Phần I, Mục II, khoản 13", "13"),
    _e("so_trang", "Số trang", "VTSoTrang", (13, 14), 14, False, False, None, "center", CLAUSE_PAGE),
    _e("phu_luc_so", "Phụ lục", "VTPhuLuc", (14, 14), 14, True, False, False, "center", CLAUSE_APPENDIX),
    _e("phu_luc_tieu_de", "Tiêu đề phụ lục", "VTPhuLucTieuDe", (13, 14), 14, True, False, True, "center",
       CLAUSE_APPENDIX),
    _e("phu_luc_kem_theo", "Kèm theo", "VTPhuLucKemTheo", (13, 14), 14, False, True, False, "center",
       CLAUSE_APPENDIX),
    _e("bang", "Bảng", "VTBang", (11, 14), 12, False, False, None, "left", CLAUSE_PAGE),
]}
# Tiêu ngữ rule: as long as the Tiêu ngữ line itself (Mục II, khoản 1).

# The draft marks (generate --draft). The decree has no rule for them (shared/nd30.md §2.2,
# "Dự thảo" marking); this is the common practice: a bordered "DỰ THẢO" at the top left above
# the agency block, as a stamp is drawn, and a light diagonal watermark on every page.
DRAFT_LABEL = "DỰ THẢO"
DRAFT_LABEL_NUMBERED = "Dự thảo lần {n}"
DRAFT_MARK_SIZE_PT = 13.0
DRAFT_MARK_GAP_MM = 2.0  # between the mark and the top of the text area
DRAFT_MARK_MIN_TOP_MM = 5.0  # inside what a printer prints
DRAFT_WATERMARK_MM = (160.0, 40.0)  # the diagonal text's box, centred on the text area
DRAFT_WATERMARK_COLOR = "D0D0D0"
