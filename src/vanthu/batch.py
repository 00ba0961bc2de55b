"""Generate documents in batches: files, folders and workbooks, on several processes.

Per record: load → validate → render → write. A bad record never stops the others; a rerun
skips documents whose inputs (record content, template, vanthu version) are unchanged; the
outcome of every record goes to batch-report.json in the output folder.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import __version__
from .errors import ConfigurationError, Origin, Problem
from .i18n import _, current_language, set_language
from .model import VanBan
from .nd30.doc_types import template_for
from .nd30.numbering import format_number, ky_hieu
from .nd30.references import unreferenced_appendices
from .records.merge import MergeError, Recipient, merged, read_recipients
from .records.reading import RECORD_SUFFIXES, WORKBOOK_SUFFIXES, read_records
from .records.source import RawRecord
from .records.validate import validate_record
from .render.context import build_context
from .render.docx_zip import write_temporary
from .render.engine import CompiledTemplate
from .render.naming import NamePattern, NamePatternError, ascii_slug, is_numbered_variant, output_name, safe_target
from .render_state import Rendered, RenderState

REPORT_FILE = "batch-report.json"


def builtin_template_dir() -> Path:
    """templates/ at the top of the project (built by tools/build_templates.py)."""
    return Path(__file__).resolve().parents[2] / "templates"


@dataclass
class RecordResult:
    """What became of one record (or of an input that yielded no record)."""

    source: str
    status: str = "failed"  # written, unchanged, failed; removed: the record is gone, so is its file
    output: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    identity: str = ""
    input_hash: str = ""
    name: str = ""  # proposed file name
    temp: Path | None = None  # the rendered document, written by the worker, renamed by the batch
    digest: str = ""  # sha256 of the rendered document
    replaced: Path | None = None  # the record's earlier file, removed as it now has another name
    order: int = -1  # position in its input file (record × recipient); -1 for the file's own problems

    @property
    def ok(self) -> bool:
        return self.status in ("written", "unchanged")


@dataclass(frozen=True)
class BatchOptions:
    out_dir: Path
    template: Path | None = None
    merge: Path | None = None
    force: bool = False
    jobs: int = 1
    strict: bool = False  # a record with any warning (a hygiene repair …) fails
    name_pattern: NamePattern | None = None  # --name


# ---- inputs -------------------------------------------------------------------------------

def record_files(paths: list[Path]) -> list[Path]:
    """The record files named, folders searched recursively, in a stable order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix.lower() in RECORD_SUFFIXES and p.is_file()
                            and not p.name.startswith(("~$", ".")))
        elif path.is_file():
            files.append(path)
        else:
            raise ConfigurationError(_("no such file or folder: {path}").format(path=path))
    return files


# ---- one record ---------------------------------------------------------------------------

class Renderer:
    """Templates compiled once per process, shared by every record it renders."""

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
    for number in unreferenced_appendices(doc.noi_dung, len(doc.phu_luc)):
        out.append(Problem(raw.origin(("noi_dung",)), "noi_dung", _(
            "the body does not refer to Phụ lục {number}; the decree requires the text to point to each "
            "appendix").format(number=number), "warning"))
    return out


