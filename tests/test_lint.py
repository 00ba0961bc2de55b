"""`vanthu lint` and the hygiene that runs inside `vanthu generate`."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import openpyxl
import pytest

from conftest import record, write_records
from docx_view import DocxView
from vanthu.batch import generate
from vanthu.cli import main
from vanthu.records.hygiene import repair_text, text_checks
from vanthu.records.legacy import detect, to_unicode


@pytest.mark.parametrize(("legacy_text", "encoding", "unicode_text"), [
    ("Th«ng b¸o vÒ viÖc tæ chøc", "tcvn3", "Thông báo về việc tổ chức"),
    ("ng\xadêi d©n ®­îc h­ëng", "tcvn3", "người dân được hưởng"),
    ("Xin chaøo caùc baïn", "vni", "Xin chào các bạn"),
    ("Ñaûng Coäng saûn Vieät Nam", "vni", "Đảng Cộng sản Việt Nam"),
    ("Thoâng baùo veà vieäc toå chöùc trieån laõm", "vni", "Thông báo về việc tổ chức triển lãm"),
])
def test_legacy_encodings_are_detected_and_converted(legacy_text, encoding, unicode_text):
    assert detect(legacy_text) == encoding
    assert to_unicode(legacy_text, encoding) == unicode_text
    assert repair_text(legacy_text)[0] == unicode_text


@pytest.mark.parametrize("text", ["Thông báo về việc tổ chức", "Hội nghị tại Hà Nội", "Café Müller", "ông bà",
                                  "Số 05/TB-SCT", "Điều 1. Quyết định này"])
def test_unicode_text_is_left_alone(text):
    assert detect(text) is None
    assert repair_text(text) == (text, [])


@pytest.mark.parametrize(("before", "after"), [
    ("Nghị quyết số 34- NQ/TU ngày 22/12/2011", "Nghị quyết số 34-NQ/TU ngày 22/12/2011"),
    ("theo Công văn 5/TB SCT", "theo Công văn 05/TB-SCT"),
    ("Kế hoạch 12 / KH - UBND", "Kế hoạch 12/KH-UBND"),
    ("chƣơng trình", "chương trình"),
    ("tổ\u00adchức\u200b", "tổchức"),
    (unicodedata.normalize("NFD", "Việt Nam"), "Việt Nam"),
    ("Độc lập-Tự do-Hạnh phúc", "Độc lập - Tự do - Hạnh phúc"),
    ("  ĐỘC LẬP - TỰ DO - HẠNH PHÚC", "  Độc lập - Tự do - Hạnh phúc"),
])
def test_repairs(before, after):
    fixed, repairs = repair_text(before)
    assert fixed == after and repairs


def test_checks_without_repair():
    findings = text_checks("ngày 31/02/2021 và ngày 30 tháng 2 năm 2021; Ủy Ban Nhân Dân tỉnh; vì nhân dân")
    severities = [(s, v.get("text")) for s, _m, v in findings]
    assert ("error", "31/02/2021") in severities and ("error", "ngày 30 tháng 2 năm 2021") in severities
    assert ("warning", "Ủy Ban Nhân Dân") in severities and ("warning", "nhân dân") in severities
    assert text_checks("Ủy ban nhân dân tỉnh Lạng Sơn; Hội đồng nhân dân huyện") == []


LEGACY_RECORD = """\
# chép từ tệp .VnTime và từ PDF
loai: TB
co_quan: {ten: SỞ CÔNG THƯƠNG, viet_tat: SCT}
so: 5
dia_danh: Lạng Sơn
ngay: 10/09/2021
trich_yeu: Th«ng b¸o vÒ viÖc tæ chøc triÓn l·m
noi_dung: |
  Tiếp tục tuyên truyền Nghị quyết số 34- NQ/TU ngày 22/12/2011.
  Hưởng ứng các chƣơng trình; xem Công văn 5/TB SCT.
