"""Bad records: every error at once, each naming file, line, column and field; no output file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import record, write_records
from vanthu.batch import generate
from vanthu.i18n import set_language


def problems_of(tmp_path: Path, text: str) -> list[str]:
    source = tmp_path / "in" / "bad.yaml"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, encoding="utf-8")
    results = list(generate([source], tmp_path / "out"))
    assert len(results) == 1 and not results[0].ok
    assert not [p for p in (tmp_path / "out").iterdir() if p.suffix not in (".json", ".sqlite")], \
        "no output, not even a partial file"
    return [str(p) for p in results[0].problems if p.severity == "error"]


GOOD = """\
loai: TB
co_quan: {ten: SỞ CÔNG THƯƠNG, viet_tat: SCT}
so: 5
dia_danh: Lạng Sơn
ngay: 10/09/2021
trich_yeu: Về việc tổ chức triển lãm
nguoi_ky: {chuc_vu: GIÁM ĐỐC, ho_ten: Nguyễn Văn An}
"""


@pytest.mark.parametrize(("line", "bad", "expected"), [
    (5, "ngay: 31/02/2021", ":5:7: lỗi [ngay]: '31/02/2021' không phải ngày có thật: tháng 2 năm 2021 "
                              "không có ngày 31"),
    (5, "ngay: 2021-02-31", ":5:7: lỗi [ngay]: '2021-02-31' không phải ngày có thật: tháng 2 năm 2021 "
                              "không có ngày 31"),
    (5, "ngay: 12/13/2021", ":5:7: lỗi [ngay]: '12/13/2021' không phải ngày có thật: không có tháng 13"),
    (5, "ngay: 2021/02/31", ":5:7: lỗi [ngay]: '2021/02/31' không phải ngày hợp lệ; cần dạng dd/mm/yyyy"),
    (3, "so: năm", ":3:5: lỗi [so]: 'năm' không phải số văn bản"),
    (3, "so: 0", ":3:5: lỗi [so]: phải lớn hơn hoặc bằng 1"),
    (1, "loai: CV", ":1:7: lỗi [loai]: 'CV' không phải tên loại văn bản theo Nghị định 30"),
    (6, "trich_yue: Về việc", "lỗi [trich_yue]: trường không hợp lệ 'trich_yue'; có phải là 'trich_yeu'?"),
    (7, "nguoi_ky: {quyen_han: XX, thay_mat: GIÁM ĐỐC, chuc_vu: PHÓ GIÁM ĐỐC, ho_ten: A}",
     ":7:11: lỗi [nguoi_ky[0].quyen_han]: 'XX' không phải thẩm quyền ký"),
    (7, "nguoi_ky: {quyen_han: KT., chuc_vu: PHÓ GIÁM ĐỐC, ho_ten: A}",
     ":7:11: lỗi [nguoi_ky[0]]: 'KT.' cần thay_mat"),
    (2, "co_quan: {ten: SỞ CÔNG THƯƠNG}", ":2:10: lỗi [co_quan[0].viet_tat]: thiếu trường bắt buộc"),
    (2, "co_quan: {ten: SỞ CÔNG THƯƠNG, viet_tat: S C T}", "lỗi [co_quan[0].viet_tat]: 'S C T' không hợp lệ"),
    (6, "trich_yeu: ''", "lỗi: thông báo cần trich_yeu"),
])
def test_each_kind_of_bad_value_gets_its_message(tmp_path, line, bad, expected):
    lines = GOOD.splitlines()
    lines[line - 1] = bad
    problems = problems_of(tmp_path, "\n".join(lines) + "\n")
    assert any(expected in p for p in problems), problems
    assert all(p.startswith(str(tmp_path / "in" / "bad.yaml")) for p in problems)


def test_all_errors_of_a_record_are_reported_at_once(tmp_path):
    text = GOOD.replace("so: 5", "so: năm").replace("ngay: 10/09/2021", "ngay: 31/02/2021") \
        .replace("trich_yeu:", "trich_yue:") + "do_khan: GẤP\n"
    problems = problems_of(tmp_path, text)
    fields = sorted(p.split("[")[1].split("]")[0] for p in problems)
    # the mistyped key, and the thông báo's trích yếu it leaves missing, in the same run
    assert fields == ["do_khan", "ngay", "so", "trich_yeu", "trich_yue"]


def test_missing_required_fields_point_at_the_record(tmp_path):
    problems = problems_of(tmp_path, "loai: TB\n")
    fields = {p.split("[")[1].split("]")[0] for p in problems}
    assert {"co_quan", "dia_danh", "nguoi_ky"} <= fields
    assert all(":1:1: lỗi [" in p for p in problems)


def test_yaml_syntax_error_names_line_and_column(tmp_path):
    problems = problems_of(tmp_path, "loai: TB\n  co_quan: [\n")
    assert len(problems) == 1 and ":2:10: lỗi: lỗi cú pháp YAML" in problems[0]


def test_duplicate_keys_are_an_error(tmp_path):
    problems = problems_of(tmp_path, GOOD + "so: 6\n")
    assert any(":8:1: lỗi [so]: trường 'so' bị lặp" in p for p in problems)


def test_type_specific_requirements(tmp_path):
    cv = GOOD.replace("loai: TB", "loai: Công văn")
    assert any("công văn cần don_vi_soan_thao" in p for p in problems_of(tmp_path / "cv", cv))
    gm = GOOD.replace("loai: TB", "loai: GM")
    assert any("giấy mời cần su_kien" in p for p in problems_of(tmp_path / "gm", gm))
    qd = GOOD.replace("loai: TB", "loai: QĐ")
    assert any("quyết định cần tham_quyen" in p for p in problems_of(tmp_path / "qd", qd))


def test_appendix_table_shape_errors(tmp_path):
    text = GOOD + "phu_luc:\n  - tieu_de: Nhiệm vụ\n    bang:\n      cot: [A, B]\n      dong: [[1, 2, 3]]\n"
    problems = problems_of(tmp_path, text)
    assert any("[phu_luc[0].bang]: dòng 1 có 3 ô; tiêu đề bảng có 2 cột" in p for p in problems), problems


def test_messages_in_english_on_request(tmp_path):
    set_language("en")
    problems = problems_of(tmp_path, GOOD.replace("ngay: 10/09/2021", "ngay: 31/02/2021"))
    assert any("error [ngay]: '31/02/2021' is not a date: month 2 of 2021 has no day 31" in p for p in problems)


def test_english_lang_environment_selects_english(monkeypatch):
    from vanthu.i18n import _, set_language

    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert set_language(None) == "en" and _("required field is missing") == "required field is missing"
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    assert set_language(None) == "vi" and _("required field is missing") == "thiếu trường bắt buộc"


def test_a_bad_record_does_not_stop_the_others(tmp_path):
    source = write_records(tmp_path / "in", record(), record(ngay="31/02/2021"), record(so=6))
    results = list(generate([source], tmp_path / "out"))
    assert [r.ok for r in results] == [True, False, True]
    assert len(list((tmp_path / "out").glob("*.docx"))) == 2
    assert "#2" in results[1].source


def test_pdf_artefacts_are_repaired_with_a_warning(tmp_path):
    source = write_records(tmp_path / "in", record(trich_yeu="Về việc tổ chức chƣơng trình\u00ad"))
    (result,) = list(generate([source], tmp_path / "out"))
    assert result.ok
    warnings = [str(p) for p in result.problems if p.severity == "warning"]
    assert any("[trich_yeu]" in w and "'ƣ'" in w for w in warnings)
    assert any("[trich_yeu]" in w and "ký tự ẩn" in w for w in warnings)


def test_catalog_translates_every_message():
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    run = subprocess.run([sys.executable, str(root / "tools" / "i18n_catalog.py"), "check"],
                         capture_output=True, text=True)
    assert run.returncode == 0, f"untranslated: {run.stdout}"
    sys.path.insert(0, str(root / "tools"))
    import gettext
    import io

    from i18n_catalog import LOCALE, compiled_bytes

    def messages(data: bytes) -> dict:
        # the header carries a creation time; the translations are what must agree
        return {k: v for k, v in gettext.GNUTranslations(io.BytesIO(data))._catalog.items() if k}

    committed = (LOCALE / "vi" / "LC_MESSAGES" / "vanthu.mo").read_bytes()
    assert messages(committed) == messages(compiled_bytes("vi")), \
        "vanthu.mo is stale: run tools/i18n_catalog.py compile"


def test_yaml_aliases_that_loop_or_explode_fail_their_file_only(tmp_path):
    folder = tmp_path / "in"
    write_records(folder, record(), name="a-good.yaml")
    (folder / "b-loop.yaml").write_text("- &a [*a]\n", encoding="utf-8")
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(97 + i)}: &{chr(97 + i)} [{', '.join(['*' + chr(96 + i)] * 10)}]" for i in range(1, 9)]
    (folder / "c-laughs.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "d-loop-and-bad-tag.yaml").write_text("- &b [*b]\n- !!python/object/apply:os.system [x]\n",
                                                     encoding="utf-8")
    results = list(generate([folder], tmp_path / "out"))
    assert [r.status for r in results] == ["written", "failed", "failed", "failed"]
    assert "chứa chính nó" in str(results[1].problems[0])
    assert "nở ra thành hơn 1000000 giá trị" in str(results[2].problems[0])
    assert "chứa chính nó" in str(results[3].problems[0])
    # shared (non-looping) aliases are plain YAML and keep working
    agency = record()["co_quan"]
    text = yaml.safe_dump([record(co_quan=agency), record(so=6, co_quan=agency)], allow_unicode=True)
    assert "&id001" in text and "*id001" in text
    shared = folder / "e-shared.yaml"
    shared.write_text(text, encoding="utf-8")
    assert [r.status for r in generate([shared], tmp_path / "out2")] == ["written", "written"]
