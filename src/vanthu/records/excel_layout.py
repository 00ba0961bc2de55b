"""The workbook layout for records (docs/excel.md), as data shared by the reader and the
blank-workbook writer. Column headers are Vietnamese, with diacritics."""

from __future__ import annotations

from dataclasses import dataclass

from ..nd30 import texts
from ..nd30.authority import AUTHORITIES
from ..nd30.doc_types import DOC_TYPES

SHEET_DOCUMENTS = "VanBan"
SHEET_BODY = "NoiDung"
SHEET_LISTS = "DanhSach"
SHEET_APPENDIX = "PhuLuc"
SHEET_CHOICES = "DanhMuc"  # hidden: the drop-down lists
SHEET_RECIPIENTS = "NguoiNhan"  # mail merge

KEY = "Mã văn bản"


@dataclass(frozen=True)
class Column:
    header: str
    path: tuple  # where the value goes in the record; () for the key
    kind: str = "text"  # text, list (comma-separated), date, datetime, int
    choices: str | None = None  # name of a drop-down list
    width: int = 18
    note: str = ""


# Columns headed "du_lieu.NAME" on the VanBan sheet give a user template's own variables
# ({{ du_lieu.NAME }}), as `du_lieu: {NAME: …}` does in YAML.
DU_LIEU_PREFIX = "du_lieu."
# "Dòng tiêu đề" set to this on a PhuLuc row: Cột 1… hold the columns' relative widths.
WIDTH_ROW = ("do rong", "do rong cot")


