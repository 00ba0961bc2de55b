"""Generate documents from record files: load → validate → render → write, record by record.

A bad record never stops the others; each outcome is reported with its problems.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .errors import ConfigurationError, Origin, Problem
from .i18n import _
from .model import VanBan
from .nd30.doc_types import template_for
from .records.source import RawRecord
from .records.validate import validate_record
from .records.yaml_reader import YamlReadError, read_yaml
from .render.context import build_context
from .render.docx_zip import atomic_write
from .render.engine import CompiledTemplate
from .render.markup import mentions_appendix
from .render.naming import output_name, safe_target

RECORD_SUFFIXES = (".yaml", ".yml")


def builtin_template_dir() -> Path:
    """templates/ at the top of the project (built by tools/build_templates.py)."""
    return Path(__file__).resolve().parents[2] / "templates"


@dataclass
class RecordResult:
    source: str
    output: Path | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.output is not None


@dataclass
class BatchResult:
    results: list[RecordResult] = field(default_factory=list)

    @property
    def written(self) -> list[RecordResult]:
        return [r for r in self.results if r.ok]

    @property
    def failed(self) -> list[RecordResult]:
        return [r for r in self.results if not r.ok]


def record_files(paths: list[Path]) -> list[Path]:
    """The record files named, folders searched recursively, in a stable order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix.lower() in RECORD_SUFFIXES and p.is_file())
        elif path.is_file():
            files.append(path)
        else:
            raise ConfigurationError(_("no such file or folder: {path}").format(path=path))
    return files


def read_records(path: Path) -> tuple[list[RawRecord], list[Problem]]:
    if path.suffix.lower() not in RECORD_SUFFIXES:
        return [], [Problem(Origin(str(path)), "", _("not a record file (expected .yaml or .yml)"))]
    try:
        return read_yaml(path), []
    except YamlReadError as exc:
        return [], [exc.problem]


class Renderer:
    """Templates compiled once per batch, shared by every record."""

    def __init__(self, user_template: Path | None = None):
        self.user_template = CompiledTemplate.load(user_template) if user_template else None
        self._builtin: dict[str, CompiledTemplate] = {}

    def template_for(self, doc: VanBan) -> CompiledTemplate | None:
        if self.user_template:
            return self.user_template
        name = template_for(doc.loai)
        if name is None:
            return None
        if name not in self._builtin:
            self._builtin[name] = CompiledTemplate.load(builtin_template_dir() / name)
        return self._builtin[name]


def _warnings(doc: VanBan, raw: RawRecord) -> list[Problem]:
    out = []
    if doc.phu_luc and not mentions_appendix(doc.noi_dung):
        out.append(Problem(raw.origin(("noi_dung",)), "noi_dung", _(
            "the body does not refer to its appendix; the decree requires the text to point to each Phụ lục"),
            "warning"))
    return out


def render_record(raw: RawRecord, renderer: Renderer, out_dir: Path, taken: set[str]) -> RecordResult:
    result = RecordResult(raw.label)
    doc, problems = validate_record(raw)
    result.problems += problems
    if doc is None:
        return result
    result.problems += _warnings(doc, raw)
    template = renderer.template_for(doc)
    if template is None:
        result.problems.append(Problem(raw.origin(("loai",)), "loai", _(
            "vanthu has no built-in template for '{type}'; give your own with --template").format(type=doc.loai.name)))
        return result
    context = build_context(doc, main_sectpr=template.main_sectpr,
                            appendix_footer_rid=template.appendix_footer_rid)
    missing = template.missing(context)
    if missing:
        for name in missing:
            result.problems.append(Problem(raw.origin(()), name, _(
                "the template {template} uses '{name}', which the record does not provide").format(
                template=template.path.name, name=name)))
        return result
    try:
        data = template.render(context)
    except jinja2.TemplateError as exc:
        result.problems.append(Problem(raw.origin(()), "", _("the template {template} failed: {detail}").format(
            template=template.path.name, detail=exc)))
        return result
    name = output_name(doc.loai.key, doc.so, doc.ngay.isoformat() if doc.ngay else None, doc.trich_yeu)
    target = safe_target(out_dir, name, taken)
    try:
        atomic_write(target, data)
    except OSError as exc:
        result.problems.append(Problem(raw.origin(()), "", _("cannot write {path}: {detail}").format(
            path=target, detail=exc.strerror or exc)))
        return result
    result.output = target
    return result


def generate(paths: list[Path], out_dir: Path, template: Path | None = None) -> Iterator[RecordResult]:
    """Yield one result per record (or per unreadable file), rendering as it goes."""
    files = record_files(paths)
    renderer = Renderer(template)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(_("cannot create the output folder {path}: {detail}").format(
            path=out_dir, detail=exc.strerror or exc)) from None
    taken: set[str] = set()
    for path in files:
        records, problems = read_records(path)
        if problems:
            yield RecordResult(str(path), problems=problems)
            continue
        for raw in records:
            yield render_record(raw, renderer, out_dir, taken)
