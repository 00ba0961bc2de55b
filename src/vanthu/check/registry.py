"""The rule registry: every rule with its code, name, clause, severity and examples.

A rule is a small function that receives the CheckedDocument and returns its findings —
an empty list when the document passes, None when the element it judges is not there
("not evaluated", never "pass").
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass, field

from .document import CheckedDocument, Paragraph


@dataclass(frozen=True)
class Finding:
    message: str
    location: str = ""  # section, table cell, paragraph number and first words
    fix: str | None = None  # what --fix would do, when it can


@dataclass(frozen=True)
class Rule:
    code: str  # stable: 'LY01'
    name: str  # dotted: 'layout.page-size'
    title: str  # the finding, in a few words
    clause: str  # where the decree says it: 'Phụ lục I, Phần I, Mục I'
    severity: str  # 'error' or 'warning'
    wrong: str  # an example that breaks the rule
    right: str  # the same, done right
    check: Callable[[CheckedDocument], list[Finding] | None] = field(compare=False)
    fixable: bool = False


RULES: list[Rule] = []


def rule(code: str, name: str, title: str, clause: str, severity: str, wrong: str, right: str,
         fixable: bool = False):
    """Register the decorated function as a rule."""
    def register(function: Callable[[CheckedDocument], list[Finding] | None]):
        RULES.append(Rule(code, name, title, clause, severity, wrong, right, function, fixable))
        return function
    return register


def at(p: Paragraph, message: str, fix: str | None = None) -> Finding:
    return Finding(message, p.location, fix)


def select(codes: list[str] | None, ignore: list[str] | None) -> list[Rule]:
    """Rules chosen by code, dotted name or glob ('LY*', 'header.*'), minus the ignored ones."""
    def matches(r: Rule, patterns: list[str]) -> bool:
        return any(fnmatch.fnmatchcase(r.code, p.upper()) or fnmatch.fnmatchcase(r.name, p) for p in patterns)

    unknown = [p for p in (codes or []) + (ignore or []) if not any(matches(r, [p]) for r in all_rules())]
    if unknown:  # a mistyped code would otherwise check nothing and pass
        raise UnknownRuleError(unknown)
    chosen = [r for r in all_rules() if not codes or matches(r, codes)]
    return [r for r in chosen if not ignore or not matches(r, ignore)]


class UnknownRuleError(ValueError):
    def __init__(self, patterns: list[str]):
        super().__init__(", ".join(patterns))
        self.patterns = patterns


def all_rules() -> list[Rule]:
    from . import rules  # noqa: F401 - registers the rules

    return sorted(RULES, key=lambda r: r.code)
