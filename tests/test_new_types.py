"""The văn thư's other documents: Giấy giới thiệu (Mẫu 1.8), Giấy nghỉ phép (Mẫu 1.10) and Biên
bản (Mẫu 1.9), rendered from the examples in examples/, read back for their distinctive layout,
and passing the checker."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
import yaml

from conftest import ROOT, write_records
from vanthu import api

EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("types")
    summary = api.generate([EXAMPLES], out)
    assert summary.ok and summary.written == len(list(EXAMPLES.glob("*.yaml")))
    return {p.name.split("_")[0]: p for p in out.glob("*.docx")}


def lines(path: Path) -> list[str]:
    """Every non-blank paragraph, table cells and the marks' boxes included, in reading order."""
    from vanthu.ooxml.reader import WordDocument

    return [" ".join(p.text.split()) for p in WordDocument(path).paragraphs if p.text.strip()]


def test_every_new_type_passes_the_checker(rendered):
    report = api.check(list(rendered.values()))
    assert report.errors == 0 and not report.unreadable
    assert sum(f.warnings for f in report.files) == 0


def test_giay_gioi_thieu_says_who_to_whom_for_what_until_when(rendered):
    text = lines(rendered["giay-gioi-thieu"])
    order = ["GIẤY GIỚI THIỆU", "Sở Công Thương tỉnh Lạng Sơn trân trọng giới thiệu:", "Ông (bà): Hoàng Thị Mai",
             "Chức vụ: Chuyên viên, Phòng Quản lý thương mại",
             "Được cử đến: Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn",
             "Đề nghị Quý cơ quan tạo điều kiện để ông (bà) có tên ở trên hoàn thành nhiệm vụ.",
             "Giấy này có giá trị đến hết ngày 30/09/2021./."]
    assert [text.index(t) for t in order] == sorted(text.index(t) for t in order)
    assert "Số: 14/GGT-SCT" in text
    nn = text.index("Nơi nhận:")
    assert text[nn + 1:nn + 3] == ["- Như trên;", "- Lưu: VT, QLTM."]  # Mẫu 1.8 opens with "Như trên"
    assert rendered["giay-gioi-thieu"].name.endswith("hoang-thi-mai.docx")


def test_giay_nghi_phep_counts_the_days_and_says_where(rendered):
    text = lines(rendered["giay-nghi-phep"])
    assert "GIẤY NGHỈ PHÉP" in text and "Số: 21/GNP-SCT" in text
    assert "Xét Đơn đề nghị nghỉ phép ngày 11/10/2021 của ông (bà) Lương Văn Hùng," in text
    assert "Sở Công Thương tỉnh Lạng Sơn cấp cho:" in text
    assert any(t.startswith("Được nghỉ phép trong thời gian 05 ngày, kể từ ngày 18/10/2021 đến hết ngày "
                            "22/10/2021 tại xã Tân Thành") for t in text)
    assert "Số ngày nghỉ phép nêu trên được tính vào thời gian nghỉ hằng năm năm 2021./." in text
    assert "TL. GIÁM ĐỐC" in text and "CHÁNH VĂN PHÒNG" in text


def test_bien_ban_has_no_date_line_two_signers_side_by_side_and_no_noi_nhan(rendered):
    d = docx.Document(str(rendered["bien-ban"]))
    header = d.tables[0]
    assert header.rows[1].cells[0].text.strip() == "Số: 03/BB-SCT"
    assert header.rows[1].cells[1].text.strip() == ""  # Mẫu 1.9: no place and date under the Tiêu ngữ
    text = lines(rendered["bien-ban"])
    for line in ("BIÊN BẢN", "Thời gian bắt đầu: 14 giờ 00 phút, ngày 08 tháng 9 năm 2021",
                 "Chủ trì (chủ tọa): Ông Nguyễn Văn An, Phó Giám đốc Sở, Trưởng Ban Tổ chức",
                 "Thư ký (người ghi biên bản): Bà Hoàng Thị Mai, Chuyên viên Phòng Quản lý thương mại",
                 "Cuộc họp kết thúc vào 16 giờ 30, ngày 08 tháng 9 năm 2021./."):
        assert line in text, line
    assert "Nơi nhận:" not in text
    signatures = d.tables[-1]
    (row,) = signatures.rows
    left, right = (c.text for c in row.cells)
    assert left.split()[:2] == ["THƯ", "KÝ"] and "Hoàng Thị Mai" in left  # the secretary at the left
    assert right.split()[:2] == ["CHỦ", "TỌA"] and "Nguyễn Văn An" in right  # the chair at the right


