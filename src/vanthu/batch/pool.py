"""Work units on a pool of processes, and what happens when one of them dies.

Each process compiles the templates once and reads a file once however many of its parts
it is given. A process killed (out of memory, a crash in a library) costs only the unit it
was rendering: the rest goes on one unit at a time, so the unit that kills its process
again is known and reported.
"""

from __future__ import annotations

import gc
import itertools
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Origin, Problem, VanthuError
from ..i18n import _, current_language, set_language
from ..naming import NamePattern
from ..records.merge import Recipient, merged, read_recipients
from ..records.profile import Profiles, apply_profile, organ_id
from ..records.reading import WORKBOOK_SUFFIXES, read_records
from ..records.source import RawRecord
from ..records.yaml_reader import YamlReadError, read_yaml_part
from .inputs import WorkUnit
from .numbering import Numbered, numbered
from .record import RecordResult, Renderer, render_record, unexpected
from .state import RenderState

if TYPE_CHECKING:
    from concurrent.futures import Future


@dataclass(frozen=True)
class BatchOptions:
    out_dir: Path
    template: Path | None = None
    merge: Path | None = None
    force: bool = False
    jobs: int = 1
    strict: bool = False  # a record with any warning (a hygiene repair …) fails
    name_pattern: NamePattern | None = None  # --name
    numbers: dict[str, Numbered] | None = None  # from the register, by record key; None: no register
    draft: bool = False  # --draft: marked as drafts, số and date blank, no number from the register
    profile: Path | None = None  # --profile; None: each file's nearest vanthu.toml


@dataclass
class _WorkerState:
    options: BatchOptions
    previous: RenderState
    renderer: Renderer | None = None
    recipients: list[Recipient] | None = None
    # the last file read, so a worker given several parts of one workbook reads it once
    cached: tuple[tuple, tuple[list[RawRecord], list[Problem]]] | None = None
    profiles: Profiles | None = None  # each file's vanthu.toml, read once per folder


_worker: _WorkerState | None = None


def _init_worker(options: BatchOptions, lang: str) -> None:
    global _worker
    set_language(lang)
    _worker = _WorkerState(options, RenderState(options.out_dir))


def close_worker() -> None:
    """Close the in-process worker's state (the one used when the batch runs without a pool)."""
    if _worker is not None and _worker.previous is not None:
        _worker.previous.close()


def _read_cached(state: _WorkerState, unit: WorkUnit) -> tuple[list[RawRecord], list[Problem]]:
    path = unit.path
    if unit.span is not None:  # its own records only: nothing to keep for later parts
        try:
            return read_yaml_part(path, unit.span), []
        except YamlReadError as exc:  # as read_records says it for a whole file: a problem with its line
            return [], [exc.problem]
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if state.cached is None or state.cached[0] != key:
        state.cached = (key, read_records(path))
    return state.cached[1]


def review_key(raw: RawRecord, path: Path, key: str, recipient: Recipient | None) -> str:
    """The record's key from one batch to the next: its `ma`, else its file's name and its place
    in it (so a batch made from a copy of the records folder pairs with the one before)."""
    ma = raw.data.get("ma") if isinstance(raw.data, dict) else None
    base = f"ma:{str(ma).strip()}" if ma not in (None, "") else f"{path.name}#{key}"
    return base if recipient is None else f"{base}@{recipient.key}"


