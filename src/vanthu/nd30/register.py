"""The outgoing-documents register and its number sequences (Điều 15, 16; Phụ lục IV Mục I;
Phụ lục VI Phần II Mục I) — nd30.md §6.1–6.3, notes/next-features.md §B.

Rules as data: which sequence a document takes, the register's ten columns, its cover, and
the Phụ lục VI fields an archive batch carries.
"""

from __future__ import annotations

import unicodedata

# Sequences. Administrative documents share one sequence unless the head of the agency
# decides on one per type group (15.1.c); secret documents (15.2) and advisory bodies issuing
# in their own name with the agency's seal (Phụ lục I II.3: "phải lấy hệ thống số riêng")
# always keep their own.
SEQUENCE_SHARED = "chung"
SEQUENCE_SECRET = "mat"
SEQUENCE_ADVISORY = "tu-van"
# Copies (sao y, trích sao, sao lục) share one sequence from 01 on 1 January (Phụ lục I Phần II
# Mục II khoản 1.c).
SEQUENCE_COPY = "ban-sao"

SEQUENCE_LABELS = {
    SEQUENCE_SHARED: "Văn bản hành chính",
    SEQUENCE_SECRET: "Văn bản mật",
    SEQUENCE_ADVISORY: "Hội đồng, Ban, Tổ tư vấn",
    SEQUENCE_COPY: "Bản sao",
}

# An advisory body is told by the first word(s) of its name (Hội đồng, Ban, Tổ). A "Ban" that
# is an agency of its own (Ban Quản lý …) numbers by its own abbreviation anyway, so taking it
# for an advisory body changes only the sequence's label, never a number.
ADVISORY_PREFIXES = ("hội đồng", "ban", "tổ")


def is_advisory_body(name: str) -> bool:
    words = unicodedata.normalize("NFC", name).casefold().split()
    text = " ".join(words)
    return any(text == p or text.startswith(p + " ") for p in ADVISORY_PREFIXES)


# Phụ lục IV Mục I: Sổ đăng ký văn bản đi, ten columns (widths in Excel characters, chosen to
# fill an A4 landscape page).
REGISTER_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Số, ký hiệu văn bản", 16),
    ("Ngày tháng văn bản", 12),
    ("Tên loại và trích yếu nội dung văn bản", 44),
    ("Người ký", 16),
    ("Nơi nhận văn bản", 24),
    ("Đơn vị, người nhận bản lưu", 14),
    ("Số lượng bản", 8),
    ("Ngày chuyển", 10),
    ("Ký nhận", 10),
    ("Ghi chú", 18),
)
REGISTER_TITLE = "SỔ ĐĂNG KÝ VĂN BẢN ĐI"

# The cover's fields (an image in the decree; text from a secondary source, nd30.md §6.2).
COVER_PARENT = "Cơ quan chủ quản"
COVER_AGENCY = "Cơ quan"
COVER_YEAR = "Năm"
COVER_FROM_DATE = "Từ ngày"
COVER_TO_DATE = "Đến ngày"
COVER_FROM_NUMBER = "Từ số"
COVER_TO_NUMBER = "Đến số"
COVER_VOLUME = "Quyển số"

# What the Ghi chú column says of a voided number; import reads it back.
VOID_NOTE = "Hủy số"

# Phụ lục VI Phần II Mục I: the system's input data for an outgoing document (tag, Vietnamese
# label), in the decree's order.
PHU_LUC_VI_FIELDS: tuple[tuple[str, str], ...] = (
    ("FileCode.OrganId", "Mã định danh của cơ quan, tổ chức lập danh mục hồ sơ"),
    ("FileCode.FileCatalog", "Năm hình thành hồ sơ"),
    ("FileCode.FileNotation", "Số và ký hiệu hồ sơ"),
    ("DocOrdinal", "Số thứ tự văn bản trong hồ sơ"),
    ("TypeName", "Tên loại văn bản"),
    ("CodeNumber", "Số của văn bản"),
    ("CodeNotation", "Ký hiệu của văn bản"),
    ("IssuedDate", "Ngày, tháng, năm văn bản"),
    ("OrganName", "Tên cơ quan, tổ chức ban hành văn bản"),
    ("Subject", "Trích yếu nội dung"),
    ("Language", "Ngôn ngữ"),
    ("PageAmount", "Số trang của văn bản"),
    ("Description", "Ghi chú"),
    ("SignerInfo.Position", "Chức vụ của người ký văn bản"),
    ("SignerInfo.FullName", "Họ và tên người ký văn bản"),
    ("To", "Nơi nhận"),
    ("Priority", "Mức độ khẩn, độ mật"),
    ("IssuedAmount", "Số lượng bản phát hành"),
    ("DueDate", "Hạn trả lời văn bản"),
)

# Phụ lục VI field 14 (Priority) is a one-digit number. The decree gives no codes; these are the
# edXML codes (notes/next-features.md §A, a secondary source): 0 thường, 1 khẩn, 2 thượng
# khẩn, 3 hỏa tốc. Secrecy has no code of its own there and goes to the manifest beside it.
PRIORITY_CODES = {"KHẨN": 1, "THƯỢNG KHẨN": 2, "HỎA TỐC": 3, "HOẢ TỐC": 3}
LANGUAGE = "Tiếng Việt"