def test_a_new_type_without_its_lines_is_an_error(tmp_path):
    data = yaml.safe_load((EXAMPLES / "giay-gioi-thieu.yaml").read_text(encoding="utf-8"))
    del data["gioi_thieu"]
    source = write_records(tmp_path / "in", data)
    (result,) = api.generate([source], tmp_path / "out").documents
    assert result.status == "failed" and any("gioi_thieu" in p.message for p in result.problems)
    data = yaml.safe_load((EXAMPLES / "giay-nghi-phep.yaml").read_text(encoding="utf-8"))
    data["nghi_phep"]["den_ngay"] = "01/10/2021"
    source = write_records(tmp_path / "in2", data)
    (result,) = api.generate([source], tmp_path / "out2").documents
    assert any("den_ngay" in p.message for p in result.problems)


def test_cong_dien_says_who_sends_it_and_to_whom_before_its_text(rendered):
    text = lines(rendered["cong-dien"])
    assert "CÔNG ĐIỆN" in text and "Số: 01/CĐ-SCT" in text and "HỎA TỐC" in text
    sender = text.index("GIÁM ĐỐC SỞ CÔNG THƯƠNG điện:")
    assert text[sender + 1:sender + 4] == [
        "- Ban Tổ chức Triển lãm quốc tế lần thứ nhất về công nghiệp hỗ trợ;",
        "- Trung tâm Hội chợ Triển lãm thương mại tỉnh Lạng Sơn;", "- Các doanh nghiệp tham gia gian hàng."]
    assert text.index("CÔNG ĐIỆN") < sender < next(i for i, t in enumerate(text) if t.startswith("Để bảo đảm"))
    d = docx.Document(str(rendered["cong-dien"]))
    recipient = next(p for p in d.paragraphs if p.text.startswith("- Ban Tổ chức"))
    assert recipient.paragraph_format.left_indent.mm > 20  # the recipients stand at the right (Mẫu 1.6)


def test_nghi_quyet_resolves_where_a_decision_decides(rendered):
    text = lines(rendered["nghi-quyet"])
    assert "NGHỊ QUYẾT" in text and "QUYẾT NGHỊ:" in text and "QUYẾT ĐỊNH:" not in text
    assert "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG SỞ CÔNG THƯƠNG" in text  # the authority line
    assert text.index("QUYẾT NGHỊ:") < next(i for i, t in enumerate(text) if t.startswith("Điều 1."))
    assert "TM. HỘI ĐỒNG" in text and "- Như Điều 3;" in text


