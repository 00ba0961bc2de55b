"""Agency profiles (vanthu.toml): two agencies and four signers driving YAML and Excel batches,
a record's own field winning, unknown keys named, the profile found from the records' folder
upward, `vanthu init` written and read back — every document opened and read back."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import openpyxl
import pytest

from conftest import write_records
from vanthu import api
from vanthu.cli import main

PROFILE = """
[co_quan.sct]
ten = "SỞ CÔNG THƯƠNG"
viet_tat = "SCT"
chu_quan = "UBND TỈNH LẠNG SƠN"
ten_goi = "Sở Công Thương tỉnh Lạng Sơn"
dia_danh = "Lạng Sơn"
ma_dinh_danh = "000.00.00.H41"
noi_nhan = ["UBND tỉnh (b/c)", "Lãnh đạo Sở"]
luu = ["VP"]

[co_quan.sct.lien_he]
dia_chi = "Số 1 đường Hùng Vương, thành phố Lạng Sơn"
dien_thoai = "0205 3812 345"

[co_quan.sct.nguoi_ky.giam-doc]
chuc_vu = "GIÁM ĐỐC"
ho_ten = "Hoàng Văn Bình"

[co_quan.sct.nguoi_ky.pho-giam-doc]
quyen_han = "KT."
thay_mat = "GIÁM ĐỐC"
chuc_vu = "PHÓ GIÁM ĐỐC"
ho_ten = "Nguyễn Văn An"

[co_quan.sct.don_vi]
quan-ly-cong-nghiep = "QLCN"

[co_quan.ttxt]
ten = "TRUNG TÂM KHUYẾN CÔNG VÀ XÚC TIẾN THƯƠNG MẠI"
viet_tat = "TTKC"
chu_quan = "SỞ CÔNG THƯƠNG TỈNH LẠNG SƠN"
dia_danh = "Lạng Sơn"
luu = ["HC"]

[co_quan.ttxt.nguoi_ky.giam-doc]
chuc_vu = "GIÁM ĐỐC"
ho_ten = "Lê Thị Hoa"

[co_quan.ttxt.nguoi_ky.pho-giam-doc]
quyen_han = "KT."
thay_mat = "GIÁM ĐỐC"
chuc_vu = "PHÓ GIÁM ĐỐC"
ho_ten = "Vi Văn Tú"
"""


def texts(path: Path) -> list[str]:
    d = docx.Document(str(path))
    out = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            for cell in row.cells:
                out += [p.text for p in cell.paragraphs]
    out += [p.text for s in d.sections for p in s.first_page_footer.paragraphs]
    return [" ".join(t.split()) for t in out]


def notice(**fields) -> dict:
    return {"loai": "TB", "so": 3, "ngay": "10/09/2021", "trich_yeu": "Về việc họp giao ban",
            "noi_dung": "Nội dung thông báo.", **fields}


@pytest.fixture
def office(tmp_path) -> Path:
    """The agency's folder: vanthu.toml at the top, records two folders below it."""
    (tmp_path / "van-thu").mkdir()
    (tmp_path / "van-thu" / "vanthu.toml").write_text(PROFILE, encoding="utf-8")
    return tmp_path / "van-thu"


def one(folder: Path) -> Path:
    (found,) = folder.glob("*.docx")
    return found


def test_records_inherit_the_agency_and_signer_they_name(office, tmp_path):
    records = office / "2021" / "thang-9"
    write_records(records, notice(co_quan="sct", nguoi_ky="pho-giam-doc", don_vi_soan_thao="quan-ly-cong-nghiep",
                                  loai="cong_van", kinh_gui=["Sở Tài chính"]), name="cv.yaml")
    write_records(records, notice(co_quan="ttxt", nguoi_ky="giam-doc"), name="tb.yaml")
    summary = api.generate([records], tmp_path / "out")
    assert summary.ok and summary.written == 2
    letter = texts(next((tmp_path / "out").glob("cong-van*.docx")))
    for line in ("UBND TỈNH LẠNG SƠN", "SỞ CÔNG THƯƠNG", "Số: 03/SCT-QLCN", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
                 "Nguyễn Văn An", "- UBND tỉnh (b/c);", "- Lãnh đạo Sở;", "- Lưu: VT, VP."):
        assert line in letter, line
    assert any(t.startswith("Lạng Sơn, ngày 10 tháng 9 năm 2021") for t in letter)
    assert any("Số 1 đường Hùng Vương" in t for t in letter)  # ô 13 from the profile's contacts
    unit = texts(next((tmp_path / "out").glob("thong-bao*.docx")))
    assert "TRUNG TÂM KHUYẾN CÔNG VÀ XÚC TIẾN THƯƠNG MẠI" in unit and "Lê Thị Hoa" in unit
    assert "Số: 03/TB-TTKC" in unit and "- Lưu: VT, HC." in unit
    assert "Hoàng Văn Bình" not in unit  # the unit's own giam-doc, not the Sở's


