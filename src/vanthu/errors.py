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
        # a workbook's cell already names its column: the field's internal name adds nothing
        field_part = f" [{self.field}]" if self.field and not self.origin.header else ""
        return f"{where}: {label}{field_part}: {self.message}"


class VanthuError(Exception):
    """The root of every error vanthu raises: a failure the user can act on.

    It carries where (an Origin: file:line:col or sheet!cell, and the field), what (the
    message, already in the user's language), what to do (hint) and its exit code. Only the
    CLI runtime turns one into a printed message; the library hands it to its caller.
    """

    exit_code = 1

    def __init__(self, message: str, problems: list[Problem] | None = None, *, origin: Origin | None = None,
                 field: str = "", hint: str = ""):
        super().__init__(message)
        self.message = message
        self.problems = problems or []
        self.origin = origin
        self.field = field
        self.hint = hint

    def __str__(self) -> str:
        where = f"{self.origin}: " if self.origin else ""
        field_part = f"[{self.field}] " if self.field else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{field_part}{self.message}{hint}"


class ConfigurationError(VanthuError):
    """Bad usage or configuration (a missing template, an unreadable option): exit code 2."""

    exit_code = 2


class RecordError(VanthuError):
    """A record that cannot be rendered; the problems say why, each with its origin."""


class UnreadableDocument(VanthuError):  # noqa: N818 - reads as the condition it names
    """Not a .docx, a corrupt one, or one too big to open safely: exit code 2."""

    exit_code = 2


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
