"""The checker's rules, case by case from tests/fixtures/rules/<CODE>.yml: each fail case
fires exactly its rule at its place; each pass case is a conformant document."""

from __future__ import annotations

import pytest

from conftest import RECORDS
from rule_cases import FIXTURES, build, case_id, load_cases
from vanthu.batch import generate
from vanthu.check.engine import check_file
from vanthu.check.registry import all_rules
from vanthu.i18n import set_language

CASES = load_cases()


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    out = tmp_path_factory.mktemp("examples")
    return {r.output.name.split("_")[0]: r.output for r in generate([RECORDS], out)}


@pytest.mark.parametrize("item", CASES, ids=case_id)
def test_rule_case(examples, tmp_path, item):
    code, case = item
    set_language("en")
    report = check_file(build(examples, case, tmp_path / f"{code}.docx"), all_rules())
    assert report.unreadable is None, report.unreadable
    failing = {r.rule.code: r for r in report.results if r.status == "fail"}
    if case.get("passes"):
        assert {r.rule.code: r.status for r in report.results}[code] == "pass", case["name"]
        assert not {c: r for c, r in failing.items() if r.rule.severity == "error"}, case["name"]
        return
    assert set(failing) == {code}, (case["name"], {c: [f.message for f in r.findings] for c, r in failing.items()})
    findings = failing[code].findings
    assert any(case["fails_at"] in f.location for f in findings), [f.location for f in findings]
    if "message" in case:
        assert any(case["message"] in f.message for f in findings), [f.message for f in findings]


def test_every_rule_has_its_fixture_with_a_pass_and_a_fail_case():
    codes = {r.code for r in all_rules()}
    assert {p.stem for p in FIXTURES.glob("*.yml")} == codes
    for code in codes:
        kinds = {bool(case.get("passes")) for c, case in CASES if c == code}
        assert kinds == {True, False}, code
