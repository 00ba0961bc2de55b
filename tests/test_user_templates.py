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
