"""A real PostgreSQL server for the register's tests: a throwaway cluster in a temporary
folder, run by an unprivileged user, listening only on a Unix socket; stopped after the tests.

The Debian `postgresql` package (installed by scripts/setup.sh) gives the binaries; the
system's own cluster is not used. In CI the server must start; elsewhere the tests that need
it are skipped when the binaries are missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

NOBODY = 65534


def binaries() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


class Cluster:
    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="vanthu-pg-"))
        self.data = self.root / "data"
        self.socket = self.root / "sock"
        self.socket.mkdir()
        self.as_root = os.geteuid() == 0
        if self.as_root:  # PostgreSQL refuses to run as root: the cluster belongs to nobody
            for path in (self.root, self.socket):
                os.chown(path, NOBODY, NOBODY)
        self._count = 0

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        kwargs = {"user": NOBODY, "group": NOBODY, "extra_groups": []} if self.as_root else {}
        return subprocess.run(args, check=check, capture_output=True, text=True, cwd=self.root, timeout=120,
                              **kwargs)

    def start(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "vanthu", "--auth=trust", "-E", "UTF8",
                  "--no-locale")
        options = f"-k {self.socket} -c listen_addresses='' -c fsync=off -c max_connections=100"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.root / "log"),
                  "-w", "-t", "60", "start")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://vanthu@/{database}?host={self.socket}"

    def new_database(self) -> str:
        """A fresh, empty database: one per test, so tests never see each other's numbers."""
        import psycopg

        self._count += 1
        name = f"t{self._count}"
        with psycopg.connect(f"host={self.socket} user=vanthu dbname=postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)
