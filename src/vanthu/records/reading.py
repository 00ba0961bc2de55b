"""Which files hold records, and reading them whatever their kind (YAML or workbook)."""

from __future__ import annotations

from pathlib import Path

from ..errors import Origin, Problem
from ..i18n import _
from .source import RawRecord
from .yaml_reader import YamlReadError, read_yaml

YAML_SUFFIXES = (".yaml", ".yml")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
RECORD_SUFFIXES = YAML_SUFFIXES + WORKBOOK_SUFFIXES


def read_records(path: Path) -> tuple[list[RawRecord], list[Problem]]:
    """The records of a file, and the problems that belong to no single record."""
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        from .excel_reader import read_workbook  # openpyxl: loaded only when a workbook is read

        return read_workbook(path)
    if suffix not in YAML_SUFFIXES:
        return [], [Problem(Origin(str(path)), "", _("not a record file (expected .yaml, .yml or .xlsx)"))]
    try:
        return read_yaml(path), []
    except YamlReadError as exc:
        return [], [exc.problem]
