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
from vanthu.batch import generate
from vanthu.check.engine import check_file
from vanthu.check.registry import all_rules, select
from vanthu.cli import main
from vanthu.ooxml.namespaces import NS, w


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


def para(document: docx.Document, start: str):
    for paragraph in _all_paragraphs(document):
        if paragraph.text.startswith(start):
            return paragraph
    raise AssertionError(start)


def _all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
                for inner in cell.tables:
                    for r in inner.rows:
                        for c in r.cells:
                            yield from c.paragraphs


def set_text(paragraph, text: str) -> None:
    runs = paragraph.runs
    runs[0].text = text
    for run in runs[1:]:
        run.text = ""


def following(paragraph):
    return docx.text.paragraph.Paragraph(paragraph._p.getnext(), paragraph._parent)


def drop_border(paragraph) -> None:
    borders = paragraph._p.find("w:pPr/w:pBdr", NS)
    borders.getparent().remove(borders)


def first_body(document):
    return para(document, "Thực hiện chương trình")


def untitle(document):
    title_page = document.sections[0]._sectPr.find("w:titlePg", NS)
    title_page.getparent().remove(title_page)


def unbold_tieu_ngu(document) -> None:
    """Regular instead of bold, with its line made as long as the (narrower) regular text."""
    from vanthu.nd30 import layout, texts
    from vanthu.textwidth import text_width_mm

    tieu_ngu = para(document, "Độc lập")
    tieu_ngu.runs[0].font.bold = False
    side = (layout.HEADER_RIGHT_COLUMN_MM - text_width_mm(texts.TIEU_NGU, 13)) / 2
    rule = following(tieu_ngu).paragraph_format
    rule.left_indent = rule.right_indent = Mm(side)


