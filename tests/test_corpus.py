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
