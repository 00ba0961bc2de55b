"""Templates made elsewhere: a built-in template restyled and saved by the real LibreOffice,
restyled through python-docx, or carrying Word's style IDs still renders every example as it
should — vanthu finds its styles by name, not by ID."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from docx.shared import Mm, Pt

from conftest import RECORDS, ROOT
from vanthu.batch import generate
from vanthu.check.engine import check_file
from vanthu.check.registry import all_rules
from vanthu.cli import main
from vanthu.docview import DocumentView
from vanthu.nd30.doc_types import find_doc_type, template_for

EXAMPLES = sorted(RECORDS.glob("*.yaml"))


def _template_of(record: Path) -> str:
    return template_for(find_doc_type(str(yaml.safe_load(record.read_text(encoding="utf-8"))["loai"])))


def formatting(path: Path) -> list[tuple]:
    """What a reader sees of each paragraph: text, alignment, indents, spacing, sizes, bold."""
    view = DocumentView(path)
    out = []
    for p in view.paragraphs:
        f = p.format
        out.append((p.text, f.align or "left", f.left, f.right, f.first_line, f.before, f.after,
                    tuple((r.size, r.bold, r.italic) for r in p.runs)))
    return out


def errors(path: Path) -> dict[str, list[str]]:
    report = check_file(path, all_rules())
    return {r.rule.code: [f.message for f in r.findings] for r in report.results
            if r.status == "fail" and r.rule.severity == "error"}


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("originals")
    return {Path(r.source.split("#")[0]).name: r.output for r in generate([RECORDS], out, jobs=1)}


@pytest.fixture(scope="module")
def resaved_templates(tmp_path_factory) -> Path:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("resaved")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "templates"),
                    *map(str, sorted((ROOT / "templates").glob("*.docx")))],
                   capture_output=True, timeout=300, check=True)
    return folder / "templates"


def test_libreoffice_rewrites_the_style_ids(resaved_templates):
    styles = zipfile.ZipFile(resaved_templates / "thong_bao.docx").read("word/styles.xml").decode("utf-8")
    assert 'w:styleId="VTNoiDung"' not in styles and 'w:val="VT Nội dung"' in styles  # what the fix is for


@pytest.mark.parametrize("record", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_renders_alike_with_its_template_saved_by_libreoffice(tmp_path, originals, resaved_templates,
                                                                            record):
    template = resaved_templates / _template_of(record)
    (result,) = generate([record], tmp_path, template=template, jobs=1)
    assert result.ok, [str(p) for p in result.problems]
    assert errors(result.output) == {}
    assert formatting(result.output) == formatting(originals[record.name])


def _restyled(tmp_path: Path) -> Path:
    template = docx.Document(ROOT / "templates" / "thong_bao.docx")
    body = template.styles["VT Nội dung"]
    body.font.size = Pt(14)
    body.paragraph_format.first_line_indent = Mm(12.7)
    path = tmp_path / "restyled.docx"
    template.save(path)
    return path


def test_a_style_restyled_through_python_docx_survives_into_the_output(tmp_path):
    record = next(r for r in EXAMPLES if "thong-bao" in r.name)
    (result,) = generate([record], tmp_path / "out", template=_restyled(tmp_path), jobs=1)
    assert result.ok
    body = [p for p in DocumentView(result.output).body if p.style_name == "VT Nội dung"]
    assert len(body) > 3 and all(r.size == 14 for p in body for r in p.runs)
    assert all(abs(p.format.first_line - 720) <= 1 for p in body)  # 12.7 mm = 720 twips
    assert errors(result.output) == {}


def _with_word_style_ids(source: Path, target: Path) -> dict[str, str]:
    """The template as Word might write it: every VT style's ID made from ASCII letters of
    its own choosing, w:styleId no longer what vanthu writes, w:name unchanged."""
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    ids = re.findall(rb'w:styleId="(VT\w+)"', parts["word/styles.xml"])
    renames = {old: b"Word" + bytes(str(i), "ascii") + b"Style" for i, old in enumerate(ids)}
    for name in ("word/styles.xml", "word/document.xml"):
        for old, new in renames.items():
            parts[name] = re.sub(rb'(w:(?:styleId|val)=")' + old + rb'"', rb"\g<1>" + new + b'"', parts[name])
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return {old.decode(): new.decode() for old, new in renames.items()}


def test_word_style_ids_that_differ_from_the_names_are_found_by_name(tmp_path, originals):
    record = next(r for r in EXAMPLES if "quyet-dinh" in r.name)
    template = tmp_path / "word.docx"
    renames = _with_word_style_ids(ROOT / "templates" / "quyet_dinh.docx", template)
    assert "VTNoiDung" in renames
    (result,) = generate([record], tmp_path / "out", template=template, jobs=1)
    assert result.ok and errors(result.output) == {}
    assert formatting(result.output) == formatting(originals[record.name])


def test_a_style_the_template_lacks_is_taken_from_vanthu_and_said(tmp_path, capsys):
    template = docx.Document(ROOT / "templates" / "thong_bao.docx")
    style = template.styles["VT Danh sách nơi nhận"]
    style.element.getparent().remove(style.element)
    path = tmp_path / "thieu-style.docx"
    template.save(path)
    record = next(r for r in EXAMPLES if "thong-bao" in r.name)
    assert main(["generate", str(record), "-o", str(tmp_path / "out"), "--template", str(path)]) == 0
    err = capsys.readouterr().err
    assert "VT Danh sách nơi nhận" in err and "thieu-style.docx" in err
    (output,) = (tmp_path / "out").glob("*.docx")
    assert errors(output) == {}
    view = DocumentView(output)
    assert view.noi_nhan_items and all(r.size == 11 for p in view.noi_nhan_items for r in p.runs)