def process_unit(unit: WorkUnit) -> list[RecordResult]:
    """Every record (× recipient) of one work unit, rendered into temporary files."""
    state = _worker
    assert state is not None
    options = state.options
    if state.renderer is None:
        state.renderer = Renderer(options.template)
        if options.merge:
            state.recipients = read_recipients(options.merge)
    path = unit.path
    reports = unit.part == 0 or unit.span is not None  # a part read alone says what is wrong in it
    try:
        records, problems = _read_cached(state, unit)
    except VanthuError as exc:
        return [RecordResult(str(path), problems=[Problem(Origin(str(path)), "", exc.message)])] if reports else []
    except Exception as exc:  # a fault of vanthu's own in reading: this file fails (said, with its traceback)
        return [unexpected(str(path), Origin(str(path)), exc)] if reports else []
    results = [RecordResult(f"{p.origin}", problems=[p]) for p in problems if p.severity == "error"] \
        if reports else []
    warnings = [p for p in problems if p.severity == "warning"]
    if state.profiles is None:
        state.profiles = Profiles(options.profile)
    try:
        profile = state.profiles.for_file(path)
    except VanthuError as exc:
        return [RecordResult(str(path), problems=[Problem(Origin(str(path)), "", exc.message)])] \
            if unit.part == 0 else []
    base = str(path.resolve())
    recipients: list[Recipient | None] = list(state.recipients) if state.recipients is not None else [None]
    order = -1
    for original in records:
        raw = apply_profile(original, profile, path.parent)
        key = raw.file.split(":")[-1] if path.suffix.lower() in WORKBOOK_SUFFIXES else str(raw.index)
        for recipient in recipients:
            order += 1
            if unit.span is not None:
                order = raw.index  # the part holds its own records: their place is in the whole file
            elif order % unit.parts != unit.part:
                continue
            # the file's warnings go with its first record (every recipient of it)
            source = raw if not (warnings and original is records[0]) else RawRecord(
                raw.data, None, raw.file, raw.index, warnings + raw.problems, in_list=raw.in_list,
                locate=lambda raw=raw: raw.origins)
            identity = f"{base}#{key}" if recipient is None else f"{base}#{key}@{recipient.key}"
            register_key = ""
            try:
                refused: list[Problem] = []
                if options.numbers is not None:
                    source, register_key, refused = numbered(source, path, options.numbers)
                if refused:
                    result = RecordResult(source.label, identity=identity, problems=refused)
                else:
                    record = source if recipient is None else merged(source, recipient)
                    result = render_record(record, state.renderer, identity, state.previous.lookup(identity),
                                           options.out_dir, options.force, recipient, options.strict,
                                           options.name_pattern, options.draft)
            except Exception as exc:  # a fault of vanthu's own must not cost the rest of the batch
                result = unexpected(source.label, source.origin(()), exc, identity)
            result.register_key = register_key
            result.order = order
            organ = organ_id(original.data, profile)
            if organ and result.metadata:
                result.metadata.setdefault("exchange", {})["OrganId"] = organ
            result.key = review_key(source, path, key, recipient)
            results.append(result)
    return results


AHEAD = 8  # units handed out per process before the first comes back: the pool never waits for the feed


def run_units(units: Iterable[WorkUnit], options: BatchOptions) -> Iterator[tuple[WorkUnit, list[RecordResult]]]:
    """Each unit with its results, in the order of `units`, on options.jobs processes. `units`
    may be produced as the batch goes (a big file cut as it is read): they are taken a few at a
    time ahead of the processes, so producing them overlaps the rendering."""
    feed = iter(units)
    # One unit (one small file: a clerk's one document) renders in this process: starting a
    # pool costs more than the document.
    first = list(itertools.islice(feed, 2))
    feed = itertools.chain(first, feed)
    if options.jobs <= 1 or len(first) < 2:
        _init_worker(options, current_language())
        for unit in feed:
            yield unit, process_unit(unit)
        return
    from concurrent.futures import ProcessPoolExecutor  # multiprocessing: only for a pool
    from concurrent.futures.process import BrokenProcessPool

    # Forked workers share the parent's heap copy-on-write; keep the collector from
    # touching (and so copying) every page of it.
    gc.freeze()
    workers = options.jobs
    retry: list[WorkUnit] = []  # handed out, not yet served, when a process died
    while True:
        pending = itertools.chain(retry, feed)
        inflight: deque[tuple[WorkUnit, Future | None]] = deque()
        try:
            with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                     initargs=(options, current_language())) as pool:
                fed = False
                while True:
                    while not fed and len(inflight) < AHEAD * workers:
                        unit = next(pending, None)
                        if unit is None:
                            fed = True
                            break
                        try:
                            inflight.append((unit, pool.submit(process_unit, unit)))
                        except BrokenProcessPool:
                            inflight.append((unit, None))  # not handed out: it goes again with the rest
                            raise
                        head = inflight[0][1]
                        if head is not None and head.done():
                            break  # a result is waiting: hand it on before taking more
                    if not inflight:
                        return
                    unit, future = inflight[0]
                    assert future is not None
                    results = future.result()
                    inflight.popleft()
                    yield unit, results
        except BrokenProcessPool:
            # What was finished stays; the rest goes on one unit at a time.
            retry, feed = [u for u, _f in inflight], pending
            if workers == 1:
                unit = retry.pop(0)
                failed = RecordResult(str(unit.path), problems=[Problem(Origin(str(unit.path)), "", _(
                    "a rendering process stopped unexpectedly (out of memory, or a crash in a library) "
                    "while rendering this file{part}; the other files' documents are kept").format(
                    part=f" ({unit.part + 1}/{unit.parts})" if unit.parts > 1 else
                    (f" ({unit.part + 1})" if unit.span is not None else "")))])
                yield unit, [failed]
            workers = 1
