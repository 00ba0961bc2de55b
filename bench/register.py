"""Register benchmark: allocation rate with 1 and 8 writers on SQLite (and PostgreSQL when its
binaries are there), and one 1,000-record batch allocated in one transaction.

    python bench/register.py [--small]

Baseline, measured in the same run: what a user would write without vanthu — raw sqlite3, one
transaction per document doing BEGIN IMMEDIATE; SELECT max(so)+1; INSERT (with a unique index),
the strongest simple scheme that is still correct under concurrency. Each writer is its own
process, as separate `vanthu generate` runs are. Prints a table, then one JSON object.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

WORKER = ROOT / "tests" / "register_worker.py"

BASELINE = r"""
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=120, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=FULL")
for i in range(int(sys.argv[2])):
    db.execute("BEGIN IMMEDIATE")
    so = db.execute("SELECT coalesce(max(so), 0) + 1 FROM entries WHERE year = 2026").fetchone()[0]
    db.execute("INSERT INTO entries(year, so, ky_hieu, record) VALUES (2026, ?, 'TB-SCT', ?)", (so, f"r{i}"))
    db.execute("COMMIT")
"""


def vanthu_rate(url: str, writers: int, each: int) -> float:
    start = time.perf_counter()
    processes = [subprocess.Popen([sys.executable, str(WORKER), url, str(i), str(each)], stdout=subprocess.DEVNULL)
                 for i in range(writers)]
    for process in processes:
        if process.wait() != 0:
            raise SystemExit("a vanthu writer failed")
    return writers * each / (time.perf_counter() - start)


def baseline_rate(path: Path, writers: int, each: int) -> float:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE entries(id INTEGER PRIMARY KEY, year INT, so INT, ky_hieu TEXT, record TEXT, "
               "UNIQUE(year, so, ky_hieu))")
    db.commit()
    db.close()
    start = time.perf_counter()
    processes = [subprocess.Popen([sys.executable, "-c", BASELINE, str(path), str(each)]) for _ in range(writers)]
    for process in processes:
        if process.wait() != 0:
            raise SystemExit("a baseline writer failed")
    return writers * each / (time.perf_counter() - start)


def batch_seconds(url: str, records: int) -> float:
    from register_worker import RECORD
    from vanthu.records.source import RawRecord
    from vanthu.records.validate import validate_record
    from vanthu.register.allocate import Request, allocate
    from vanthu.register.store import Register

    doc, _problems = validate_record(RawRecord(dict(RECORD), None, "bench"))
    requests = [Request.of(doc, f"ma:batch-{i}", "bench", auto=True) for i in range(records)]
    with Register(url) as register:
        start = time.perf_counter()
        allocate(register, requests)
        return time.perf_counter() - start


def main() -> None:
    small = "--small" in sys.argv
    each = 50 if small else 200
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="vanthu-bench-register-") as folder:
        tmp = Path(folder)
        for writers in (1, 8):
            results[f"sqlite_{writers}w_per_s"] = vanthu_rate(f"sqlite:///{tmp}/v{writers}.db", writers, each)
            results[f"baseline_{writers}w_per_s"] = baseline_rate(tmp / f"b{writers}.db", writers, each)
            results[f"sqlite_{writers}w_ratio"] = results[f"sqlite_{writers}w_per_s"] / results[
                f"baseline_{writers}w_per_s"]
        results["sqlite_batch_1000_s"] = batch_seconds(f"sqlite:///{tmp}/batch.db", 1000)
        from pg import Cluster, binaries

        bin_dir = binaries()
        if bin_dir is not None:
            cluster = Cluster(bin_dir)
            try:
                cluster.start()
                for writers in (1, 8):
                    results[f"postgresql_{writers}w_per_s"] = vanthu_rate(cluster.new_database(), writers, each)
                results["postgresql_batch_1000_s"] = batch_seconds(cluster.new_database(), 1000)
            finally:
                cluster.stop()
    for key, value in results.items():
        print(f"{key:<28} {value:10.2f}")
    print(json.dumps({k: round(v, 3) for k, v in results.items()}))


if __name__ == "__main__":
    main()
