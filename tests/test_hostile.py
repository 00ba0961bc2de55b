"""Hostile and faulty inputs: each ends with a clear message naming the file, the line or cell
and the field, a non-zero exit, the other records still done, and nothing wrong written."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml

from conftest import record, write_records
from test_excel import NOTICE, column, fill
from vanthu.batch import generate
from vanthu.cli import main
from vanthu.docview import DocumentView


@pytest.fixture
def blank(tmp_path) -> Path:
    """The blank workbook `vanthu excel-template` writes, as a clerk starts from it."""
    from vanthu.records.excel_template import write_blank_workbook

    path = tmp_path / "mau.xlsx"
    write_blank_workbook(path)
    return path


def written(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.docx"))


def texts(path: Path) -> str:
    return "\n".join(p.text for p in DocumentView(path).paragraphs)


# ---- a record with an error is never written (items 1–3) ----------------------------------

def _workbook_with(blank: Path, **cells) -> Path:
    second = {**NOTICE, "Mã văn bản": "TB02", "Số": 6}
    first = {**NOTICE, **cells}
    return fill(blank, [first, second])


def test_a_formula_without_a_saved_value_fails_its_record_only(tmp_path, blank, capsys):
    workbook = _workbook_with(blank, **{"Trích yếu": "=CONCATENATE(\"Về \",\"việc\")"})
    assert main(["generate", str(workbook), "-o", str(tmp_path / "out")]) == 1
    out, err = capsys.readouterr()
    cell = f"VanBan!{openpyxl.utils.get_column_letter(column('Trích yếu'))}2"
    assert f"{cell} (Trích yếu): lỗi: " in err and "=CONCATENATE" in err
    assert "1 văn bản đã tạo, 0 không đổi, 1 không tạo được" in out  # records, not cells
    (document,) = written(tmp_path / "out")
    assert "_06_" in document.name


@pytest.mark.parametrize("error", ["#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!"])
def test_an_excel_error_value_is_an_error_naming_the_cell(tmp_path, blank, error):
    results = list(generate([_workbook_with(blank, **{"Địa danh": error})], tmp_path / "out"))
    failed = [r for r in results if r.status == "failed"]
    assert len(failed) == 1 and [r.status for r in results].count("written") == 1
    (problem,) = [p for p in failed[0].problems if error in p.message]
    assert problem.origin.cell == f"VanBan!{openpyxl.utils.get_column_letter(column('Địa danh'))}2"
    assert not any(error in texts(p) for p in written(tmp_path / "out"))


def test_excels_escapes_of_control_characters_are_decoded_and_repaired(tmp_path, blank):
    workbook = fill(blank, [{**NOTICE, "Trích yếu": "Về việc_x000B_tổ chức_x0009_triển lãm _x005F_x000B_"}])
    (result,) = generate([workbook], tmp_path / "out")
    assert result.ok
    body = texts(result.output)
    assert "Về việc tổ chức\ttriển lãm _x000B_" in body and "_x000B_tổ" not in body
    cell = f"VanBan!{openpyxl.utils.get_column_letter(column('Trích yếu'))}2"
    assert any("ký tự điều khiển" in p.message and p.origin.cell == cell for p in result.problems)


# ---- text as people type it (items 4–6) ----------------------------------------------------

def test_control_characters_become_spaces_with_a_warning(tmp_path):
    source = write_records(tmp_path / "in", record(noi_dung="Sở tự\x0cđiều chỉnh\x07 lịch.\r\nDòng hai."))
    (result,) = generate([source], tmp_path / "out")
    assert result.ok
    body = texts(result.output)
    assert "Sở tự điều chỉnh  lịch." in body and "Dòng hai." in body and "tựđiều" not in body
    (warning,) = [p for p in result.problems if "ký tự điều khiển" in p.message]
    assert warning.field == "noi_dung" and warning.severity == "warning"


def test_bidirectional_controls_are_removed_with_a_warning(tmp_path):
    source = write_records(tmp_path / "in", record(trich_yeu="Về việc \u202etổ chức\u202c triển lãm"))
    (result,) = generate([source], tmp_path / "out")
    assert result.ok and "\u202e" not in texts(result.output) and "Về việc tổ chức triển lãm" in texts(result.output)
    assert any(p.field == "trich_yeu" and "hướng viết" in p.message for p in result.problems)
    (strict,) = generate([source], tmp_path / "strict", strict=True)
    assert strict.status == "failed"


def test_characters_the_fonts_cannot_show_are_named_and_strict_fails_them(tmp_path):
    source = write_records(tmp_path / "in", record(noi_dung="Đối tác 上海 và 서울 gửi lời chào 😀."))
    (result,) = generate([source], tmp_path / "out")
    assert result.ok
    (warning,) = [p for p in result.problems if "Times New Roman" in p.message]
    assert warning.field == "noi_dung" and "上 (U+4E0A)" in warning.message and "😀 (U+1F600)" in warning.message
    (strict,) = generate([source], tmp_path / "strict", strict=True, force=True)
    assert strict.status == "failed"
    vietnamese = write_records(tmp_path / "vi", record(noi_dung="Hoà Bình, Thừa Thiên Huế – “trích dẫn” ½ ngày № 5"))
    (clean,) = generate([vietnamese], tmp_path / "out2")
    assert not [p for p in clean.problems if "Times New Roman" in p.message]


# ---- authority, YAML, encodings, types (items 7–10) ----------------------------------------

def test_an_authority_form_without_the_signers_own_title_is_an_error(tmp_path):
    signer = {"quyen_han": "KT.", "thay_mat": "GIÁM ĐỐC", "ho_ten": "Nguyễn Văn An"}
    source = write_records(tmp_path / "in", record(nguoi_ky=signer), record(so=6))
    first, second = generate([source], tmp_path / "out")
    assert first.status == "failed" and second.ok
    assert any(p.field == "nguoi_ky[0].chuc_vu" and "KT." in p.message for p in first.problems), \
        [str(p) for p in first.problems]


@pytest.mark.parametrize(("typed", "form"), [("KT", "KT."), ("kt.", "KT."), ("TM", "TM."), ("tl", "TL.")])
def test_authority_forms_typed_loosely_are_repaired_with_a_warning(tmp_path, typed, form):
    signer = {"quyen_han": typed, "thay_mat": "GIÁM ĐỐC", "chuc_vu": "PHÓ GIÁM ĐỐC", "ho_ten": "Nguyễn Văn An"}
    (result,) = generate([write_records(tmp_path / "in", record(nguoi_ky=signer))], tmp_path / "out")
    assert result.ok and f"{form} GIÁM ĐỐC" in texts(result.output)
    (warning,) = [p for p in result.problems if p.field == "nguoi_ky.quyen_han"]
    assert typed in warning.message and form in warning.message and warning.severity == "warning"


def test_a_yaml_python_tag_is_refused_at_its_line_and_lint_goes_on(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-evil.yaml").write_text("loai: TB\nco_quan: !!python/object/apply:os.system ['echo hi']\n",
                                        encoding="utf-8")
    write_records(folder, record(), name="b-good.yaml")
    assert main(["generate", str(folder), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "a-evil.yaml:2:10" in err and "!!python/object/apply:os.system" in err and "không lường trước" not in err
    assert len(written(tmp_path / "out")) == 1
    assert main(["lint", str(folder)]) == 1
    captured = capsys.readouterr()
    assert "a-evil.yaml:2:10" in captured.err and "không lường trước" not in captured.err + captured.out


@pytest.mark.parametrize(("encoding", "named"), [("utf-16", "UTF-16"), ("cp1258", "Windows-1258")])
def test_a_file_in_another_encoding_is_named_with_how_to_save_it_as_utf8(tmp_path, encoding, named, capsys):
    text = yaml.safe_dump(record(trich_yeu="Về việc tổ chức"), allow_unicode=True)
    source = tmp_path / "in.yaml"
    source.write_bytes(text.encode(encoding, errors="ignore"))
    assert main(["generate", str(source), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"bảng mã {named}" in err and "UTF-8" in err and "Save As" in err


@pytest.mark.parametrize(("typed", "suggested"), [("TBB", "Thông báo (TB)"), ("Công văn hành chính", "Công văn"),
                                                   ("Quyết dinh ban hành", "Quyết định (QĐ)")])
def test_an_unknown_type_suggests_the_closest(tmp_path, typed, suggested):
    (result,) = generate([write_records(tmp_path / "in", record(loai=typed))], tmp_path / "out")
    (problem,) = [p for p in result.problems if p.field == "loai"]
    assert suggested in problem.message


def test_a_null_type_is_missing_not_none(tmp_path):
    source = tmp_path / "in.yaml"
    source.write_text(yaml.safe_dump(record(), allow_unicode=True).replace("loai: TB", "loai: null"), "utf-8")
    (result,) = generate([source], tmp_path / "out")
    (problem,) = [p for p in result.problems if p.field == "loai"]
    assert "thiếu" in problem.message and "None" not in problem.message


# ---- messages a clerk can act on (items 11–12) ---------------------------------------------

def test_every_error_of_a_workbook_row_at_once_in_its_column(tmp_path, blank, capsys):
    row = {**NOTICE, "Loại văn bản": "Quyết định", "Ngày": "30/02/2025"}
    workbook = fill(blank, [row])
    assert main(["generate", str(workbook), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    date_cell = openpyxl.utils.get_column_letter(column("Ngày"))
    authority_cell = openpyxl.utils.get_column_letter(column("Thẩm quyền ban hành"))
    assert f"VanBan!{date_cell}2 (Ngày): lỗi: '30/02/2025' không phải ngày có thật: tháng 2 năm 2025 không có ngày 30" \
        in err
    assert f"VanBan!{authority_cell}2 (Thẩm quyền ban hành): lỗi: " in err and "tham_quyen" not in err
    assert main(["lint", str(workbook)]) == 1
    lint_err = capsys.readouterr().err
    assert lint_err.count("30/02/2025") == 1, lint_err


def test_an_impossible_date_in_the_body_is_warned_of_by_generate(tmp_path):
    source = write_records(tmp_path / "in", record(noi_dung="Hội nghị họp ngày 30 tháng 2 năm 2021."))
    (result,) = generate([source], tmp_path / "out")
    assert result.ok
    assert any(p.field == "noi_dung" and "ngày 30 tháng 2 năm 2021" in p.message and p.severity == "warning"
               for p in result.problems)
    (strict,) = generate([source], tmp_path / "strict", strict=True)
    assert strict.status == "failed"