def test_a_quy_che_issued_with_its_decision_follows_it_on_pages_of_its_own(rendered):
    path = rendered["quyet-dinh"]
    d = docx.Document(str(path))
    assert len(d.sections) == 2 and d.sections[1].start_type is not None
    text = lines(path)
    decision_end = text.index("Hoàng Văn Bình")
    attached = text[decision_end:]
    for line in ("QUY CHẾ", "Làm việc của Ban Tổ chức Triển lãm quốc tế lần thứ nhất về công nghiệp hỗ trợ",
                 "(Ban hành kèm theo Quyết định số 10/QĐ-SCT ngày 01 tháng 3 năm 2021 của Sở Công Thương tỉnh "
                 "Lạng Sơn)", "Chương I", "QUY ĐỊNH CHUNG"):
        assert line in attached, line
    chapter_title = next(p for p in d.paragraphs if p.text == "QUY ĐỊNH CHUNG")
    assert chapter_title.alignment == 1 and all(r.bold for r in chapter_title.runs)  # centred, bold
    # its own heading block: the agency and the Quốc hiệu, no number and no date
    heading = d.tables[-1]
    assert "SỞ CÔNG THƯƠNG" in heading.cell(0, 0).text and "Độc lập - Tự do - Hạnh phúc" in heading.cell(0, 1).text
    assert "Số:" not in heading.cell(0, 0).text and "ngày" not in heading.cell(0, 1).text
    assert d.sections[1].different_first_page_header_footer
    # and only a decision takes one
    data = yaml.safe_load((EXAMPLES / "quyet-dinh-ban-hanh-quy-che.yaml").read_text(encoding="utf-8"))
    kept = data["van_ban_kem_theo"]
    notice = yaml.safe_load((EXAMPLES / "cong-dien.yaml").read_text(encoding="utf-8")) | {"van_ban_kem_theo": kept}
    assert "van_ban_kem_theo" in str(api.lint([write_records(path.parent.parent / "bad", notice)]).files[0].problems)


