"""--template: the user's own docxtpl template, its variables, the sandbox."""

from __future__ import annotations

from pathlib import Path

import docx

from conftest import record, write_records
from docx_view import DocxView
from vanthu.batch import generate
from vanthu.cli import main


def make_template(path: Path, *lines: str) -> Path:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(path)
    return path


def test_renders_records_into_a_users_template(tmp_path):
    template = make_template(tmp_path / "mine.docx", "Số {{ so_ky_hieu }}", "{{ trich_yeu }}",
                             "{%p for dong in noi_nhan %}", "{{ dong }}", "{%p endfor %}",
                             "Ghi chú: {{ du_lieu.ghi_chu }}")
    data = record(trich_yeu="Kế hoạch & Tài chính <2021>", du_lieu={"ghi_chu": 'Họp "gấp"'})
    source = write_records(tmp_path / "in", data)
    (result,) = list(generate([source], tmp_path / "out", template))
    assert result.ok, [str(p) for p in result.problems]
    view = DocxView(result.output)
    view.find("Số 05/TB-SCT")
    view.find("Kế hoạch & Tài chính <2021>")
    view.find("- UBND tỉnh (b/c);")
    view.find("- Lưu: VT, VP.")
    view.find('Ghi chú: Họp "gấp"')


def test_names_every_variable_the_record_lacks_before_rendering(tmp_path):
    template = make_template(tmp_path / "mine.docx", "{{ trich_yeu }} {{ so_hop_dong }}", "{{ du_lieu.ma_so }}",
                             "{{ ben_a.ten }}")
    source = write_records(tmp_path / "in", record())
    (result,) = list(generate([source], tmp_path / "out", template))
    assert not result.ok
    assert sorted(p.field for p in result.problems) == ["ben_a", "du_lieu.ma_so", "so_hop_dong"]
    assert all("mine.docx" in p.message and "không có" in p.message for p in result.problems)
    assert not list((tmp_path / "out").glob("*.docx"))


def test_user_templates_run_in_a_sandbox(tmp_path):
    template = make_template(tmp_path / "evil.docx", "{{ trich_yeu.__class__.__mro__[1].__subclasses__() }}")
    source = write_records(tmp_path / "in", record())
    (result,) = list(generate([source], tmp_path / "out", template))
    assert not result.ok
    assert any("evil.docx" in p.message for p in result.problems)
    assert not list((tmp_path / "out").glob("*.docx"))


def test_template_vars_lists_the_variables(tmp_path, capsys):
    template = make_template(tmp_path / "mine.docx", "{{ trich_yeu }}", "{{ su_kien.ten }} {{ du_lieu.ma }}",
                             "{%p for x in kinh_gui %}", "{{ x }}", "{%p endfor %}")
    assert main(["template-vars", str(template)]) == 0
    assert capsys.readouterr().out.split() == ["du_lieu", "du_lieu.ma", "kinh_gui", "su_kien", "su_kien.ten",
                                               "trich_yeu"]


def test_builtin_template_variables_are_all_provided(tmp_path, capsys):
    root = Path(__file__).resolve().parent.parent
    assert main(["template-vars", str(root / "templates" / "quyet_dinh.docx")]) == 0
    names = set(capsys.readouterr().out.split())
    assert {"so_line", "trich_yeu", "can_cu", "tham_quyen", "noi_dung_xml", "chu_ky_xml"} <= names


def test_a_broken_template_is_a_configuration_error(tmp_path, capsys):
    not_docx = tmp_path / "x.docx"
    not_docx.write_text("hello")
    source = write_records(tmp_path / "in", record())
    assert main(["generate", str(source), "-o", str(tmp_path / "out"), "--template", str(not_docx)]) == 2
    err = capsys.readouterr().err
    assert "không phải tệp .docx" in err and "Traceback" not in err
    bad_tags = make_template(tmp_path / "tags.docx", "{{ trich_yeu ")
    assert main(["generate", str(source), "-o", str(tmp_path / "out"), "--template", str(bad_tags)]) == 2
    assert "lỗi thẻ" in capsys.readouterr().err
    assert main(["template-vars", str(tmp_path / "missing.docx")]) == 2


def test_template_check_says_where_each_variable_comes_from_and_what_is_broken(tmp_path, capsys):
    template = make_template(tmp_path / "mine.docx", "{{ trich_yeu }}", "Dự án: {{ du_lieu.ten_du_an }}",
                             "Mã: {{ ma_du_an }}", "Người ký: {{ nguoi", "ky }}",
                             "{{ so | default(“chưa có”) }}", "{{ noi_dung_xml }}")
    assert main(["template", "check", str(template)]) == 1
    captured = capsys.readouterr()
    out, err = captured.out, captured.err
    assert "trich_yeu: vanthu cấp từ mọi bản ghi" in out
    assert "du_lieu.ten_du_an:" in out and "du_lieu.ten_du_an trên trang VanBan" in out
    assert "✗ ma_du_an:" in err and "{{ du_lieu.ma_du_an }}" in err
    assert "đoạn 4" in err and "Người ký: {{ nguoi" in err  # the tag split over two paragraphs
    assert "đoạn 6" in err and "ngoặc kép cong" in err
    assert "VT Nội dung" in err  # it writes vanthu's XML but has none of vanthu's styles
    good = make_template(tmp_path / "good.docx", "{{ trich_yeu }}", "{{ du_lieu.ten_du_an }}")
    assert main(["template", "check", str(good)]) == 0
    assert main(["template", "check", str(tmp_path / "none.docx")]) == 2


def test_a_workbook_gives_a_user_templates_own_variables_in_du_lieu_columns(tmp_path):
    from openpyxl import load_workbook

    from vanthu.records.excel_template import write_blank_workbook

    template = make_template(tmp_path / "mine.docx", "{{ trich_yeu }}", "Dự án: {{ du_lieu.ten_du_an }}")
    workbook = tmp_path / "vb.xlsx"
    write_blank_workbook(workbook)
    book = load_workbook(workbook)
    sheet = book["VanBan"]
    headers = {cell.value: cell.column for cell in sheet[1] if cell.value}
    column = sheet.max_column + 1
    sheet.cell(1, column, "du_lieu.ten_du_an")
    values = {"Mã văn bản": "VB01", "Loại văn bản": "Thông báo", "Cơ quan ban hành": "SỞ CÔNG THƯƠNG",
              "Viết tắt cơ quan": "SCT", "Số": 5, "Địa danh": "Lạng Sơn", "Ngày": "10/09/2021",
              "Trích yếu": "Về việc thử", "Chức vụ người ký": "GIÁM ĐỐC", "Họ tên người ký": "Hoàng Văn Bình"}
    for header, value in values.items():
        sheet.cell(2, headers[header], value)
    sheet.cell(2, column, "Cải tạo chợ Đông Kinh")
    book.save(workbook)
    (result,) = list(generate([workbook], tmp_path / "out", template))
    assert result.ok, [str(p) for p in result.problems]
    DocxView(result.output).find("Dự án: Cải tạo chợ Đông Kinh")
