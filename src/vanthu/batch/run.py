"""A batch: files, folders and workbooks rendered on several processes, named into the output
folder, its rerun state kept, every outcome reported.

Per record: load → validate → render → write (batch/record.py). A bad record never stops the
others; a rerun skips documents whose inputs (record content, template, vanthu version) are
unchanged; the outcome of every record goes to batch-report.json in the output folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigurationError, Origin, Problem
from ..i18n import _
from ..naming import NamePattern, is_numbered_variant, safe_target
from ..records.merge import MergeError, read_recipients
from ..render.engine import CompiledTemplate
from .inputs import WorkUnit, record_files, work_units
from .lock import FolderLock, remove_leftovers
from .numbering import plan
from .pool import BatchOptions, close_worker, run_units
from .record import RecordResult
from .report import ReportWriter
from .state import Rendered, RenderState

if TYPE_CHECKING:  # the register (SQLAlchemy) is loaded only by a batch that uses it
    from ..register.store import Register


@dataclass(frozen=True)
class Progress:
    """Where a batch is: after each work unit (a file, or a part of a big one)."""

    path: Path
    units_done: int
    units: int
    files_done: int
    files: int
    file_finished: bool  # this unit was the file's last part
    documents_done: int = 0  # records (× recipients) finished so far, failed ones included
    # the batch's records: exact once every file has been read, until then an estimate (a part of
    # a cut file knows its count; the files not read yet are taken to hold as many as those read)
    documents: int = 0


def generate(paths: list[Path], out_dir: Path, template: Path | None = None, *, merge: Path | None = None,
             force: bool = False, jobs: int = 1, strict: bool = False, name: str | None = None,
             on_progress: Callable[[Progress], None] | None = None, on_note: Callable[[str], None] | None = None,
             wait: bool = True, wait_timeout: float = 600.0, register: Register | None = None,
             today: dt.date | None = None, draft: bool = False, profile: Path | None = None
             ) -> Iterator[RecordResult]:
    """Yield one result per record (or per unreadable input), writing documents as they come.

    name is a file-name pattern (`--name`, see naming.NamePattern); on_progress is called
    after each work unit, on_note with what the batch says once (a damaged state set aside,
    waiting for another run). With wait=False a folder another run holds is refused at once.
    With a register, the batch's numbers are allocated (so: auto) or registered (typed) in one
    transaction before any rendering; today is the allocation date (Vietnam's, by default).
    draft: every document marked as a draft, số and date blank (never numbered: pass no register).
    profile: the agency profile (vanthu.toml) for every file; None: each file's nearest one.
    """
    files = record_files(paths)
    pattern = NamePattern.parse(name, merge=merge is not None) if name is not None else None  # NamePatternError: 2
    if template is not None:
        # a bad template is a configuration error, before any work; what it lacks is said once
        for note in CompiledTemplate.load(template).notes:
            if on_note:
                on_note(note)
    recipients = None
    if merge is not None:
        try:
            recipients = read_recipients(merge)
        except MergeError as exc:
            raise ConfigurationError(str(exc.problem)) from None
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(_("cannot create the output folder {path}: {detail}").format(
            path=out_dir, detail=exc.strerror or exc)) from None
    out_dir = out_dir.resolve()
    lock = FolderLock(out_dir)
    lock.acquire(wait=wait, timeout=wait_timeout, on_wait=on_note)
    try:
        numbers = plan(files, register, merge_recipients=recipients, strict=strict, today=today,
                       profile=profile) if register is not None else None
        written: list[str] = []
        for result in _run(files, out_dir, BatchOptions(out_dir, template, merge, force, jobs, strict, pattern,
                                                        numbers, draft, profile), on_progress, on_note):
            if result.ok and result.register_key:
                written.append(result.register_key)
            yield result
        if register is not None:
            from ..register.allocate import mark_written

            mark_written(register, sorted(set(written)))
    finally:
        lock.release()


# How often a parallel batch commits its rerun state: the workers do not read what this run named,
# so the commit only bounds what a killed run's rerun must find again from the files themselves.
CHECKPOINT_SECONDS = 0.5


def _run(files: list[Path], out_dir: Path, options: BatchOptions, on_progress: Callable[[Progress], None] | None,
         on_note: Callable[[str], None] | None) -> Iterator[RecordResult]:
    jobs = options.jobs
    remove_leftovers(out_dir)  # a killed run's temporary files: this run holds the folder now
    state = RenderState(out_dir, writer=True)
    if state.set_aside is not None and on_note:
        on_note(_("the folder's state file was damaged: moved aside as {path}; the state is rebuilt from the "
                  "documents in the folder").format(path=state.set_aside.name))
    report = ReportWriter(out_dir)
    units = _Counted(work_units(files, jobs, options.merge is not None))
    folder = _Folder(out_dir, state, report)
    pending: list[RecordResult] = []  # the parts of one file so far, put back in order at its last
    seen: set[str] = set()  # the records of the current file finished so far
    whole = True  # no part of the file failed to be read
    files_done = 0
    documents_done = counted_units = counted_documents = 0
    committed = time.monotonic()
    try:
        for done, (unit, results) in enumerate(run_units(units, options), 1):
            records = sum(1 for r in results if r.order != -1)
            documents_done += records
            units.finished(unit)
            if unit.span is None:
                counted_units += 1
                counted_documents += records
            last = unit.last
            if unit.span is not None:  # a run of records of its own: finished as it comes, memory stays flat
                ready = sorted(results, key=lambda r: r.order)
            else:  # every n-th record of a file: its parts are put back in order at its last
                pending.extend(results)
                ready = sorted(pending, key=lambda r: r.order) if last else []
            for result in ready:
                whole = whole and result.order != -1
                seen.add(result.identity)
                yield folder.finish(result)
            if last:
                if whole:
                    yield from folder.gone(unit, seen)
                pending.clear()
                seen = set()
                whole = True
                files_done += 1
            if jobs > 1 and time.monotonic() - committed >= CHECKPOINT_SECONDS:
                state.checkpoint()  # batched: a commit a few times a second, not one per input file
                committed = time.monotonic()
            if on_progress:
                mean = counted_documents / counted_units if counted_units else 1
                ahead = units.known + round(units.unknown * mean)
                on_progress(Progress(unit.path, done, done + units.ahead, files_done, len(files), last,
                                     documents_done, documents_done + ahead))
    finally:
        for leftover in out_dir.glob(".vanthu.*.tmp"):  # documents rendered but never named (interrupted)
            leftover.unlink(missing_ok=True)
        state.close()
        close_worker()
        report.close()


class _Counted:
    """The work units as they are produced, and what is known of those not finished yet."""

    def __init__(self, units: Iterator[WorkUnit]):
        self.units = units
        self.ahead = 0  # produced, not finished
        self.known = 0  # records of the cut runs produced, not finished
        self.unknown = 0  # other units produced, not finished (their records are counted when read)

    def __iter__(self) -> Iterator[WorkUnit]:
        for unit in self.units:
            self.ahead += 1
            if unit.span is not None:
                self.known += unit.span.count
            else:
                self.unknown += 1
            yield unit

    def finished(self, unit: WorkUnit) -> None:
        self.ahead -= 1
        if unit.span is not None:
            self.known -= unit.span.count
        else:
            self.unknown -= 1


class _Folder:
    """The output folder: gives each rendered document its final name, keeps the rerun state."""

    def __init__(self, out_dir: Path, state: RenderState, report: ReportWriter):
        self.out_dir, self.state, self.report = out_dir, state, report

    def finish(self, result: RecordResult) -> RecordResult:
        state, out_dir = self.state, self.out_dir
        if result.status in ("written", "unchanged"):
            old = state.lookup(result.identity)
            if old and (result.status == "unchanged" or is_numbered_variant(old.name, result.name)):
                name = old.name  # a record keeps its file name from run to run
            elif (holder := state.holder(result.name)) and holder[0] != result.identity \
                    and holder[1].input == result.input_hash and not state.named_now(holder[0]):
                # the same record, moved in its file (one before it was removed): its file is its own
                name = result.name
                state.forget(holder[0])
            elif result.temp is not None and state.holder(result.name) is None \
                    and _same_bytes(out_dir / result.name, result.digest):
                name = result.name  # the very document, there already (the state was lost): it is this record's
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
                    result.replaced = remove_unedited(out_dir / old.name, old.sha256)
        self.report.add(result)
        return result

    def gone(self, unit: WorkUnit, seen: set[str]) -> Iterator[RecordResult]:
        """Documents of records no longer in a file that was read whole (its records' identities
        `seen`): removed, unless edited. Not called for a file with a problem of its own: its
        records cannot be told apart from lost ones."""
        for identity, rendered in self.state.of_input(str(unit.path.resolve())):
            if identity in seen:
                continue
            self.state.forget(identity)
            target = self.out_dir / rendered.name
            if self.state.holder(rendered.name) is None and remove_unedited(target, rendered.sha256):
                removed = RecordResult(str(unit.path), status="removed", output=target, identity=identity)
                self.report.add(removed)
                yield removed


def _same_bytes(path: Path, sha256: str) -> bool:
    try:
        return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    except OSError:
        return False


def remove_unedited(path: Path, sha256: str) -> Path | None:
    """Remove a file vanthu wrote (the record's name changed, or the record is gone), unless
    someone has edited it since; the path when it was removed."""
    try:
        if hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
            return None
        path.unlink()
    except OSError:
        return None
    return path
