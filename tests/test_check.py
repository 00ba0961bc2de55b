"""`vanthu check`: each broken document fires exactly its rule, at the right place."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.shared import Mm, Pt

from conftest import RECORDS
from rule_cases import build, load_cases, para, set_text
from vanthu.batch import generate
from vanthu.check.engine import check_file
from vanthu.check.registry import all_rules, select
from vanthu.cli import main


@pytest.fixture(scope="module")
def examples(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("examples")
    return {r.output.name.split("_")[0]: r.output for r in generate([RECORDS], out)}


def failing(path: Path, rules=None) -> dict[str, list[str]]:
    report = check_file(path, rules or all_rules())
    assert report.unreadable is None, report.unreadable
    return {r.rule.code: [f.location for f in r.findings] for r in report.results if r.status == "fail"}


def test_every_generated_example_passes(examples):
    for name, path in examples.items():
        assert failing(path) == {}, name


def first_body(document):
    return para(document, "Thực hiện chương trình")


def mutated(examples, tmp_path: Path, code: str) -> Path:
    """The first fail case of the rule's fixture, as a .docx."""
    case = next(case for c, case in load_cases() if c == code and not case.get("passes"))
    return build(examples, case, tmp_path / f"{code}.docx")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_documents_resaved_by_libreoffice_check_the_same(examples, tmp_path):
    fail_cases = [(code, case) for code, case in load_cases() if not case.get("passes")]
    sources = [build(examples, case, tmp_path / f"{code}-{i}.docx") for i, (code, case) in enumerate(fail_cases)]
    sources += list(examples.values())
    resaved = tmp_path / "resaved"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(resaved), *map(str, sources)],
                   capture_output=True, timeout=300, check=True)
    for i, (code, case) in enumerate(fail_cases):
        found = failing(resaved / f"{code}-{i}.docx")
        assert set(found) == {code}, (code, case["name"], found)
    for path in examples.values():
        assert failing(resaved / path.name) == {}, path.name


def test_rules_that_cannot_find_their_element_are_not_evaluated(examples):
    report = check_file(examples["cong-van"], all_rules())
    status = {r.rule.code: r.status for r in report.results}
    assert status["EL07"] == "not_evaluated" and status["RL03"] == "not_evaluated"
    blank = docx.Document()
    blank.add_paragraph("Xin chào")
    path = Path(report.path).with_name("blank.docx")
    blank.save(path)
    status = {r.rule.code: r.status for r in check_file(path, all_rules()).results}
    assert status["EL01"] == status["TX01"] == status["NB01"] == status["RL01"] == "not_evaluated"