def test_the_new_types_from_a_workbook_typed_as_a_clerk_types_it(tmp_path):
    """The blank workbook filled in cell by cell: a giấy giới thiệu, a giấy nghỉ phép, a biên bản
    (its meeting in the event's columns, its secretary as the second signer), a công điện, a nghị
    quyết, and a joint plan of two agencies."""
    import openpyxl

    workbook = tmp_path / "so.xlsx"
    api.excel_template(workbook)
    book = openpyxl.load_workbook(workbook)
    docs, lists, body = book["VanBan"], book["DanhSach"], book["NoiDung"]
    col = {c.value: c.column_letter for c in docs[1]}
    agency = {"Cơ quan chủ quản": "UBND TỈNH LẠNG SƠN", "Cơ quan ban hành": "SỞ CÔNG THƯƠNG",
              "Viết tắt cơ quan": "SCT", "Tên gọi cơ quan": "Sở Công Thương tỉnh Lạng Sơn", "Địa danh": "Lạng Sơn",
              "Ngày": "10/09/2021", "Chức vụ người ký": "GIÁM ĐỐC", "Họ tên người ký": "Hoàng Văn Bình"}
    rows = {
        "GGT1": {"Loại văn bản": "Giấy giới thiệu", "Số": 15, "Người được giới thiệu": "Hoàng Thị Mai",
                 "Chức vụ người được giới thiệu": "Chuyên viên", "Được cử đến": "Sở Tài chính",
                 "Về việc": "Làm việc về kinh phí Triển lãm", "Giá trị đến ngày": "30/09/2021"},
        "GNP1": {"Loại văn bản": "Giấy nghỉ phép", "Số": 22, "Người nghỉ phép": "Lương Văn Hùng",
                 "Nghỉ từ ngày": "13/09/2021", "Nghỉ đến hết ngày": "14/09/2021", "Nơi nghỉ phép": "Cao Lộc",
                 "Tính vào thời gian": "nghỉ hằng năm năm 2021"},
        "BB1": {"Loại văn bản": "Biên bản", "Số": 4, "Trích yếu": "Họp Ban Tổ chức", "Bắt đầu": "10/09/2021 14:00",
                "Kết thúc": "10/09/2021 15:30", "Địa điểm": "Phòng họp Sở", "Chủ trì": "Ông Hoàng Văn Bình",
                "Thư ký": "Bà Hoàng Thị Mai", "Chức vụ người ký": "CHỦ TỌA", "Chức vụ người ký 2": "THƯ KÝ",
                "Họ tên người ký 2": "Hoàng Thị Mai"},
        "CD1": {"Loại văn bản": "Công điện", "Số": 2, "Độ khẩn": "KHẨN", "Trích yếu": "Về việc phòng, chống bão",
                "Thẩm quyền ban hành": "Giám đốc Sở Công Thương"},
        "NQ1": {"Loại văn bản": "Nghị quyết", "Số": 3, "Trích yếu": "Về việc khen thưởng",
                "Thẩm quyền ban hành": "Hội đồng Thi đua - Khen thưởng", "Quyền hạn ký": "TM.",
                "Thay mặt": "HỘI ĐỒNG", "Chức vụ người ký": "CHỦ TỊCH"},
        "QD1": {"Loại văn bản": "Quyết định", "Số": 11, "Trích yếu": "Ban hành Quy chế làm việc",
                "Thẩm quyền ban hành": "GIÁM ĐỐC SỞ CÔNG THƯƠNG", "Loại văn bản kèm theo": "Quy chế",
                "Trích yếu văn bản kèm theo": "Làm việc của Ban Tổ chức",
                "Nội dung văn bản kèm theo": "Chương I\nQuy định chung\nĐiều 1. Phạm vi\nQuy chế này quy định."},
        "KH1": {"Loại văn bản": "Kế hoạch", "Số": 5, "Trích yếu": "Phối hợp xúc tiến thương mại",
                "Cơ quan ban hành 2": "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "Viết tắt cơ quan 2": "SKHĐT",
                "Chức vụ người ký 2": "GIÁM ĐỐC", "Họ tên người ký 2": "Trần Văn Bình"},
    }
    for r, (key, fields) in enumerate(rows.items(), start=2):
        for header, value in {"Mã văn bản": key, **agency, **fields}.items():
            docs[f"{col[header]}{r}"] = value
    list_rows = [("BB1", "Thành phần", "Thành viên Ban Tổ chức"), ("CD1", "Kính gửi", "Các doanh nghiệp"),
                 ("CD1", "Kính gửi", "Ban Quản lý chợ"), ("NQ1", "Căn cứ", "Căn cứ Luật Thi đua, khen thưởng")]
    for r, values in enumerate(list_rows, start=2):
        for c, value in enumerate(values, start=1):
            lists.cell(r, c, value)
    for r, key in enumerate(("BB1", "CD1", "NQ1", "KH1", "QD1"), start=2):
        body.cell(r, 1, key)
        body.cell(r, 2, "Điều 1. Thực hiện." if key in ("NQ1", "QD1") else "Nội dung.")
    book.save(workbook)
    summary = api.generate([workbook], tmp_path / "out", keep_all=True)
    assert summary.ok and summary.written == 7, [str(p) for d in summary.documents for p in d.problems]
    out = {p.name.split("_")[0]: p for p in (tmp_path / "out").glob("*.docx")}
    assert "Được cử đến: Sở Tài chính" in lines(out["giay-gioi-thieu"])
    assert any("02 ngày, kể từ ngày 13/09/2021" in t for t in lines(out["giay-nghi-phep"]))
    minutes = lines(out["bien-ban"])
    assert "Thư ký (người ghi biên bản): Bà Hoàng Thị Mai" in minutes and \
        "Thành phần tham dự: Thành viên Ban Tổ chức" in minutes and "Nơi nhận:" not in minutes
    telegram = lines(out["cong-dien"])
    assert "GIÁM ĐỐC SỞ CÔNG THƯƠNG điện:" in telegram and "- Ban Quản lý chợ." in telegram
    assert "QUYẾT NGHỊ:" in lines(out["nghi-quyet"])
    joint = lines(out["ke-hoach"])
    assert "Số: 05/KH-SCT-SKHĐT" in joint and "Trần Văn Bình" in joint and "Hoàng Văn Bình" in joint
    attached = lines(out["quyet-dinh"])
    assert "QUY CHẾ" in attached and "QUY ĐỊNH CHUNG" in attached and any(
        t.startswith("(Ban hành kèm theo Quyết định số 11/QĐ-SCT") for t in attached)
    assert api.check(list(out.values())).errors == 0
