"""What a rule is: its fields, its findings, and the repairs it proposes.

A rule is a module-level object (one per file under check/rules/), every field explicit. Its
docstring's first line is the finding; a `Wrong:` and a `Right:` line give a hand-written
example of each. `evaluate` returns the findings — an empty list when the document passes,
None when the element it judges is not there ("not evaluated", never "pass").
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import ClassVar

from ..docview import DocumentView, Paragraph
from ..i18n import _


@dataclass(frozen=True)
class Repair:
    """One change --fix may make; the fixer applies it (check/fixer.py)."""

    kind: str  # 'margin', 'fonts', 'size', 'text'
    paragraph: int = 0  # 1-based paragraph number ('size', 'text')
    section: int = 0  # 1-based section number ('margin')
    side: str = ""  # 'margin'
    value: float = 0.0  # mm for 'margin', pt for 'size'
    pattern: str = ""  # 'text': a regex …
    replacement: str = ""  # … and what replaces it ('zero-pad' pads the numbers it matched)
    font: str = ""  # 'fonts'


@dataclass(frozen=True)
class Finding:
    message: str
    location: str = ""  # section, table cell, paragraph number and first words
    fix: str | None = None  # what --fix would do, said to the user
    repair: Repair | None = None


def at(p: Paragraph, message: str, fix: str | None = None, repair: Repair | None = None) -> Finding:
    return Finding(message, p.location, fix, repair)


class Rule:
    """Base of every rule; subclasses set every field."""

    code: ClassVar[str]  # stable: 'LY01'
    name: ClassVar[str]  # dotted: 'layout.page-size'
    title_id: ClassVar[str]  # the finding in a few words (a message id, shown translated)
    clause: ClassVar[str]  # where the decree says it: 'Phụ lục I, Phần I, Mục I'
    severity: ClassVar[str]  # 'error' or 'warning'
    targets: ClassVar[tuple[str, ...]]  # the document view's elements it judges
    fixable: ClassVar[bool] = False

    def evaluate(self, doc: DocumentView) -> list[Finding] | None:
        raise NotImplementedError

    @property
    def title(self) -> str:
        return _(self.title_id)

    def _example(self, label: str) -> str:
        for line in inspect.getdoc(self).splitlines():
            if line.startswith(f"{label}:"):
                return line[len(label) + 1:].strip()
        return ""

    @property
    def wrong(self) -> str:
        return self._example("Wrong")

    @property
    def right(self) -> str:
        return self._example("Right")

    def __repr__(self) -> str:
        return f"<rule {self.code} {self.name}>"