def test_cli_exit_codes_and_json(examples, tmp_path, capsys):
    assert main(["check", str(examples["thong-bao"])]) == 0
    capsys.readouterr()
    broken = mutated(examples, tmp_path, "NB01")
    assert main(["check", str(broken), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    (rule,) = [r for r in report[0]["rules"] if r["status"] == "fail"]
    assert rule["code"] == "NB01" and rule["clause"] == "Phụ lục I, Phần I, Mục II, khoản 3"
    assert "leading zero" in rule["findings"][0]["message"] or "số 0" in rule["findings"][0]["message"]
    assert main(["check", str(broken), "--ignore", "NB01"]) == 0
    assert main(["check", str(broken), "--select", "LY*,FT*"]) == 0
    warning_only = mutated(examples, tmp_path, "LY02")
    assert main(["check", str(warning_only)]) == 0, "warnings do not fail the check"


def test_unreadable_input_exits_2_without_a_traceback(tmp_path, capsys):
    corrupt = tmp_path / "hong.docx"
    corrupt.write_bytes(b"PK\x03\x04 not really a zip")
    text = tmp_path / "ghi-chu.docx"
    text.write_text("plain text")
    for path in (corrupt, text, tmp_path / "missing.docx"):
        assert main(["check", str(path)]) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and path.name in err


def test_fix_repairs_margins_fonts_sizes_and_leading_zeros(examples, tmp_path, capsys):
    document = docx.Document(examples["thong-bao"])
    document.sections[0].left_margin = Mm(25)
    first_body(document).runs[0].font.name = "Arial"
    para(document, "THÔNG BÁO").runs[0].font.size = Pt(16)
    set_text(para(document, "Số:"), "Số: 5/TB-SCT")
    set_text(para(document, "Lạng Sơn, ngày"), "Lạng Sơn, ngày 5 tháng 9 năm 2021")
    broken = tmp_path / "broken.docx"
    document.save(broken)
    assert set(failing(broken)) == {"LY03", "FT01", "EL07", "NB01", "DT01"}
    before = broken.read_bytes()
    assert main(["check", "--fix", str(broken), "-o", str(broken)]) == 2, "never overwrites its input"
    fixed = tmp_path / "fixed.docx"
    assert main(["check", "--fix", str(broken), "-o", str(fixed)]) == 0
    assert broken.read_bytes() == before
    assert failing(fixed) == {}
    repaired = docx.Document(fixed)
    assert round(repaired.sections[0].left_margin.mm) == 30
    assert para(repaired, "Số:").text == "Số: 05/TB-SCT"
    assert para(repaired, "Lạng Sơn, ngày").text == "Lạng Sơn, ngày 05 tháng 9 năm 2021"


def test_registry_is_complete_and_documented():
    rules = all_rules()
    assert len({r.code for r in rules}) == len(rules) and len({r.name for r in rules}) == len(rules)
    for r in rules:
        assert r.clause.startswith(("Phụ lục", "Điều")), r.code  # an appendix's rule, or an article's
        assert r.severity in ("error", "warning") and r.wrong and r.right and r.title
    assert [r.code for r in select(["element.*"], ["EL1*"])] == [f"EL0{i}" for i in range(1, 10)]
    root = Path(__file__).resolve().parent.parent
    import sys

    sys.path.insert(0, str(root / "tools"))
    from build_rules_doc import OUT, render

    assert OUT.read_text(encoding="utf-8") == render(), "docs/rules.md is stale: run tools/build_rules_doc.py"


def test_list_rules(capsys):
    assert main(["check", "--list-rules"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(all_rules()) and lines[0].startswith("AP01")



TEMPLATE_RECORDS = {
    "thong_bao.docx": {"loai": "TB"},
    "ke_hoach.docx": {"loai": "KH", "noi_dung": "Chi tiết tại Phụ lục I.", "phu_luc": [
        {"tieu_de": "Danh mục", "ngang": True, "bang": {"cot": ["STT", "Việc"], "dong": [["1", "Tuyên truyền"]]}}]},
    "bao_cao.docx": {"loai": "BC", "kinh_gui": "Ủy ban nhân dân tỉnh"},
    "to_trinh.docx": {"loai": "TTr", "kinh_gui": "Ủy ban nhân dân tỉnh", "so": None, "ngay": None},
    "cong_van.docx": {"loai": "Công văn", "don_vi_soan_thao": "VP", "kinh_gui": ["Sở Nội vụ", "Sở Tài chính"],
                      "do_khan": "HỎA TỐC", "do_mat": "MẬT", "luu_hanh": "LƯU HÀNH NỘI BỘ",
                      "lien_he": {"dia_chi": "Số 1 Hùng Vương", "dien_thoai": "0205 3812 345"}},
    "giay_moi.docx": {"loai": "GM", "kinh_gui": "Các doanh nghiệp", "su_kien": {
        "ten": "Hội nghị", "bat_dau": "20/09/2021 08:00", "dia_diem": "Hội trường Sở"}},
    "nghi_quyet.docx": {"loai": "NQ", "tham_quyen": "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
                        "noi_dung": "Điều 1. Nghị quyết này có hiệu lực kể từ ngày ký.",
                        "nguoi_ky": {"quyen_han": "TM.", "thay_mat": "HỘI ĐỒNG", "chuc_vu": "CHỦ TỊCH",
                                     "ho_ten": "Hoàng Văn Bình"}, "noi_nhan": ["Như Điều 1"]},
    "quyet_dinh.docx": {"loai": "QĐ", "tham_quyen": "GIÁM ĐỐC SỞ CÔNG THƯƠNG", "can_cu": ["Căn cứ Luật A"],
                        "noi_dung": "Điều 1. Quyết định này có hiệu lực kể từ ngày ký.",
                        "nguoi_ky": {"chuc_vu": "GIÁM ĐỐC", "ho_ten": "Hoàng Văn Bình"},
                        "noi_nhan": ["Như Điều 1"]},
    "van_ban.docx": {"loai": "Hướng dẫn"},
}


@pytest.mark.parametrize("template", sorted(TEMPLATE_RECORDS))
def test_every_built_in_template_renders_documents_that_pass(tmp_path, template):
    from conftest import record, write_records
    from vanthu.nd30.doc_types import find_doc_type, template_for

    data = record(**TEMPLATE_RECORDS[template])
    assert template_for(find_doc_type(data["loai"])) == template
    (result,) = list(generate([write_records(tmp_path / "in", data)], tmp_path / "out"))
    assert result.ok, [str(p) for p in result.problems]
    assert failing(result.output) == {}


def test_forty_and_more_appendices_are_numbered_past_xxxix(tmp_path):
    from conftest import record, write_records

    appendices = [{"tieu_de": f"Danh mục {i}"} for i in range(1, 42)]
    source = write_records(tmp_path / "in", record(loai="KH", noi_dung="Chi tiết tại Phụ lục I.", phu_luc=appendices))
    (result,) = generate([source], tmp_path / "out")
    found = failing(result.output)
    assert len(found["AP01"]) == 40  # Phụ lục II … XLI are not referred to
    report = check_file(result.output, all_rules())
    (ap01,) = [r for r in report.results if r.rule.code == "AP01"]
    assert ap01.findings[-1].message.endswith("Phụ lục XLI")


def test_a_rule_that_fails_is_reported_not_evaluated_and_the_rest_run(examples, capsys):
    class Broken:
        code, name, clause, severity = "LY01", "layout.page-size", "Phụ lục I", "error"

        def evaluate(self, document):
            raise IndexError("simulated fault")

    rules = [Broken() if r.code == "LY01" else r for r in all_rules()]
    report = check_file(examples["thong-bao"], rules)
    (ly01,) = [r for r in report.results if r.rule.code == "LY01"]
    assert ly01.status == "not_evaluated" and "IndexError: simulated fault" in ly01.note
    others = [r for r in report.results if r.rule.code != "LY01"]
    assert len(others) == len(rules) - 1 and all(r.status != "fail" and not r.note for r in others)
    assert sum(r.status == "pass" for r in others) > 20


def test_a_rule_code_that_matches_nothing_is_an_error_not_a_silent_pass(examples, tmp_path, capsys):
    path = str(examples["thong-bao"])
    assert main(["check", path, "--select", "LY99"]) == 2
    assert "không quy tắc nào khớp với LY99" in capsys.readouterr().err
    assert main(["check", path, "--ignore", "LY01,ZZ*"]) == 2
    assert "ZZ*" in capsys.readouterr().err
    assert main(["check", path, "--select", "LY*", "--ignore", "LY01"]) == 0
    assert main(["check", path, "--fix", "-o", str(tmp_path)]) == 2
