"""The batch's inputs: the record files named, and the work units they are cut into."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigurationError
from ..i18n import _
from ..records.reading import RECORD_SUFFIXES, WORKBOOK_SUFFIXES, YAML_SUFFIXES
from ..records.yaml_reader import FilePart, split_yaml


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


@dataclass(frozen=True)
class WorkUnit:
    """Part `part` of `parts` of one input file: the records (× recipients) whose position
    in the file is part modulo parts. A big workbook or a mail merge is spread over processes
    this way; every part reads the file, each process once. A big YAML list is cut instead:
    `span` is the part's own run of records, which its process reads alone (`parts` is 0: how
    many there are is known only once the file has been cut to its end)."""

    path: Path
    part: int = 0
    parts: int = 1
    span: FilePart | None = None

    @property
    def last(self) -> bool:
        """The file's last unit: its records are all in once this one is."""
        return self.span.final if self.span is not None else self.part == self.parts - 1


_SPLIT_BYTES = 256 * 1024  # a YAML file this big holds hundreds of records
PARTS_PER_JOB = 8  # parts a big input is cut into, per process: progress moves, the load evens out


def work_units(files: list[Path], jobs: int, merge: bool) -> Iterator[WorkUnit]:
    """Each file whole, unless it must be shared: a mail merge (many documents from one small
    file), or a big file among too few files to keep every process busy (every process
    reading it costs less than leaving processes idle). A big YAML list is cut as it is read:
    its first runs are being rendered while the rest is cut."""
    few = len(files) < 2 * jobs
    for path in files:
        big = path.suffix.lower() in WORKBOOK_SUFFIXES or path.stat().st_size > _SPLIT_BYTES
        parts = PARTS_PER_JOB * jobs if merge or (few and big) else 1
        runs = split_yaml(path) if parts > 1 and not merge and path.suffix.lower() in YAML_SUFFIXES else None
        if runs is not None:
            yield from (WorkUnit(path, part, 0, span) for part, span in enumerate(runs))
        else:
            yield from (WorkUnit(path, part, parts) for part in range(parts))


def default_jobs() -> int:
    return os.cpu_count() or 1