MUTATIONS = {
    "LY01": ("thong-bao", lambda d: (setattr(d.sections[0], "page_width", Mm(215.9)),
                                     setattr(d.sections[0], "page_height", Mm(279.4))), "mục 1"),
    "LY02": ("cong-van", lambda d: (setattr(d.sections[0], "page_width", Mm(297)),
                                     setattr(d.sections[0], "page_height", Mm(210))), "mục 1"),
    "LY03": ("thong-bao", lambda d: setattr(d.sections[0], "left_margin", Mm(25)), "mục 1"),
    "FT01": ("thong-bao", lambda d: setattr(first_body(d).runs[0].font, "name", "Arial"), "Thực hiện chương trình"),
    "FT02": ("thong-bao", lambda d: first_body(d).runs[0]._r.get_or_add_rPr().get_or_add_rFonts().set(
        w("eastAsia"), "SimSun"), "Thực hiện chương trình"),
    "EL01": ("thong-bao", lambda d: setattr(para(d, "CỘNG HÒA").runs[0].font, "size", Pt(15)), "CỘNG HÒA"),
    "EL02": ("thong-bao", lambda d: unbold_tieu_ngu(d), "Độc lập"),
    "EL03": ("thong-bao", lambda d: setattr(para(d, "UBND TỈNH").runs[0].font, "bold", True), "UBND TỈNH"),
    "EL04": ("thong-bao", lambda d: setattr(para(d, "SỞ CÔNG THƯƠNG").runs[0].font, "size", Pt(14)),
             "SỞ CÔNG THƯƠNG"),
    "EL05": ("thong-bao", lambda d: setattr(para(d, "Số:").runs[0].font, "size", Pt(14)), "Số: 05/TB-SCT"),
    "EL06": ("thong-bao", lambda d: setattr(para(d, "Lạng Sơn, ngày").runs[0].font, "italic", False), "Lạng Sơn"),
    "EL07": ("thong-bao", lambda d: setattr(para(d, "THÔNG BÁO").runs[0].font, "size", Pt(16)), "THÔNG BÁO"),
    "EL08": ("thong-bao", lambda d: setattr(para(d, "Về việc tổ chức").runs[0].font, "bold", False), "Về việc"),
    "EL09": ("cong-van", lambda d: setattr(para(d, "V/v").runs[0].font, "bold", True), "V/v"),
    "EL10": ("quyet-dinh", lambda d: setattr(para(d, "Căn cứ Quyết định").runs[0].font, "italic", False),
             "Căn cứ Quyết định"),
    "EL11": ("thong-bao", lambda d: setattr(first_body(d).runs[0].font, "size", Pt(12)), "Thực hiện chương trình"),
    "EL12": ("thong-bao", lambda d: setattr(para(d, "KT. GIÁM ĐỐC").runs[0].font, "size", Pt(12)), "KT. GIÁM ĐỐC"),
    "EL13": ("thong-bao", lambda d: setattr(para(d, "Nguyễn Văn An").runs[0].font, "bold", False), "Nguyễn Văn An"),
    "EL14": ("thong-bao", lambda d: setattr(para(d, "Nơi nhận:").runs[0].font, "italic", False), "Nơi nhận:"),
    "EL15": ("thong-bao", lambda d: setattr(para(d, "- UBND tỉnh").runs[0].font, "size", Pt(12)), "- UBND tỉnh"),
    "EL16": ("ke-hoach", lambda d: setattr(para(d, "Phụ lục I").runs[0].font, "size", Pt(12)), "Phụ lục I"),
    "EL17": ("ke-hoach", lambda d: setattr(para(d, "NHIỆM VỤ TUYÊN").runs[0].font, "bold", False), "NHIỆM VỤ"),
    "EL18": ("ke-hoach", lambda d: setattr(para(d, "(Kèm theo").runs[0].font, "italic", False), "(Kèm theo"),
    "TX01": ("thong-bao", lambda d: set_text(para(d, "CỘNG HÒA"), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM."), "CỘNG HÒA"),
    "TX02": ("thong-bao", lambda d: set_text(para(d, "Độc lập"), "Độc lập – Tự do – Hạnh phúc"), "Độc lập"),
    "TX03": ("thong-bao", lambda d: set_text(first_body(d), first_body(d).text.replace("chương", "chƣơng")),
             "Thực hiện chƣơng"),
    "RL01": ("thong-bao", lambda d: (drop_border(following(para(d, "Độc lập"))),
                                     setattr(para(d, "Độc lập").runs[0].font, "underline", True)), "Độc lập"),
    "RL02": ("thong-bao", lambda d: drop_border(following(para(d, "SỞ CÔNG THƯƠNG"))), "SỞ CÔNG THƯƠNG"),
    "RL03": ("thong-bao", lambda d: setattr(following(para(d, "Về việc tổ chức")).paragraph_format,
                                            "left_indent", Mm(5)), "Về việc tổ chức"),
    "NB01": ("thong-bao", lambda d: set_text(para(d, "Số:"), "Số: 5/TB-SCT"), "Số: 5/TB-SCT"),
    "DT01": ("thong-bao", lambda d: set_text(para(d, "Lạng Sơn, ngày"), "Lạng Sơn, ngày 5 tháng 9 năm 2021"),
             "Lạng Sơn, ngày 5"),
    "SG01": ("thong-bao", lambda d: set_text(para(d, "KT. GIÁM ĐỐC"), "K/T GIÁM ĐỐC"), "K/T GIÁM ĐỐC"),
    "NN01": ("thong-bao", lambda d: set_text(para(d, "- Lưu:"), "- Lưu: VT, QLCN(02)"), "- Lưu: VT"),
    "PG01": ("thong-bao", untitle, "mục 1"),
    "AP01": ("ke-hoach", lambda d: set_text(para(d, "Các phòng, đơn vị thuộc Sở căn cứ"),
                                             "Các phòng, đơn vị thuộc Sở triển khai thực hiện."), "Phụ lục I"),
}


def mutated(examples, tmp_path: Path, code: str) -> Path:
    name, mutate, _where = MUTATIONS[code]
    document = docx.Document(examples[name])
    mutate(document)
    path = tmp_path / f"{code}.docx"
    document.save(path)
    return path


@pytest.mark.parametrize("code", sorted(MUTATIONS))
def test_a_document_breaking_one_rule_fires_exactly_that_rule(examples, tmp_path, code):
    found = failing(mutated(examples, tmp_path, code))
    assert set(found) == {code}, found
    assert any(MUTATIONS[code][2] in location for location in found[code]), found[code]


def test_every_rule_has_a_breaking_document():
    assert {r.code for r in all_rules()} == set(MUTATIONS)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_documents_resaved_by_libreoffice_check_the_same(examples, tmp_path):
    sources = [mutated(examples, tmp_path, code) for code in sorted(MUTATIONS)] + list(examples.values())
    resaved = tmp_path / "resaved"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(resaved), *map(str, sources)],
                   capture_output=True, timeout=300, check=True)
    for code in sorted(MUTATIONS):
        found = failing(resaved / f"{code}.docx")
        assert set(found) == {code}, (code, found)
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
        assert r.clause.startswith("Phụ lục"), r.code
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


@pytest.mark.parametrize(("text", "finding"), [
    ("Số: 05 / TB-SCT", "no spaces"),
    ("Số: 05/TB - SCT", "no spaces"),
    ("Số: 5/TB-SCT", "leading zero"),
    ("Số: 05/2021/TB-SCT", "no year"),
    ("Số: 12/CV-SCT", "'CV'"),
    ("Số 05/TB-SCT", "colon"),
    ("Số:\u00a0\u00a0\u00a0\u00a0/TB-SCT", None),
    ("Số: 115/SCT-QLCN", None),
])
def test_number_line_forms(examples, tmp_path, text, finding):
    from vanthu.i18n import set_language

    set_language("en")
    document = docx.Document(examples["thong-bao"])
    set_text(para(document, "Số:"), text)
    path = tmp_path / "so.docx"
    document.save(path)
    report = check_file(path, select(["NB01"], None))
    messages = [f.message for r in report.results for f in r.findings]
    if finding is None:
        assert messages == []
    else:
        assert any(finding in m for m in messages), messages


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