nguoi_ky: {chuc_vu: GIÁM ĐỐC, ho_ten: Nguyễn Văn An}
"""


def test_lint_reports_each_repair_at_its_origin_and_writes_a_repaired_copy(tmp_path, capsys):
    source = tmp_path / "cu.yaml"
    source.write_text(LEGACY_RECORD, encoding="utf-8")
    assert main(["lint", str(source)]) == 0
    out = capsys.readouterr().out
    assert f"{source}:7:12: cảnh báo [trich_yeu]: đã chuyển văn bản mã TCVN3 (ABC) sang Unicode" in out
    assert f"{source}:8:11: cảnh báo [noi_dung]: đã thay 'ƣ'" in out
    assert main(["lint", "--fix", str(source)]) == 0
    fixed = tmp_path / "cu.fixed.yaml"
    assert source.read_text(encoding="utf-8") == LEGACY_RECORD, "the original is never changed"
    text = fixed.read_text(encoding="utf-8")
    assert text.startswith("# chép từ tệp .VnTime và từ PDF\n")
    assert "trich_yeu: Thông báo về việc tổ chức triển lãm" in text
    assert "34-NQ/TU" in text and "chương trình" in text and "05/TB-SCT" in text
    capsys.readouterr()
    assert main(["lint", str(fixed)]) == 0
    assert capsys.readouterr().out == ""


def test_lint_diff_writes_nothing(tmp_path, capsys):
    source = tmp_path / "cu.yaml"
    source.write_text(LEGACY_RECORD, encoding="utf-8")
    assert main(["lint", "--diff", str(source)]) == 0
    out = capsys.readouterr().out
    assert "-trich_yeu: Th«ng b¸o" in out and "+trich_yeu: Thông báo về việc tổ chức triển lãm" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cu.yaml"]


def test_lint_fails_on_errors_and_impossible_dates(tmp_path, capsys):
    source = write_records(tmp_path, record(noi_dung="Họp ngày 31/02/2021.", ngay="31/13/2021"))
    assert main(["lint", str(source)]) == 1
    err = capsys.readouterr().err
    assert "[ngay]" in err and "'31/02/2021' không phải ngày" in err


def test_lint_repairs_workbooks_into_a_copy(tmp_path):
    assert main(["excel-template", "-o", str(tmp_path / "s.xlsx")]) == 0
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    book["VanBan"].append(["TB1", "Thông báo", None, "SỞ CÔNG THƯƠNG", "SCT", None, 5, None, "Lạng Sơn",
                           "10/09/2021", None, "Th«ng b¸o vÒ viÖc häp"])
    book.save(tmp_path / "s.xlsx")
    assert main(["lint", "--fix", str(tmp_path / "s.xlsx")]) == 1  # no signer: a validation error
    repaired = openpyxl.load_workbook(tmp_path / "s.fixed.xlsx")
    assert repaired["VanBan"]["L2"].value == "Thông báo về việc họp"
    assert openpyxl.load_workbook(tmp_path / "s.xlsx")["VanBan"]["L2"].value == "Th«ng b¸o vÒ viÖc häp"


def test_generate_repairs_with_warnings_or_stops_with_strict(tmp_path):
    data = record(trich_yeu="Th«ng b¸o vÒ viÖc tæ chøc triÓn l·m",
                  noi_dung="Thực hiện Nghị quyết số 34- NQ/TU của Tỉnh ủy.")
    source = write_records(tmp_path / "in", data)
    (result,) = list(generate([source], tmp_path / "out"))
    assert result.ok
    assert {p.field for p in result.problems if p.severity == "warning"} == {"trich_yeu", "noi_dung"}
    view = DocxView(result.output)
    view.find("Thông báo về việc tổ chức triển lãm")
    view.find("Thực hiện Nghị quyết số 34-NQ/TU của Tỉnh ủy./.")
    (strict,) = list(generate([source], tmp_path / "strict", strict=True))
    assert not strict.ok and not list((tmp_path / "strict").glob("*.docx"))
    assert main(["generate", str(source), "-o", str(tmp_path / "cli"), "--strict"]) == 1


def test_examples_are_clean(capsys):
    root = Path(__file__).resolve().parent.parent
    assert main(["lint", str(root / "records")]) == 0
    assert capsys.readouterr().out == ""


def test_lint_of_an_unreadable_workbook_is_an_error_not_a_crash(tmp_path, capsys):
    (tmp_path / "hong.xlsx").write_text("không phải sổ tính", encoding="utf-8")
    assert main(["lint", str(tmp_path / "hong.xlsx")]) == 1
    assert "không đọc được tệp Excel" in capsys.readouterr().err