def test_a_records_own_field_wins_and_joint_documents_name_both(office, tmp_path):
    records = office / "r"
    write_records(records, notice(co_quan={"ho_so": "sct", "ten_goi": "Sở Công Thương"}, nguoi_ky="giam-doc",
                                  dia_danh="Hữu Lũng", noi_nhan=["Phòng Kinh tế"]), name="a.yaml")
    write_records(records, notice(loai="KH", co_quan=["sct", "ttxt"], nguoi_ky=["giam-doc", "ttxt.giam-doc"],
                                  trich_yeu="Phối hợp xúc tiến thương mại"), name="b.yaml")
    assert api.generate([records], tmp_path / "out").ok
    own = texts(next((tmp_path / "out").glob("thong-bao*.docx")))
    assert any(t.startswith("Hữu Lũng, ngày 10") for t in own) and "- Phòng Kinh tế;" in own
    assert "- UBND tỉnh (b/c);" not in own and "Hoàng Văn Bình" in own
    joint = texts(next((tmp_path / "out").glob("ke-hoach*.docx")))
    assert "Hoàng Văn Bình" in joint and "Lê Thị Hoa" in joint and "Số: 03/KH-SCT-TTKC" in joint


def test_unknown_keys_are_errors_naming_the_keys_that_exist(office, tmp_path, capsys):
    records = office / "r"
    write_records(records, notice(co_quan="so-cong-thuong", nguoi_ky="giam-doc"), name="a.yaml")
    write_records(records, notice(co_quan="sct", nguoi_ky="chanh-van-phong"), name="b.yaml")
    assert main(["generate", str(records), "-o", str(tmp_path / "out"), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "'so-cong-thuong' is not an agency of vanthu.toml; its agencies are: sct, ttxt" in err
    assert "'chanh-van-phong' is not a signer of SỞ CÔNG THƯƠNG in vanthu.toml; its signers are: giam-doc, " \
           "pho-giam-doc" in err
    assert "a.yaml:" in err and "b.yaml:" in err
    assert not list((tmp_path / "out").glob("*.docx"))


def test_the_profile_is_found_upward_or_named_and_without_one_a_key_is_an_error(office, tmp_path, capsys):
    elsewhere = tmp_path / "khac"
    write_records(elsewhere, notice(co_quan="sct", nguoi_ky="giam-doc"))
    assert main(["generate", str(elsewhere), "-o", str(tmp_path / "o1"), "--lang", "en"]) == 1
    assert "there is none in" in capsys.readouterr().err
    assert main(["generate", str(elsewhere), "-o", str(tmp_path / "o2"), "--profile",
                 str(office / "vanthu.toml")]) == 0
    assert "Hoàng Văn Bình" in texts(one(tmp_path / "o2"))
    broken = tmp_path / "hong.toml"
    broken.write_text("[co_quan.sct\nten = 1", encoding="utf-8")
    assert main(["generate", str(elsewhere), "-o", str(tmp_path / "o3"), "--profile", str(broken), "--lang",
                 "en"]) == 2
    assert "not a valid TOML file" in capsys.readouterr().err


def test_excel_rows_name_profile_keys_from_the_dropdowns(office, tmp_path):
    workbook = office / "so-van-ban.xlsx"
    assert api.excel_template(workbook) == workbook
    book = openpyxl.load_workbook(workbook)
    sheet = book["VanBan"]
    headers = {c.value: c.column_letter for c in sheet[1]}
    lists = book["DanhMuc"] if "DanhMuc" in book.sheetnames else book[book.sheetnames[-1]]
    listed = {lists.cell(1, c).value: [lists.cell(r, c).value for r in range(2, 6)]
              for c in range(1, lists.max_column + 1)}
    assert listed["co_quan_ho_so"][:2] == ["sct", "ttxt"]
    assert listed["nguoi_ky_ho_so"][:2] == ["giam-doc", "pho-giam-doc"]
    rows = [{"Mã văn bản": "TB1", "Loại văn bản": "Thông báo", "Số": 4, "Ngày": "12/09/2021",
             "Trích yếu": "Về việc kiểm tra", "Cơ quan (hồ sơ)": "sct", "Người ký (hồ sơ)": "pho-giam-doc"},
            {"Mã văn bản": "TB2", "Loại văn bản": "Thông báo", "Số": 5, "Ngày": "12/09/2021",
             "Trích yếu": "Về việc tập huấn", "Cơ quan (hồ sơ)": "ttxt", "Người ký (hồ sơ)": "pho-giam-doc",
             "Họ tên người ký": "Vi Văn Tú (thay)"}]
    for r, row in enumerate(rows, start=2):
        for header, value in row.items():
            sheet[f"{headers[header]}{r}"] = value
    body = book["NoiDung"]
    body_headers = {c.value: c.column_letter for c in body[1]}
    for r, key in enumerate(("TB1", "TB2"), start=2):
        body[f"{body_headers['Mã văn bản']}{r}"] = key
        body[f"{body_headers['Nội dung']}{r}"] = "Nội dung."
    book.save(workbook)
    summary = api.generate([workbook], tmp_path / "out")
    assert summary.ok and summary.written == 2, [str(p) for d in summary.documents for p in d.problems]
    first = texts(next(p for p in (tmp_path / "out").glob("*.docx") if "kiem-tra" in p.name))
    assert "SỞ CÔNG THƯƠNG" in first and "Nguyễn Văn An" in first and "- Lưu: VT, VP." in first
    second = texts(next(p for p in (tmp_path / "out").glob("*.docx") if "tap-huan" in p.name))
    assert "Vi Văn Tú (thay)" in second and "TRUNG TÂM KHUYẾN CÔNG VÀ XÚC TIẾN THƯƠNG MẠI" in second


def test_init_writes_a_profile_that_generate_reads(tmp_path, capsys):
    folder = tmp_path / "ho-so"
    assert main(["init", str(folder), "--key", "sct", "--ten", "SỞ CÔNG THƯƠNG", "--viet-tat", "SCT",
                 "--chu-quan", "UBND TỈNH LẠNG SƠN", "--dia-danh", "Lạng Sơn", "--ma-dinh-danh", "000.00.00.H41",
                 "--nguoi-ky", "pho-giam-doc=KT. GIÁM ĐỐC/PHÓ GIÁM ĐỐC/Nguyễn Văn An", "--nguoi-ky",
                 "giam-doc=GIÁM ĐỐC/Hoàng Văn Bình", "--noi-nhan", "UBND tỉnh (b/c)", "--luu", "VP",
                 "--dia-chi", "Số 1 đường Hùng Vương", "--dien-thoai", "0205 3812 345"]) == 0
    assert (folder / "vanthu.toml").is_file()
    write_records(folder, notice(co_quan="sct", nguoi_ky="pho-giam-doc"))
    summary = api.generate([folder], tmp_path / "out", pdf=shutil.which("soffice") is not None)
    assert summary.ok
    document = texts(one(tmp_path / "out"))
    assert "KT. GIÁM ĐỐC" in document and "Nguyễn Văn An" in document and "- UBND tỉnh (b/c);" in document
    assert any("Số 1 đường Hùng Vương" in t and "0205 3812 345" in t for t in document)  # ô 13
    report = api.check([one(tmp_path / "out")])
    assert report.errors == 0
    if shutil.which("soffice"):  # the profile's mã định danh reaches the edXML package
        (package,) = api.edxml(tmp_path / "out", tmp_path / "edxml")
        assert package.fields["From"]["OrganId"] == "000.00.00.H41"
    # off a terminal, what init needs and was not given is an error; an existing profile is kept
    assert main(["init", str(tmp_path / "x"), "--ten", "A", "--lang", "en"]) == 2
    assert "give --key" in capsys.readouterr().err
    assert main(["init", str(folder), "--key", "k", "--ten", "B", "--viet-tat", "B", "--dia-danh", "C"]) == 2
    assert "Hoàng Văn Bình" in (folder / "vanthu.toml").read_text(encoding="utf-8")
    assert main(["init", str(tmp_path / "y"), "--key", "k", "--ten", "B", "--viet-tat", "B", "--dia-danh", "C",
                 "--nguoi-ky", "giam-doc"]) == 2


def test_a_profiles_register_sequences_number_its_types_apart(office, tmp_path):
    profile = office / "vanthu.toml"
    profile.write_text(PROFILE.replace('[co_quan.sct.don_vi]', '[co_quan.sct.so_dang_ky]\n"QĐ" = ["quyet_dinh"]\n\n'
                                                               '[co_quan.sct.don_vi]'), encoding="utf-8")
    records = office / "r"
    decision = notice(loai="QĐ", so="auto", tham_quyen="GIÁM ĐỐC SỞ CÔNG THƯƠNG", noi_dung="Điều 1. Thi hành.")
    write_records(records, notice(co_quan="sct", nguoi_ky="giam-doc", so="auto"),
                  decision | {"co_quan": "sct", "nguoi_ky": "giam-doc"}, name="a.yaml")
    url = f"sqlite:///{tmp_path / 'so.db'}"
    assert api.generate([records], tmp_path / "out", register=url).ok
    numbers = sorted((e.so_ky_hieu, e.sequence) for e in api.register_entries(url))
    assert numbers == [("01/QĐ-SCT", "QĐ"), ("01/TB-SCT", "chung")]  # each from 01 in its own sequence
