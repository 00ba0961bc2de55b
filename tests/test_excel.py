"""Records from workbooks: the blank workbook, filled with openpyxl, and each kind of error."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from docx_view import DocxView
from vanthu.batch import generate
from vanthu.cli import main
from vanthu.records import excel_layout as xl


def column(header: str) -> int:
    return [c.header for c in xl.DOCUMENT_COLUMNS].index(header) + 1


def fill(path: Path, rows: list[dict], body=(), lists=(), appendix=()) -> Path:
    book = openpyxl.load_workbook(path)
    sheet = book[xl.SHEET_DOCUMENTS]
    for r, values in enumerate(rows, start=2):
        for header, value in values.items():
            sheet.cell(row=r, column=column(header), value=value)
    for name, data in ((xl.SHEET_BODY, body), (xl.SHEET_LISTS, lists), (xl.SHEET_APPENDIX, appendix)):
        for row in data:
            book[name].append(list(row))
    out = path.with_name("filled.xlsx")
    book.save(out)
    return out


NOTICE = {
    "Mã văn bản": "TB01", "Loại văn bản": "Thông báo", "Cơ quan chủ quản": "UBND TỈNH LẠNG SƠN",
    "Cơ quan ban hành": "SỞ CÔNG THƯƠNG", "Viết tắt cơ quan": "SCT", "Số": 5, "Địa danh": "Lạng Sơn",
    "Ngày": dt.datetime(2021, 9, 10), "Trích yếu": "Về việc tổ chức Triển lãm", "Quyền hạn ký": "KT.",
    "Thay mặt": "GIÁM ĐỐC", "Chức vụ người ký": "PHÓ GIÁM ĐỐC", "Họ tên người ký": "Nguyễn Văn An",
    "Lưu tại đơn vị": "VP, QLCN", "Số bản lưu": 2,
}


def run(tmp_path: Path, workbook: Path):
    return list(generate([workbook], tmp_path / "out"))


def test_blank_workbook_has_the_documented_sheets_and_drop_downs(blank):
    book = openpyxl.load_workbook(blank)
    assert book.sheetnames[:5] == [xl.SHEET_DOCUMENTS, xl.SHEET_BODY, xl.SHEET_LISTS, xl.SHEET_APPENDIX,
                                   xl.SHEET_RECIPIENTS]
    assert book[xl.SHEET_CHOICES].sheet_state == "hidden"
    headers = [c.value for c in book[xl.SHEET_DOCUMENTS][1]]
    assert headers == [c.header for c in xl.DOCUMENT_COLUMNS]
    validations = book[xl.SHEET_DOCUMENTS].data_validations.dataValidation
    letters = {str(v.sqref).split(":")[0].rstrip("0123456789") for v in validations}
    for header in ("Loại văn bản", "Độ khẩn", "Độ mật", "Quyền hạn ký"):
        assert openpyxl.utils.get_column_letter(column(header)) in letters
    # date columns hold text, so a spreadsheet's regional settings cannot read them month first
    sheet = book[xl.SHEET_DOCUMENTS]
    for header in ("Ngày", "Bắt đầu", "Kết thúc"):
        assert sheet.column_dimensions[openpyxl.utils.get_column_letter(column(header))].number_format == "@"
    assert sheet.column_dimensions[openpyxl.utils.get_column_letter(column("Số"))].number_format == "General"


def test_filled_workbook_generates(tmp_path, blank):
    workbook = fill(blank, [NOTICE, {**NOTICE, "Mã văn bản": "KH01", "Loại văn bản": "Kế hoạch", "Số": "12",
                                     "Ngày": "05/02/2021", "Trích yếu": "  Tuyên truyền biển, đảo  "}],
                    body=[("TB01", "1. Mục đích"), ("TB01", "Giới thiệu năng lực sản xuất."),
                          ("KH01", "Chi tiết tại Phụ lục I kèm theo.")],
                    lists=[("TB01", "Nơi nhận", "UBND tỉnh (b/c)"), ("KH01", "Nơi nhận", "Các sở, ngành")],
                    appendix=[("KH01", 1, "Nhiệm vụ", "Có", "Chủ trì", "Có", "STT", "Nội dung", "Chủ trì"),
                              ("KH01", 1, None, None, None, None, 1, "Tuyên truyền", "Văn phòng"),
                              ("KH01", 1, None, None, None, None, 2, "Đối thoại", "Văn phòng")])
    results = run(tmp_path, workbook)
    assert [r.status for r in results] == ["written", "written"], [str(p) for r in results for p in r.problems]
    notice = DocxView(results[0].output)
    notice.find("Số: 05/TB-SCT")
    notice.find("Lạng Sơn, ngày 10 tháng 9 năm 2021")
    notice.find("1. Mục đích")
    notice.find("- Lưu: VT, VP, QLCN(02).")
    plan = DocxView(results[1].output)
    plan.find("Số: 12/KH-SCT")
    plan.find("Lạng Sơn, ngày 05 tháng 02 năm 2021")
    plan.find("Tuyên truyền biển, đảo")
    plan.find("NHIỆM VỤ")
    assert plan.sections()[-1].find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pgSz") \
        .get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}orient") == "landscape"


@pytest.mark.parametrize(("header", "value", "expected"), [
    ("Ngày", "31/02/2021", "VanBan!J2 (Ngày): lỗi: '31/02/2021' không phải ngày có thật: "
                            "tháng 2 năm 2021 không có ngày 31"),
    ("Số", "năm", "VanBan!G2 (Số): lỗi: 'năm' không phải số văn bản"),
    ("Loại văn bản", "Thư mời", "VanBan!B2 (Loại văn bản): lỗi: 'Thư mời' không phải tên loại"),
    ("Độ khẩn", "GẤP", "VanBan!M2 (Độ khẩn): lỗi: 'GẤP' không được phép ở đây"),
    ("Quyền hạn ký", "XX", "VanBan!R2 (Quyền hạn ký): lỗi: 'XX' không phải thẩm quyền ký"),
    ("Địa danh", None, "VanBan!I2 (Địa danh): lỗi: thiếu trường bắt buộc"),
    ("Viết tắt cơ quan", "S C T", "VanBan!E2 (Viết tắt cơ quan): lỗi: 'S C T' không hợp lệ"),
])
def test_each_excel_error_names_sheet_cell_header_value(tmp_path, blank, header, value, expected):
    row = {**NOTICE, header: value}
    results = run(tmp_path, fill(blank, [row]))
    messages = [str(p) for r in results for p in r.problems if p.severity == "error"]
    assert any(expected in m for m in messages), messages


def test_linked_rows_with_an_unknown_key_are_reported_at_their_cell(tmp_path, blank):
    results = run(tmp_path, fill(blank, [NOTICE], body=[("TB99", "Lạc")]))
    messages = [str(p) for r in results for p in r.problems]
    assert any("NoiDung!A2 (Mã văn bản): lỗi: 'TB99' không phải mã văn bản nào trong trang VanBan" in m
               for m in messages), messages
    assert [r.status for r in results].count("written") == 1


def test_merged_cells_formulas_blank_rows_and_text_numbers(tmp_path, blank):
    workbook = fill(blank, [NOTICE, {}, {**NOTICE, "Mã văn bản": "TB02", "Số": "7"}])
    book = openpyxl.load_workbook(workbook)
    sheet = book[xl.SHEET_DOCUMENTS]
    # "Địa danh" merged over rows 2-4 (row 3 is blank and skipped)
    sheet.merge_cells(start_row=2, start_column=column("Địa danh"), end_row=4, end_column=column("Địa danh"))
    book.save(workbook)
    results = run(tmp_path, workbook)
    assert [r.status for r in results] == ["written", "written"], [str(p) for r in results for p in r.problems]
    DocxView(results[1].output).find("Số: 07/TB-SCT")
    DocxView(results[1].output).find("Lạng Sơn, ngày 10 tháng 9 năm 2021")
    # a formula the workbook never computed: a clear error, not a silent blank
    sheet = book[xl.SHEET_DOCUMENTS]
    sheet.unmerge_cells(start_row=2, start_column=column("Địa danh"), end_row=4, end_column=column("Địa danh"))
    sheet.cell(row=2, column=column("Số"), value="=2+3")
    book.save(workbook)
    messages = [str(p) for r in run(tmp_path / "again", workbook) for p in r.problems]
    assert any("VanBan!G2 (Số): lỗi: công thức =2+3 chưa có giá trị tính sẵn" in m for m in messages), messages


def test_dates_are_never_read_month_first(tmp_path, blank):
    results = run(tmp_path, fill(blank, [{**NOTICE, "Ngày": "02/03/2021"}]))
    DocxView(results[0].output).find("Lạng Sơn, ngày 02 tháng 3 năm 2021")


def test_a_big_workbook_is_spread_over_processes_with_the_same_outcome(tmp_path, blank, capsys):
    rows = [{**NOTICE, "Mã văn bản": f"TB{i:03d}", "Số": i + 1, "Trích yếu": f"Về việc số {i + 1}"}
            for i in range(40)]
    rows[7]["Ngày"] = "31/02/2021"  # one bad row
    workbook = fill(blank, rows, body=[("TB999", "Lạc")])  # and one problem of the file itself
    reports = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        assert main(["generate", str(workbook), "-o", str(out), "--jobs", jobs]) == 1
        report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
        reports[jobs] = [(r["source"], r["status"], r["output"] and Path(r["output"]).name,
                          [p["message"] for p in r["problems"]]) for r in report["records"]]
        capsys.readouterr()
    assert reports["1"] == reports["2"]
    statuses = [status for _source, status, _name, _messages in reports["2"]]
    assert statuses.count("written") == 39 and statuses.count("failed") == 2
    file_problems = [r for r in reports["2"] if "TB999" in " ".join(r[3])]
    assert len(file_problems) == 1 and file_problems[0][0].endswith("NoiDung!A2 (Mã văn bản)")
    written = [name for _source, status, name, _messages in reports["2"] if status == "written"]
    assert written == sorted(written, key=lambda n: int(n.split("_")[1]))  # in the workbook's order


def test_excel_template_refuses_a_folder_or_another_suffix(tmp_path, capsys):
    for target in (tmp_path, tmp_path / "mau.csv"):
        assert main(["excel-template", "-o", str(target)]) == 2
        assert "-o cần tên một tệp .xlsx" in capsys.readouterr().err
