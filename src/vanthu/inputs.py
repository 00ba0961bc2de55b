"""Files named on the command line: folders are searched for the kind of file a command takes."""

from __future__ import annotations

from pathlib import Path


def files_in(paths: list[Path], pattern: str) -> list[Path]:
    """The paths given, each folder replaced by its files matching pattern ('*.docx'), sorted;
    Office lock files (~$…) and hidden files left out. Paths that do not exist stay, for the
    caller to report."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob(pattern) if not p.name.startswith(("~$", ".")))
        else:
            out.append(path)
    return out