DOCUMENT_COLUMNS = [
    Column(KEY, (), width=14, note="Khóa nối với các trang NoiDung, DanhSach, PhuLuc"),
    Column("Loại văn bản", ("loai",), choices="loai", width=16),
    Column("Cơ quan chủ quản", ("co_quan", 0, "chu_quan"), width=24),
    Column("Cơ quan ban hành", ("co_quan", 0, "ten"), width=24),
    Column("Viết tắt cơ quan", ("co_quan", 0, "viet_tat"), width=12),
    Column("Tên gọi cơ quan", ("co_quan", 0, "ten_goi"), width=24),
    Column("Số", ("so",), kind="int", width=8),
    Column("Đơn vị soạn thảo", ("don_vi_soan_thao",), width=12),
    Column("Địa danh", ("dia_danh",), width=14),
    Column("Ngày", ("ngay",), kind="date", width=12, note="dd/mm/yyyy"),
    Column("Năm", ("nam",), kind="int", width=8),
    Column("Trích yếu", ("trich_yeu",), width=40),
    Column("Độ khẩn", ("do_khan",), choices="do_khan", width=12),
    Column("Độ mật", ("do_mat",), choices="do_mat", width=12),
    Column("Phạm vi lưu hành", ("luu_hanh",), choices="luu_hanh", width=18),
    Column("Thẩm quyền ban hành", ("tham_quyen",), width=24),
    Column("Theo đề nghị", ("theo_de_nghi",), width=30),
    Column("Quyền hạn ký", ("nguoi_ky", 0, "quyen_han"), kind="lines", choices="quyen_han", width=10,
           note="TM., KT., TL., TUQ. hoặc Q.; hai cấp (TM. rồi KT.): mỗi cấp một dòng (Alt+Enter) hoặc cách bằng ;"),
    Column("Thay mặt", ("nguoi_ky", 0, "thay_mat"), kind="lines", width=18,
           note="tập thể hoặc người đứng đầu; hai cấp: mỗi cấp một dòng hoặc cách nhau bằng ;"),
    Column("Chức vụ người ký", ("nguoi_ky", 0, "chuc_vu"), width=18),
    Column("Họ tên người ký", ("nguoi_ky", 0, "ho_ten"), width=20),
    Column("Lưu tại đơn vị", ("luu",), kind="list", width=14, note="các đơn vị, cách nhau bằng dấu phẩy"),
    Column("Số bản lưu", ("so_ban_luu",), kind="int", width=8),
    Column("Người soạn", ("nguoi_soan",), width=10),
    Column("Ghi sau dòng Lưu", ("luu_ghi_chu",), width=16, note="ví dụ: Cương (3b) — in sau '- Lưu: VT, …'"),
    Column("Số bản phát hành", ("so_ban_phat_hanh",), kind="int", width=10),
    Column("Địa chỉ", ("lien_he", "dia_chi"), width=30),
    Column("Điện thoại", ("lien_he", "dien_thoai"), width=14),
    Column("Fax", ("lien_he", "fax"), width=14),
    Column("Email", ("lien_he", "email"), width=20),
    Column("Website", ("lien_he", "website"), width=20),
    Column("Tên sự kiện", ("su_kien", "ten"), width=30),
    Column("Bắt đầu", ("su_kien", "bat_dau"), kind="datetime", width=16, note="dd/mm/yyyy hh:mm"),
    Column("Kết thúc", ("su_kien", "ket_thuc"), kind="datetime", width=16),
    Column("Địa điểm", ("su_kien", "dia_diem"), width=30),
    Column("Chủ trì", ("su_kien", "chu_tri"), width=20),
    Column("Dự thảo lần", ("du_thao",), kind="int", width=8, note="bản dự thảo thứ mấy (generate --draft)"),
    # an agency and a signer of the profile (vanthu.toml), by key; the row's own cells win over it
    Column("Cơ quan (hồ sơ)", ("co_quan", 0, "ho_so"), choices="co_quan_ho_so", width=14,
           note="khóa cơ quan trong vanthu.toml (ví dụ sct): điền sẵn tên, viết tắt, cơ quan chủ quản …"),
    Column("Người ký (hồ sơ)", ("nguoi_ky", 0, "ho_so"), choices="nguoi_ky_ho_so", width=16,
           note="khóa người ký trong vanthu.toml (ví dụ pho-giam-doc)"),
    # a joint document's second agency and signer (its signer signs at the left)
    Column("Cơ quan chủ quản 2", ("co_quan", 1, "chu_quan"), width=24),
    Column("Cơ quan ban hành 2", ("co_quan", 1, "ten"), width=24),
    Column("Viết tắt cơ quan 2", ("co_quan", 1, "viet_tat"), width=12),
    Column("Cơ quan 2 (hồ sơ)", ("co_quan", 1, "ho_so"), choices="co_quan_ho_so", width=14),
    Column("Quyền hạn ký 2", ("nguoi_ky", 1, "quyen_han"), kind="lines", choices="quyen_han", width=10),
    Column("Thay mặt 2", ("nguoi_ky", 1, "thay_mat"), kind="lines", width=18),
    Column("Chức vụ người ký 2", ("nguoi_ky", 1, "chuc_vu"), width=18,
           note="văn bản liên tịch: người ký của cơ quan thứ hai; biên bản: THƯ KÝ"),
    Column("Họ tên người ký 2", ("nguoi_ky", 1, "ho_ten"), width=20),
    Column("Người ký 2 (hồ sơ)", ("nguoi_ky", 1, "ho_so"), choices="nguoi_ky_ho_so", width=16),
    # a Biên bản: the event's columns (Bắt đầu, Kết thúc, Địa điểm, Chủ trì, Thành phần) give the meeting
    Column("Thư ký", ("bien_ban", "thu_ky"), width=24, note="biên bản: người ghi biên bản"),
    # a Giấy giới thiệu (Mẫu 1.8)
    Column("Người được giới thiệu", ("gioi_thieu", "ho_ten"), width=20),
    Column("Chức vụ người được giới thiệu", ("gioi_thieu", "chuc_vu"), width=18),
    Column("Đơn vị người được giới thiệu", ("gioi_thieu", "don_vi"), width=20),
    Column("Được cử đến", ("gioi_thieu", "noi_den"), width=30),
    Column("Về việc", ("gioi_thieu", "ve_viec"), width=30),
    Column("Giá trị đến ngày", ("gioi_thieu", "hieu_luc_den"), kind="date", width=12, note="dd/mm/yyyy"),
    # a Giấy nghỉ phép (Mẫu 1.10)
    Column("Người nghỉ phép", ("nghi_phep", "ho_ten"), width=20),
    Column("Chức vụ người nghỉ phép", ("nghi_phep", "chuc_vu"), width=18),
    Column("Đơn vị người nghỉ phép", ("nghi_phep", "don_vi"), width=20),
    Column("Ngày đơn nghỉ phép", ("nghi_phep", "ngay_don"), kind="date", width=12, note="dd/mm/yyyy"),
    Column("Nghỉ từ ngày", ("nghi_phep", "tu_ngay"), kind="date", width=12, note="dd/mm/yyyy"),
    Column("Nghỉ đến hết ngày", ("nghi_phep", "den_ngay"), kind="date", width=12, note="dd/mm/yyyy"),
    Column("Nơi nghỉ phép", ("nghi_phep", "noi_nghi"), width=30),
    Column("Tính vào thời gian", ("nghi_phep", "tinh_vao"), width=24, note="ví dụ: nghỉ hằng năm năm 2021"),
    # a text issued with a Quyết định (a Quy chế, Quy định …), on pages of its own after it
    Column("Loại văn bản kèm theo", ("van_ban_kem_theo", "loai"), choices="loai", width=16),
    Column("Trích yếu văn bản kèm theo", ("van_ban_kem_theo", "trich_yeu"), width=40),
    Column("Nội dung văn bản kèm theo", ("van_ban_kem_theo", "noi_dung"), width=60,
           note="mỗi dòng (Alt+Enter) một đoạn: Chương I, tên chương, Điều 1. …"),
]

