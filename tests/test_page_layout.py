"""Layout a văn thư would send back, read from PDFs the real LibreOffice makes: the signer block
never alone on a page nor split, the body a clear line below the rule under the trích yếu."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest

from conftest import record, write_records
from vanthu import api
from vanthu.batch import generate

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")

SIGNER = "Nguyễn Văn An"


def _pdfs(tmp_path: Path, records: list[dict]) -> list[Path]:
    source = write_records(tmp_path / "in", *records)
    documents = [r.output for r in generate([source], tmp_path / "docx", jobs=2)]
    report = api.to_pdf(documents, tmp_path / "pdf", jobs=2)
    assert report.ok, [d.problems for d in report.documents]
    return [d.output for d in report.documents]


def _pages(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as document:
        return [" ".join((page.extract_text() or "").split()) for page in document.pages]


@pytest.mark.parametrize("kind", ["short-lines", "many-recipients"])
def test_the_signer_block_is_never_alone_on_a_page_nor_split(tmp_path, kind):
    """Bodies of 18 to 60 one-line paragraphs move the page break across every line of the last page."""
    recipients = [f"Phòng Quản lý số {i}" for i in range(1, 31)] if kind == "many-recipients" else ["UBND tỉnh (b/c)"]
    records = []
    for count in range(18, 61, 1 if kind == "short-lines" else 3):
        body = "\n".join(f"Dòng nội dung thứ {i} của thông báo." for i in range(1, count + 1))
        records.append(record(so=count, noi_dung=body, noi_nhan=recipients))
    for pdf in _pdfs(tmp_path, records):
        pages = _pages(pdf)
        (signed,) = [i for i, text in enumerate(pages) if SIGNER in text]
        page = pages[signed]
        assert "KT. GIÁM ĐỐC" in page and "PHÓ GIÁM ĐỐC" in page and "Nơi nhận:" in page, (pdf.name, signed)
        assert "- Lưu: VT" in page, (pdf.name, "the block split: its Lưu line went to another page")
        # the body's last paragraph stands on the signer's page (never the block alone)
        assert "thông báo./." in page, (pdf.name, signed, page[:300])


def test_the_body_starts_a_clear_line_below_the_rule_under_the_trich_yeu(tmp_path):
    (pdf,) = _pdfs(tmp_path, [record(noi_dung="Thực hiện chương trình xúc tiến thương mại năm 2021.")])
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        words = page.extract_words()
        title = next(w for w in words if w["text"] == "THÔNG")
        first = next(w for w in words if w["text"] == "Thực")
        rules = [r for r in page.rects + page.lines if r["top"] > title["bottom"] and r["bottom"] < first["bottom"]
                 and (r["x1"] - r["x0"]) > 20 and (r["bottom"] - r["top"]) < 2]
        assert rules, "no rule under the trích yếu"
        gap = first["top"] - max(r["bottom"] for r in rules)
        assert gap >= 6, f"the first body line is {gap:.1f} pt under the rule"


def test_a_long_place_name_keeps_the_date_line_on_one_line_set_closer_never_smaller(tmp_path):
    place = "Thành phố Hồ Chí Minh"
    (pdf,) = _pdfs(tmp_path, [record(dia_danh=place, ngay="28/12/2020")])
    with pdfplumber.open(pdf) as document:
        words = [w for w in document.pages[0].extract_words(extra_attrs=["size"]) if w["top"] < 200]
    date_words = [w for w in words if w["text"] in ("Minh,", "ngày", "tháng", "năm", "2020")]
    assert len(date_words) >= 5 and len({round(w["top"]) for w in date_words}) == 1, date_words
    assert {round(w["size"]) for w in date_words} == {13}


def test_a_place_name_that_cannot_fit_is_an_error_naming_dia_danh(tmp_path):
    place = "Thị xã Phú Mỹ, tỉnh Bà Rịa – Vũng Tàu"
    (result,) = generate([write_records(tmp_path / "in", record(dia_danh=place))], tmp_path / "out")
    assert result.status == "failed"
    (problem,) = [p for p in result.problems if p.field == "dia_danh"]
    assert place in problem.message and "TP. Hồ Chí Minh" in problem.message


def test_a_note_covering_several_recipients_is_printed_once_at_their_right(tmp_path):
    from vanthu.check.engine import check_file
    from vanthu.check.registry import all_rules

    group = {"nhom": ["Thường trực Tỉnh ủy", "Thường trực HĐND tỉnh", "Chủ tịch UBND tỉnh"], "ghi_chu": "(để b/c)"}
    data = record(noi_nhan=[group, "Các sở, ban, ngành"])
    source = write_records(tmp_path / "in", data)
    (result,) = generate([source], tmp_path / "docx")
    report = check_file(result.output, all_rules())
    assert not [r.rule.code for r in report.results if r.status == "fail" and r.rule.severity == "error"]
    (pdf,) = _pdfs(tmp_path / "p", [data])
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        words = page.extract_words()
    notes = [w for w in words if w["text"] == "b/c)"]
    assert len(notes) == 1, "printed once"
    middle = next(w for w in words if w["text"] == "HĐND")
    assert abs(notes[0]["top"] - middle["top"]) < 2 and notes[0]["x0"] > middle["x1"]
    assert "- Thường trực Tỉnh ủy;" in " ".join(_pages(pdf))
