"""Choosing rules: by code, dotted name or glob, from the one list in check/rules/."""

from __future__ import annotations

import fnmatch

from ..errors import ConfigurationError
from ..i18n import _
from .rule import Rule
from .rules import RULES


class UnknownRuleError(ConfigurationError):
    """A --select/--ignore pattern that matches no rule (it would check nothing and pass)."""

    def __init__(self, patterns: list[str]):
        super().__init__(_("no rule matches {patterns}: see vanthu check --list-rules").format(
            patterns=", ".join(patterns)))
        self.patterns = patterns


def all_rules() -> list[Rule]:
    return list(RULES)


def select(codes: list[str] | None, ignore: list[str] | None) -> list[Rule]:
    """Rules chosen by code, dotted name or glob ('LY*', 'header.*'), minus the ignored ones."""
    def matches(r: Rule, patterns: list[str]) -> bool:
        return any(fnmatch.fnmatchcase(r.code, p.upper()) or fnmatch.fnmatchcase(r.name, p) for p in patterns)

    unknown = [p for p in (codes or []) + (ignore or []) if not any(matches(r, [p]) for r in RULES)]
    if unknown:
        raise UnknownRuleError(unknown)
    chosen = [r for r in RULES if not codes or matches(r, codes)]
    return [r for r in chosen if not ignore or not matches(r, ignore)]