def input_hash(raw: RawRecord, template: CompiledTemplate) -> str:
    """What the output depends on: the record's content, the template's bytes, vanthu's version."""
    digest = hashlib.sha256()
    digest.update(json.dumps(raw.data, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
    digest.update(template.digest.encode())
    digest.update(__version__.encode())
    return digest.hexdigest()


class MissingVariablesError(Exception):
    def __init__(self, names: list[str]):
        super().__init__(", ".join(names))
        self.names = names


def write_document(doc: VanBan, template: CompiledTemplate, out_dir: Path) -> tuple[Path, str]:
    """The rendering path of one validated record: context, template, zip, a temporary file.

    Returns the temporary file (the batch renames it into place) and its sha256. Raises
    MissingVariablesError, jinja2.TemplateError or OSError. bench/render.py times this function.
    """
    context = build_context(doc, main_sectpr=template.main_sectpr, appendix_footer_rid=template.appendix_footer_rid)
    missing = template.missing(context)
    if missing:
        raise MissingVariablesError(missing)
    data = template.render(context)
    # the worker writes the file; the batch only gives it its final name (a rename)
    return write_temporary(out_dir, data), hashlib.sha256(data).hexdigest()


def file_name(doc: VanBan, recipient: Recipient | None, pattern: NamePattern | None = None) -> str:
    """The document's file name: from the batch's --name pattern, or type_number_date_summary."""
    if pattern is None:
        summary = doc.trich_yeu + (f" {ascii_slug(str(recipient.fields.get('kinh_gui', '')), 40)}"
                                   if recipient else "")
        return output_name(doc.loai.key, doc.so, doc.ngay.isoformat() if doc.ngay else None, summary)
    values = {
        "loai": doc.loai.key.replace("_", "-"),
        "so": format_number(doc.so).strip() or "chua-so",
        "ky_hieu": ky_hieu(doc.loai, [a.viet_tat for a in doc.co_quan], doc.don_vi_soan_thao),
        "ngay": doc.ngay.isoformat() if doc.ngay else "chua-ngay",
        "trich_yeu": doc.trich_yeu,
        "co_quan": doc.co_quan[0].viet_tat,
        "kinh_gui": doc.kinh_gui[0] if doc.kinh_gui else "",
    }
    groups = {"nguoi_nhan": recipient.fields if recipient else {}, "du_lieu": doc.du_lieu}
    return pattern.name(values, groups)


def render_record(raw: RawRecord, renderer: Renderer, identity: str, previous: Rendered | None,
                  out_dir: Path, force: bool, recipient: Recipient | None = None,
                  strict: bool = False, name_pattern: NamePattern | None = None) -> RecordResult:
    """Validate and render one record into a temporary file in out_dir; the batch names it."""
    result = RecordResult(raw.label, identity=identity)
    doc, problems = validate_record(raw)
    result.problems += problems
    if doc is None:
        return result
    result.problems += _warnings(doc, raw)
    if strict and result.problems:
        result.problems.append(Problem(raw.origin(()), "", _("--strict: the warnings above stop this record")))
        return result
    template = renderer.template_for(doc)
    if template is None:
        result.problems.append(Problem(raw.origin(("loai",)), "loai", _(
            "vanthu has no built-in template for '{type}'; give your own with --template").format(type=doc.loai.name)))
        return result
    result.input_hash = input_hash(raw, template)
    result.name = file_name(doc, recipient, name_pattern)
    # unchanged only under the name it would get now (a new --name pattern renames it)
    if previous and not force and previous.input == result.input_hash \
            and is_numbered_variant(previous.name, result.name):
        existing = out_dir / previous.name
        if existing.is_file() and hashlib.sha256(existing.read_bytes()).hexdigest() == previous.sha256:
            result.status, result.name = "unchanged", previous.name
            return result
    try:
        result.temp, result.digest = write_document(doc, template, out_dir)
    except MissingVariablesError as exc:
        for name in exc.names:
            result.problems.append(Problem(raw.origin(()), name, _(
                "the template {template} uses '{name}', which the record does not provide").format(
                template=template.path.name, name=name)))
        return result
    except jinja2.TemplateError as exc:
        result.problems.append(Problem(raw.origin(()), "", _("the template {template} failed: {detail}").format(
            template=template.path.name, detail=exc)))
        return result
    except OSError as exc:
        result.problems.append(Problem(raw.origin(()), "", _("cannot write {path}: {detail}").format(
            path=out_dir, detail=exc.strerror or exc)))
        return result
    result.status = "written"
    return result


# ---- one input file (the unit of work of a process) ----------------------------------------

@dataclass
class _WorkerState:
    options: BatchOptions
    previous: RenderState
    renderer: Renderer | None = None
    recipients: list[Recipient] | None = None
    # the last file read, so a worker given several parts of one workbook reads it once
    cached: tuple[tuple, tuple[list[RawRecord], list[Problem]]] | None = None


_worker: _WorkerState | None = None


def _init_worker(options: BatchOptions, lang: str) -> None:
    global _worker
    set_language(lang)
    _worker = _WorkerState(options, RenderState(options.out_dir))


@dataclass(frozen=True)
class Progress:
    """Where a batch is: after each work unit (a file, or a part of a big one)."""

    path: Path
    units_done: int
    units: int
    files_done: int
    files: int
    file_finished: bool  # this unit was the file's last part


@dataclass(frozen=True)
class WorkUnit:
    """Part `part` of `parts` of one input file: the records (× recipients) whose position
    in the file is part modulo parts. A big workbook or a mail merge is spread over processes
    this way; every part reads the file, each process once."""

    path: Path
    part: int = 0
    parts: int = 1


_SPLIT_BYTES = 256 * 1024  # a YAML file this big holds hundreds of records
PARTS_PER_JOB = 8  # parts a big input is cut into, per process: progress moves, the load evens out


def work_units(files: list[Path], jobs: int, merge: bool) -> list[WorkUnit]:
    """Each file whole, unless it must be shared: a mail merge (many documents from one small
    file), or a big file among too few files to keep every process busy (every process
    reading it costs less than leaving processes idle)."""
    few = len(files) < 2 * jobs
    units = []
    for path in files:
        big = path.suffix.lower() in WORKBOOK_SUFFIXES or path.stat().st_size > _SPLIT_BYTES
        parts = PARTS_PER_JOB * jobs if merge or (few and big) else 1
        units += [WorkUnit(path, part, parts) for part in range(parts)]
    return units


def _read_cached(state: _WorkerState, path: Path) -> tuple[list[RawRecord], list[Problem]]:
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if state.cached is None or state.cached[0] != key:
        state.cached = (key, read_records(path))
    return state.cached[1]


def _unexpected(source: str, origin: Origin, exc: Exception, identity: str = "") -> RecordResult:
    """A failure from a fault of vanthu's own, said in a line like any other problem."""
    return RecordResult(source, identity=identity, problems=[Problem(origin, "", _(
        "unexpected error: {detail}").format(detail=f"{type(exc).__name__}: {exc}"))])


def _process_unit(unit: WorkUnit) -> list[RecordResult]:
    state = _worker
    assert state is not None
    options = state.options
    if state.renderer is None:
        state.renderer = Renderer(options.template)
        if options.merge:
            state.recipients = read_recipients(options.merge)
    path = unit.path
    try:
        records, problems = _read_cached(state, path)
    except Exception as exc:  # a fault of vanthu's own in reading: this file fails, the batch goes on
        return [_unexpected(str(path), Origin(str(path)), exc)] if unit.part == 0 else []
    results = [RecordResult(f"{p.origin}", problems=[p]) for p in problems if p.severity == "error"] \
        if unit.part == 0 else []
    warnings = [p for p in problems if p.severity == "warning"]
    base = str(path.resolve())
    recipients: list[Recipient | None] = list(state.recipients) if state.recipients is not None else [None]
    order = -1
    for raw in records:
        key = raw.file.split(":")[-1] if path.suffix.lower() in WORKBOOK_SUFFIXES else str(raw.index)
        for recipient in recipients:
            order += 1
            if order % unit.parts != unit.part:
                continue
            # the file's warnings go with its first record (every recipient of it)
            source = raw if not (warnings and raw is records[0]) else RawRecord(
                raw.data, None, raw.file, raw.index, warnings + raw.problems, in_list=raw.in_list,
                locate=lambda raw=raw: raw.origins)
            identity = f"{base}#{key}" if recipient is None else f"{base}#{key}@{recipient.key}"
            try:
                record = source if recipient is None else merged(source, recipient)
                result = render_record(record, state.renderer, identity, state.previous.lookup(identity),
                                       options.out_dir, options.force, recipient, options.strict,
                                       options.name_pattern)
            except Exception as exc:  # a fault of vanthu's own must not cost the rest of the batch
                result = _unexpected(source.label, source.origin(()), exc, identity)
            result.order = order
            results.append(result)
    return results


# ---- the batch ----------------------------------------------------------------------------

def generate(paths: list[Path], out_dir: Path, template: Path | None = None, *, merge: Path | None = None,
             force: bool = False, jobs: int = 1, strict: bool = False, name: str | None = None,
             on_progress: Callable[[Progress], None] | None = None) -> Iterator[RecordResult]:
    """Yield one result per record (or per unreadable input), writing documents as they come.

    name is a file-name pattern (`--name`, see render/naming.NamePattern); on_progress is
    called after each work unit.
    """
    files = record_files(paths)
    try:
        pattern = NamePattern.parse(name, merge=merge is not None) if name is not None else None
    except NamePatternError as exc:
        raise ConfigurationError(str(exc)) from None
    if template is not None:
        CompiledTemplate.load(template)  # a bad template is a configuration error, before any work
    if merge is not None:
        try:
            read_recipients(merge)
        except MergeError as exc:
            raise ConfigurationError(str(exc.problem)) from None
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(_("cannot create the output folder {path}: {detail}").format(
            path=out_dir, detail=exc.strerror or exc)) from None
    out_dir = out_dir.resolve()
    options = BatchOptions(out_dir, template, merge, force, jobs, strict, pattern)
    state = RenderState(out_dir, writer=True)
    # The report is streamed to disk as it grows, so memory stays flat however long the batch.
    report = _ReportWriter(out_dir)

    def finish(result: RecordResult) -> RecordResult:
        if result.status in ("written", "unchanged"):
            old = state.lookup(result.identity)
            if old and (result.status == "unchanged" or is_numbered_variant(old.name, result.name)):
                name = old.name  # a record keeps its file name from run to run
            elif (holder := state.holder(result.name)) and holder[0] != result.identity \
                    and holder[1].input == result.input_hash and not state.named_now(holder[0]):
                # the same record, moved in its file (one before it was removed): its file is its own
                name = result.name
                state.forget(holder[0])
            else:
                name = safe_target(out_dir, result.name, state.name_taken).name
            target = out_dir / name
            if result.temp is not None:
                try:
                    os.replace(result.temp, target)
                except OSError as exc:
                    result.temp.unlink(missing_ok=True)
                    result.status = "failed"
                    result.problems.append(Problem(Origin(result.source), "", _(
                        "cannot write {path}: {detail}").format(path=target, detail=exc.strerror or exc)))
                result.temp = None
            if result.ok:
                result.output = target
                state.remember(result.identity, Rendered(result.input_hash, name,
                                                         result.digest or (old.sha256 if old else "")))
                if old and old.name != name:
                    result.replaced = _remove_unedited(out_dir / old.name, old.sha256)
        report.add(result)
        return result

    units = work_units(files, jobs, merge is not None)
    pending: list[RecordResult] = []  # the parts of one file so far, put back in order at its last
    files_done = 0

    def gone(path: Path, results: list[RecordResult]) -> Iterator[RecordResult]:
        """Documents of records no longer in a file that was read whole: removed (unless edited)."""
        if any(r.order == -1 for r in results):
            return  # the file itself has a problem: its records cannot be told apart from lost ones
        seen = {r.identity for r in results}
        for identity, rendered in state.of_input(str(path.resolve())):
            if identity in seen:
                continue
            state.forget(identity)
            target = out_dir / rendered.name
            if state.holder(rendered.name) is None and _remove_unedited(target, rendered.sha256):
                removed = RecordResult(str(path), status="removed", output=target, identity=identity)
                report.add(removed)
                yield removed

    def unit_done(unit: WorkUnit, results: list[RecordResult], done: int) -> Iterator[RecordResult]:
        nonlocal files_done
        pending.extend(results)
        last = unit.part == unit.parts - 1
        if last:
            pending.sort(key=lambda r: r.order)
            for result in pending:
                yield finish(result)
            yield from gone(unit.path, pending)
            pending.clear()
            files_done += 1
        if on_progress:
            on_progress(Progress(unit.path, done, len(units), files_done, len(files), last))

    try:
        if jobs <= 1 or len(units) <= 1:
            _init_worker(options, current_language())
            for done, unit in enumerate(units, 1):
                yield from unit_done(unit, _process_unit(unit), done)
        else:
            # Forked workers share the parent's heap copy-on-write; keep the collector from
            # touching (and so copying) every page of it.
            gc.freeze()
            remaining, workers = units, jobs
            while remaining:
                served = 0
                try:
                    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                             initargs=(options, current_language())) as pool:
                        for unit, results in zip(remaining, pool.map(_process_unit, remaining), strict=True):
                            served += 1
                            yield from unit_done(unit, results, len(units) - len(remaining) + served)
                            state.checkpoint()
                    remaining = []
                except BrokenProcessPool:
                    # A process was killed (out of memory, a crash in a library), taking with it
                    # the units in flight. What was finished stays. The rest goes on one unit at
                    # a time, so the unit that kills its process again is known and reported.
                    remaining = remaining[served:]
                    if workers == 1:
                        unit = remaining[0]
                        failed = RecordResult(str(unit.path), problems=[Problem(Origin(str(unit.path)), "", _(
                            "a rendering process stopped unexpectedly (out of memory, or a crash in a library) "
                            "while rendering this file{part}; the other files' documents are kept").format(
                            part=f" ({unit.part + 1}/{unit.parts})" if unit.parts > 1 else ""))])
                        yield from unit_done(unit, [failed], len(units) - len(remaining) + 1)
                        remaining = remaining[1:]
                    workers = 1
    finally:
        for leftover in out_dir.glob(".vanthu.*.tmp"):  # documents rendered but never named (interrupted)
            leftover.unlink(missing_ok=True)
        state.close()
        if _worker is not None and _worker.previous is not None:
            _worker.previous.close()
        report.close()


def _remove_unedited(path: Path, sha256: str) -> Path | None:
    """Remove a file vanthu wrote (the record's name changed, or the record is gone), unless
    someone has edited it since; the path when it was removed."""
    try:
        if hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
            return None
        path.unlink()
    except OSError:
        return None
    return path


class _ReportWriter:
    """batch-report.json: counts first, then one entry per record, in the order of the inputs."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / REPORT_FILE
        self.counts = {"written": 0, "unchanged": 0, "failed": 0, "removed": 0}
        self.entries = write_temporary(out_dir, b"", "report")
        self.handle = self.entries.open("w", encoding="utf-8")

    def add(self, result: RecordResult) -> None:
        self.counts[result.status] += 1
        entry = {"source": result.source, "status": result.status,
                 "output": str(result.output) if result.output else None,
                 **({"replaced": str(result.replaced)} if result.replaced else {}),
                 "problems": [{"where": str(p.origin), "field": p.field, "severity": p.severity,
                               "message": p.message} for p in result.problems]}
        self.handle.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.handle.close()
        head = json.dumps({"vanthu": __version__, **self.counts}, ensure_ascii=False)[:-1]
        tmp = write_temporary(self.path.parent, b"", self.path.name)
        try:
            with tmp.open("w", encoding="utf-8") as out, self.entries.open(encoding="utf-8") as lines:
                out.write(head + ', "records": [\n')
                for i, line in enumerate(lines):
                    out.write((",\n" if i else "") + line.rstrip("\n"))
                out.write("\n]}\n")
            os.replace(tmp, self.path)
        finally:
            tmp.unlink(missing_ok=True)
            self.entries.unlink(missing_ok=True)


def default_jobs() -> int:
    return os.cpu_count() or 1