BODY_COLUMNS = [Column(KEY, (), width=14), Column("Nội dung", ("noi_dung",), width=100,
                                                  note="một dòng (đoạn) mỗi hàng, theo thứ tự")]

# Lists linked to a document: what each kind of row feeds.
LIST_KINDS = {"Kính gửi": ("kinh_gui",), "Nơi nhận": ("noi_nhan",), "Căn cứ": ("can_cu",),
              "Thành phần": ("su_kien", "thanh_phan")}
LIST_COLUMNS = [Column(KEY, (), width=14), Column("Loại danh sách", (), choices="danh_sach", width=16),
                Column("Nội dung", (), width=80)]

APPENDIX_DATA_COLUMNS = 10
APPENDIX_COLUMNS = [
    Column(KEY, (), width=14),
    Column("Phụ lục số", (), kind="int", width=10),
    Column("Tiêu đề phụ lục", (), width=30),
    Column("Khổ ngang", (), choices="co_khong", width=10),
    Column("Nhóm theo cột", (), width=16),
    Column("Dòng tiêu đề", (), choices="dong_bang", width=12,
           note="Có: hàng này là tiêu đề các cột; Độ rộng: hàng này cho độ rộng tương đối của các cột"),
    *[Column(f"Cột {i}", (), width=20) for i in range(1, APPENDIX_DATA_COLUMNS + 1)],
]

RECIPIENT_COLUMNS = [Column("Kính gửi", ("kinh_gui",), width=40), Column("Địa chỉ", (), width=40),
                     Column("Danh xưng", (), width=16)]

CHOICES = {
    "loai": [t.name for t in DOC_TYPES.values()],
    "do_khan": list(texts.DO_KHAN),
    "do_mat": list(texts.DO_MAT),
    "luu_hanh": list(texts.PHAM_VI_LUU_HANH),
    "quyen_han": list(AUTHORITIES),
    "danh_sach": list(LIST_KINDS),
    "co_khong": ["Có", "Không"],
    "dong_bang": ["Có", "Không", "Độ rộng"],
}
YES = {"có", "co", "x", "yes", "true", "1"}
