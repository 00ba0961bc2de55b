"""Run the selected rules over documents; each rule passes, finds, or is not evaluated."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..docview import DocumentView
from ..errors import UnreadableDocument
from ..i18n import _
from .rule import Finding, Rule


@dataclass
class RuleResult:
    rule: Rule
    status: str  # 'pass', 'fail', 'not_evaluated'
    findings: list[Finding] = field(default_factory=list)
    note: str = ""  # why a rule was not evaluated, when it is not simply that its element is absent


@dataclass
class FileReport:
    path: Path
    results: list[RuleResult] = field(default_factory=list)
    unreadable: str | None = None
    draft: str | None = None  # the draft mark's text, when the document is marked as a draft

    @property
    def errors(self) -> int:
        return sum(len(r.findings) for r in self.results if r.status == "fail" and r.rule.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(len(r.findings) for r in self.results if r.status == "fail" and r.rule.severity == "warning")

    def to_json(self) -> dict:
        return {
            "file": str(self.path),
            "unreadable": self.unreadable,
            "draft": self.draft,
            "errors": self.errors,
            "warnings": self.warnings,
            "rules": [{"code": r.rule.code, "name": r.rule.name, "clause": r.rule.clause,
                       "severity": r.rule.severity, "status": r.status, **({"note": r.note} if r.note else {}),
                       "findings": [{"message": f.message, "location": f.location, "fix": f.fix}
                                    for f in r.findings]} for r in self.results],
        }


def check_file(path: Path, rules: list[Rule]) -> FileReport:
    report = FileReport(path)
    if not path.exists():
        report.unreadable = _("no such file or folder: {path}").format(path=path)
        return report
    try:
        document = DocumentView(path)
    except UnreadableDocument as exc:
        report.unreadable = _("{path} is not a .docx file ({detail})").format(path=path, detail=exc)
        return report
    report.draft = document.draft_mark
    for rule in rules:
        try:
            findings = rule.evaluate(document)
        except Exception as exc:  # a fault in one rule must not cost the others, or the other files
            report.results.append(RuleResult(rule, "not_evaluated", note=_(
                "the rule failed on this document: {detail}").format(detail=f"{type(exc).__name__}: {exc}")))
            continue
        if findings is None:
            report.results.append(RuleResult(rule, "not_evaluated"))
        else:
            report.results.append(RuleResult(rule, "fail" if findings else "pass", list(findings)))
    return report
