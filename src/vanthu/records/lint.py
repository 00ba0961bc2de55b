"""`vanthu lint`: check records without rendering them, and write repaired copies.

Reports every validation problem and every hygiene repair or finding, each at its origin.
Repairs go to a copy (NAME.fixed.yaml / NAME.fixed.xlsx) or to a diff; the original file is
never changed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from openpyxl import load_workbook

from ..errors import Problem
from ..i18n import _
from .hygiene import repair_text, text_checks
from .reading import WORKBOOK_SUFFIXES, YAML_SUFFIXES, read_records
from .source import RawRecord, dotted
from .validate import validate_record
from .yaml_reader import _Loader


@dataclass
class LintResult:
    path: Path
    problems: list[Problem] = field(default_factory=list)
    fixed: bytes | None = None  # the repaired copy, when there is anything to repair
    diff: str = ""

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")


def _text_findings(raw: RawRecord) -> list[Problem]:
    out: list[Problem] = []

    def walk(value: Any, path: tuple) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, (*path, k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, (*path, i))
        elif isinstance(value, str):
            for severity, message, values in text_checks(repair_text(value)[0]):
                out.append(Problem(raw.origin(path), dotted(path), _(message).format(**values), severity))

    walk(raw.data, ())
    return out


def _repaired_yaml(text: str) -> str:
    """The file with each text value repaired in place (comments and layout kept)."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    spans: list[tuple[int, int]] = []

    def collect(node: yaml.Node | None) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                collect(key)
                collect(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                collect(item)
        elif isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
            spans.append((node.start_mark.index, node.end_mark.index))

    collect(root)
    out, last = [], 0
    for start, end in sorted(spans):
        out.append(text[last:start])
        out.append(repair_text(text[start:end])[0])
        last = end
    out.append(text[last:])
    return "".join(out)


def _repaired_workbook(path: Path) -> tuple[bytes | None, list[str]]:
    import io

    try:
        book = load_workbook(path)
    except Exception:  # unreadable: read_records has said so; there is nothing to repair
        return None, []
    changes = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    fixed = repair_text(cell.value)[0]
                    if fixed != cell.value:
                        changes.append(f"{sheet.title}!{cell.coordinate}: '{cell.value}' → '{fixed}'")
                        cell.value = fixed
    if not changes:
        return None, []
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), changes


def lint_file(path: Path) -> LintResult:
    result = LintResult(path)
    suffix = path.suffix.lower()
    records, problems = read_records(path)
    result.problems += problems
    if suffix not in YAML_SUFFIXES + WORKBOOK_SUFFIXES or (suffix in YAML_SUFFIXES and not records):
        return result  # not a record file, or YAML that does not parse: nothing to repair
    for raw in records:
        _doc, found = validate_record(raw)
        findings = _text_findings(raw)
        # generate warns of what lint calls an error (an impossible date): lint says it once, as an error
        stronger = {(str(p.origin), p.message) for p in findings}
        result.problems += [p for p in found if (str(p.origin), p.message) not in stronger]
        result.problems += findings
    if suffix in YAML_SUFFIXES:
        text = path.read_text(encoding="utf-8")
        repaired = _repaired_yaml(text)
        if repaired != text:
            result.fixed = repaired.encode("utf-8")
            result.diff = "".join(difflib.unified_diff(
                text.splitlines(keepends=True), repaired.splitlines(keepends=True),
                fromfile=str(path), tofile=str(fixed_path(path))))
    else:
        result.fixed, changes = _repaired_workbook(path)
        result.diff = "".join(f"{path}:{line}\n" for line in changes)
    return result


def fixed_path(path: Path, out_dir: Path | None = None) -> Path:
    """Where the repaired copy goes: NAME.fixed.SUFFIX beside the original, or in out_dir."""
    name = f"{path.stem}.fixed{path.suffix}"
    return (out_dir / name) if out_dir else path.with_name(name)
