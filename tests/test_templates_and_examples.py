"""The committed templates are the builder's output; the examples reproduce the seed."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from conftest import RECORDS, ROOT
from docx_view import DocxView
from vanthu.batch import generate
from vanthu.nd30 import layout
from vanthu.render.template_builder import build, kinds

SEED = ROOT.parent / "shared" / "seed"


@pytest.mark.parametrize("kind", kinds(), ids=lambda k: k.file)
def test_committed_template_matches_the_builder(kind):
    committed = (ROOT / "templates" / kind.file).read_bytes()
    assert committed == build(kind), f"templates/{kind.file} is stale: run python tools/build_templates.py"


@pytest.mark.parametrize("kind", kinds(), ids=lambda k: k.file)
def test_templates_carry_named_styles_a_clerk_can_restyle(kind):
    styles = zipfile.ZipFile(ROOT / "templates" / kind.file).read("word/styles.xml").decode("utf-8")
    for element in layout.ELEMENTS.values():
        assert f'w:styleId="{element.style_id}"' in styles
        assert f'<w:name w:val="{element.style_name}"/>' in styles


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    out = tmp_path_factory.mktemp("ex")
    results = list(generate([RECORDS], out))
    return {r.output.name.split("_")[0]: DocxView(r.output) for r in results if r.ok}, results


def test_every_example_renders_without_warnings(examples):
    _views, results = examples
    assert len(results) == 7 and all(r.ok for r in results)
    assert not [str(p) for r in results for p in r.problems]


def _clean(text: str) -> str:
    """The seed's PDF-copy artefacts, fixed as the examples fix them."""
    return re.sub(r"(\d+)- (NQ)", r"\1-\2", text.replace("ƣ", "ư"))


def seed_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEED.glob("*.txt")))


@pytest.mark.skipif(not SEED.exists(), reason="shared/seed is not beside this checkout")
def test_notice_reproduces_the_seed(examples):
    views, _ = examples
    notice = views["thong-bao"]
    first_line = seed_text().splitlines()[0]
    assert first_line.startswith("Thông báo ")
    notice.find("THÔNG BÁO")
    notice.find(first_line[len("Thông báo "):][:1].upper() + first_line[len("Thông báo "):][1:])
    assert "20 tháng 9 năm 2021" in "".join(p.text for p in notice.paragraphs())
    assert "09 giờ 00 phút" in "".join(p.text for p in notice.paragraphs())


@pytest.mark.skipif(not SEED.exists(), reason="shared/seed is not beside this checkout")
def test_plan_reproduces_the_seed_directives_as_body_and_appendix(examples):
    views, _ = examples
    plan = views["ke-hoach"]
    text = "\n".join(p.text for p in plan.paragraphs())
    blocks = _clean(seed_text()).split("\n\n")
    plan.find(blocks[1].strip(), startswith=True)  # the plan's title is the seed's
    paragraphs = [p.strip() for p in blocks[2:] if p.strip()]
    assert len(paragraphs) >= 5
    for paragraph in paragraphs:
        # every sentence of each directive is in the plan's body
        for sentence in re.split(r"(?<=[.;])\s+(?=[A-ZĐÀ-Ỹ\-])", paragraph):
            core = sentence.strip(" -;.")[:60]
            assert core in text, core
    assert "ƣ" not in text and "34- NQ" not in text
    appendix = plan.tables()[-1]
    cells = "".join(appendix.itertext())
    for header in ("Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian thực hiện"):
        assert header in cells


def test_examples_cover_the_seven_types():
    types = set()
    for path in Path(RECORDS).glob("*.yaml"):
        match = re.search(r"^loai: (.+)$", path.read_text(encoding="utf-8"), re.M)
        types.add(match.group(1).strip())
    assert types == {"Thông báo", "KH", "GM", "Công văn", "QĐ", "BC", "TTr"}


def test_records_doc_shows_every_example_as_it_is():
    doc = (ROOT / "docs" / "records.md").read_text(encoding="utf-8")
    blocks = re.findall(r"`records/([^`]+)`\n\n```yaml\n(.*?)\n```", doc, re.S)
    assert sorted(name for name, _ in blocks) == sorted(p.name for p in RECORDS.glob("*.yaml"))
    for name, text in blocks:
        assert (RECORDS / name).read_text(encoding="utf-8").rstrip() == text, f"docs/records.md: {name} differs"


def test_layout_doc_is_in_step_with_the_layout_numbers():
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    from build_layout_doc import OUT, render

    assert OUT.read_text(encoding="utf-8") == render(), "docs/layout.md is stale: run tools/build_layout_doc.py"


def test_every_type_with_a_template_has_an_example_record_and_a_conformance_test():
    """A type spec that names a template is not done until an example renders it and the
    checker's template test covers it."""
    import yaml

    from test_check import TEMPLATE_RECORDS
    from vanthu.nd30.doc_types import DOC_TYPES, find_doc_type

    examples = set()
    for path in [*(ROOT / "records").glob("*.yaml"), *(ROOT / "examples").glob("*.yaml")]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for record in data if isinstance(data, list) else [data]:
            examples.add(find_doc_type(str(record["loai"])).key)
    for spec in DOC_TYPES.values():
        if spec.template:
            assert spec.key in examples, f"{spec.key}: no example record in records/ or examples/"
            assert spec.template in TEMPLATE_RECORDS, f"{spec.template}: no conformance test"
