"""What earlier runs rendered into an output folder, so a rerun can skip unchanged records.

Kept in SQLite beside the documents (.vanthu-state.sqlite): lookups by record and by file
name stay fast and memory stays flat however many records a folder holds. Workers read it;
only the batch writes it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

STATE_FILE = ".vanthu-state.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS rendered (
    identity TEXT PRIMARY KEY,   -- input file and record key
    input TEXT NOT NULL,         -- sha256 of record content, template and vanthu version
    name TEXT NOT NULL,          -- file name in the output folder
    sha256 TEXT NOT NULL         -- of the document as written
);
CREATE INDEX IF NOT EXISTS rendered_name ON rendered(name);
"""


@dataclass(frozen=True)
class Rendered:
    input: str
    name: str
    sha256: str


class RenderState:
    def __init__(self, out_dir: Path, *, writer: bool = False):
        path = out_dir / STATE_FILE
        self.set_aside: Path | None = None  # a damaged state file, moved aside by the writer
        if not writer and not path.exists():
            self.db = None
            return
        if writer:
            self.set_aside = _set_aside_if_damaged(path)
        try:
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None if not writer else "DEFERRED")
            if writer:
                self.db.execute("PRAGMA journal_mode=WAL")
                # WAL with NORMAL sync: a commit is a write to the WAL, not an fsync; what a killed
                # process committed is on disk all the same (only a power cut could lose the last ones)
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.executescript(_SCHEMA)
                # the records named in this run (kept on disk, not in memory, however long the batch)
                self.db.execute("CREATE TEMP TABLE named (identity TEXT PRIMARY KEY)")
                self.db.execute("BEGIN")
            else:
                self.db.execute("SELECT 1 FROM rendered LIMIT 1")
        except sqlite3.DatabaseError:
            if writer:
                raise
            self.db = None  # a worker reads nothing from a file the writer is about to replace

    def lookup(self, identity: str) -> Rendered | None:
        if self.db is None:
            return None
        row = self.db.execute("SELECT input, name, sha256 FROM rendered WHERE identity = ?", (identity,)).fetchone()
        return Rendered(*row) if row else None

    def name_taken(self, name: str) -> bool:
        if self.db is None:
            return False
        return self.db.execute("SELECT 1 FROM rendered WHERE name = ? LIMIT 1", (name,)).fetchone() is not None

    def holder(self, name: str) -> tuple[str, Rendered] | None:
        """The record whose file has this name."""
        if self.db is None:
            return None
        row = self.db.execute("SELECT identity, input, name, sha256 FROM rendered WHERE name = ? LIMIT 1",
                              (name,)).fetchone()
        return (row[0], Rendered(*row[1:])) if row else None

    def of_input(self, source: str) -> list[tuple[str, Rendered]]:
        """The records remembered from one input file: identities 'SOURCE#…'."""
        if self.db is None:
            return []
        # a range on the key, so the index answers: 'SOURCE#' <= identity < 'SOURCE$'
        rows = self.db.execute("SELECT identity, input, name, sha256 FROM rendered "
                               "WHERE identity >= ? AND identity < ? ORDER BY identity", (source + "#", source + "$"))
        return [(row[0], Rendered(*row[1:])) for row in rows]

    def named_now(self, identity: str) -> bool:
        """Whether this run has already given the record its file."""
        assert self.db is not None
        return self.db.execute("SELECT 1 FROM named WHERE identity = ?", (identity,)).fetchone() is not None

    def forget(self, identity: str) -> None:
        assert self.db is not None
        self.db.execute("DELETE FROM rendered WHERE identity = ?", (identity,))

    def remember(self, identity: str, rendered: Rendered) -> None:
        assert self.db is not None
        self.db.execute("INSERT OR REPLACE INTO rendered VALUES (?, ?, ?, ?)",
                        (identity, rendered.input, rendered.name, rendered.sha256))
        self.db.execute("INSERT OR IGNORE INTO named VALUES (?)", (identity,))

    def checkpoint(self) -> None:
        """Make what was remembered visible to the workers' connections."""
        if self.db is not None and self.db.in_transaction:
            self.db.execute("COMMIT")
            self.db.execute("BEGIN")

    def close(self) -> None:
        if self.db is not None:
            if self.db.in_transaction:
                self.db.execute("COMMIT")
            self.db.close()
            self.db = None


def _set_aside_if_damaged(path: Path) -> Path | None:
    """A state file that is not vanthu's database (garbage, truncated, a link elsewhere) is moved
    aside, never read or written through; the batch rebuilds the state from the folder."""
    if not path.exists() and not path.is_symlink():
        return None
    damaged = path.is_symlink() or not path.is_file()
    if not damaged:
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
                db.execute("SELECT identity, input, name, sha256 FROM rendered LIMIT 1").fetchall()
                damaged = db.execute("PRAGMA quick_check").fetchone()[0] != "ok"
        except sqlite3.DatabaseError:
            damaged = True
    if not damaged:
        return None
    import time

    aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    path.rename(aside)
    for extra in ("-wal", "-shm"):
        path.with_name(path.name + extra).unlink(missing_ok=True)
    return aside
