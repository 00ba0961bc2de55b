"""The checker on documents vanthu did not write: tests/corpus/ (made by hand with python-docx,
tests/corpus/build_corpus.py), as they are and re-saved by the real LibreOffice — no false
errors; their single-fault copies are the `corpus/…` cases of tests/fixtures/rules/."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from rule_cases import CORPUS, load_cases
from vanthu.check.engine import check_file
from vanthu.check.registry import all_rules
from vanthu.i18n import set_language
from vanthu.textwidth import text_width_mm

DOCUMENTS = sorted(CORPUS.glob("*.docx"))


def errors(path: Path) -> dict[str, list[str]]:
    report = check_file(path, all_rules())
    assert report.unreadable is None, report.unreadable
    return {r.rule.code: [f"{f.location}: {f.message}" for f in r.findings] for r in report.results
            if r.status == "fail" and r.rule.severity == "error"}


def test_the_corpus_is_big_enough_and_its_faults_many():
    assert len(DOCUMENTS) >= 12
    corpus_faults = [case for _code, case in load_cases()
                     if case["document"].startswith("corpus/") and not case.get("passes")]
    assert len(corpus_faults) >= 30


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_a_conformant_document_made_elsewhere_has_no_errors(path):
    assert errors(path) == {}


@pytest.fixture(scope="module")
def resaved(tmp_path_factory) -> Path:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("corpus-resaved")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "out"), *map(str, DOCUMENTS)],
                   capture_output=True, timeout=300, check=True)
    return folder / "out"


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_the_same_document_resaved_by_libreoffice_has_no_errors(resaved, path):
    assert errors(resaved / path.name) == {}


def test_a_hand_drawn_line_off_by_4_mm_is_reported_with_the_range_applied(tmp_path):
    set_language("en")
    document = docx.Document(CORPUS / "03-cong-van-drawingml-one-page.docx")
    tieu_ngu = "Độc lập - Tự do - Hạnh phúc"
    width = text_width_mm(tieu_ngu, 13, True)
    extents = [e for e in document.element.body.iter() if e.tag.endswith("}extent")]
    line = extents[-1]  # the header's second line: under the Tiêu ngữ
    line.set("cx", str(round((width - 4) * 36000)))
    path = tmp_path / "off.docx"
    document.save(path)
    found = errors(path)
    assert set(found) == {"RL01"}, found
    (message,) = found["RL01"]
    low, high = re.search(r"expected (\d+)–(\d+) mm", message).groups()
    assert (int(low), int(high)) == (round(width - 2), round(width + 2)), message


OFFICIAL = Path(__file__).resolve().parents[2] / "shared" / "official"


@pytest.mark.skipif(not OFFICIAL.is_dir(), reason="../shared/official is not beside this checkout")
def test_the_decrees_own_appendix_files_are_not_taken_for_a_document():
    """Phụ lục I describes the Quốc hiệu in a sentence and draws its diagram in tables of numbered
    cells: none of that is the Quốc hiệu, a signer or a Nơi nhận."""
    report = check_file(OFFICIAL / "nd30-phu-luc-I-the-thuc.docx", all_rules())
    status = {r.rule.code: r.status for r in report.results}
    for code in ("EL01", "TX01", "EL02", "TX02", "RL01", "EL12", "EL13", "EL14", "EL15", "SG01", "NN01"):
        assert status[code] == "not_evaluated", (code, status[code])
    models = check_file(OFFICIAL / "nd30-phu-luc-III-mau.docx", all_rules())
    ho_ten = next(r for r in models.results if r.rule.code == "EL13")
    assert not [f for f in ho_ten.findings if re.fullmatch(r"[\d:]+", f.location.split('"')[1].strip())]


def test_cell_margins_written_as_start_and_end_are_read(tmp_path):
    """LibreOffice (some versions) and strict OOXML write a table's cell margins as w:start/w:end;
    read as absent, they gave Word's default 1.905 mm and a Tiêu ngữ line 4 mm short (RL01)."""
    import zipfile

    from conftest import RECORDS
    from vanthu.batch import generate

    (result,) = generate([next(RECORDS.glob("01-*.yaml"))], tmp_path / "out", jobs=1)
    with zipfile.ZipFile(result.output) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    margins = re.findall(r"<w:tblCellMar>.*?</w:tblCellMar>", xml)
    assert margins and all("<w:left " in m for m in margins)
    for m in margins:
        xml = xml.replace(m, m.replace("<w:left ", "<w:start ").replace("<w:right ", "<w:end "))
    parts["word/document.xml"] = xml.encode("utf-8")
    path = tmp_path / "start-end.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert errors(path) == {}
