"""One error root. Every problem carries where it is, what it is, and what was expected.

Stages raise or collect `Problem`s; only the CLI turns them into text and exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .i18n import _


@dataclass(frozen=True)
class Origin:
    """Where a value came from: a file and a line/column, or a sheet cell."""

    file: str
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    cell: str | None = None  # 'VanBan!D7' for workbooks
    header: str | None = None  # the column header of that cell

    def __str__(self) -> str:
        if self.cell:
            return f"{self.file}:{self.cell}" + (f" ({self.header})" if self.header else "")
        if self.line is not None:
            return f"{self.file}:{self.line}:{self.column or 1}"
        return self.file


@dataclass(frozen=True)
class Problem:
    """One error or warning about a record, already in the user's language."""

    origin: Origin
    field: str  # dotted path of the field: 'nguoi_ky[0].ho_ten'; '' for the whole record
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = f"{self.origin}"
        label = _("error") if self.severity == "error" else _("warning")
        field_part = f" [{self.field}]" if self.field else ""
        return f"{where}: {label}{field_part}: {self.message}"


class VanthuError(Exception):
    """A failure the user can act on; the CLI prints it without a traceback."""

    exit_code = 1

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


class ConfigurationError(VanthuError):
    """Bad usage or configuration (a missing template, an unreadable option): exit code 2."""

    exit_code = 2


class RecordError(VanthuError):
    """A record that cannot be rendered; the problems say why, each with its origin."""


@dataclass
class Problems:
    """Problems collected for one record."""

    items: list[Problem] = field(default_factory=list)

    def add(self, origin: Origin, field_path: str, message: str, severity: str = "error") -> None:
        self.items.append(Problem(origin, field_path, message, severity))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]
