"""Render benchmark: vanthu against a naive docxtpl loop and the zip-writing floor, one run.

    python bench/render.py [--small]

Workload: a realistic notice (header, 10 body blocks, a 20-row appendix), records in files
of 50. Each measurement runs in a fresh process; its peak RSS is the largest of that process
and its children. Prints a table, then as its last line one JSON object.
Targets (2 cores): >= 150 docs/s with --jobs 2; >= 4.5x the naive loop; <= 1.5x the floor per
document; 10,000-record peak RSS <= 1.2x the 1,000-record one. See docs/performance.md.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))


def _child_naive(folder: Path, out: Path) -> None:
    """What a user writes without vanthu's engine: DocxTemplate load + render + save per record."""
    from docxtpl import DocxTemplate

    from vanthu.batch import builtin_template_dir, record_files
    from vanthu.records.validate import validate_record
    from vanthu.records.yaml_reader import read_yaml
    from vanthu.render.context import build_context

    template = builtin_template_dir() / "thong_bao.docx"
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in record_files([folder]):
        for raw in read_yaml(path):
            doc, _problems = validate_record(raw)
            tpl = DocxTemplate(template)
            tpl.render(build_context(doc), autoescape=True)
            tpl.save(out / f"{count:06d}.docx")
            count += 1


def _floor_part(args: tuple[Path, Path, int, int]) -> None:
    from vanthu.render.docx_zip import atomic_write, read_members, zip_bytes

    sample, out, start, stop = args
    members = read_members(sample)
    for i in range(start, stop):
        atomic_write(out / f"{i:06d}.docx", zip_bytes(members))


def _child_floor(sample: Path, out: Path, count: int, processes: int) -> None:
    """Only writing the final zip members of a finished document, count times."""
    out.mkdir(parents=True, exist_ok=True)
    if processes == 1:
        _floor_part((sample, out, 0, count))
        return
    from multiprocessing import Pool

    step = -(-count // processes)
    with Pool(processes) as pool:
        pool.map(_floor_part, [(sample, out, i, min(i + step, count)) for i in range(0, count, step)])


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a command run in a fresh measuring process."""
    wrapper = [sys.executable, __file__, "--measure", "--", *command]
    result = subprocess.run(wrapper, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result.stderr[-2000:]}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return figures["seconds"], figures["rss_mb"]


def _measure_main(command: list[str]) -> None:
    start = time.perf_counter()
    run = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if run.returncode != 0:
        sys.stderr.write(run.stderr[-2000:])
        raise SystemExit(run.returncode)
    rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": seconds, "rss_mb": rss_kb / 1024}))


def main(small: bool) -> None:
    from workload import write_records

    sizes = (200, 1000) if small else (1000, 10000)
    naive_count = 200 if small else 1000
    work = Path(tempfile.mkdtemp(prefix="vanthu-bench-"))
    vanthu = [sys.executable, "-m", "vanthu.cli", "generate"]
    rows = []
    try:
        folders = {n: write_records(work / f"in-{n}", n) for n in sizes}
        results = {}
        for n in sizes:
            seconds, rss = measure([*vanthu, str(folders[n]), "-o", str(work / f"out-{n}"), "--jobs", "2",
                                    "--force"])
            results[n] = (seconds, rss)
            rows.append((f"vanthu --jobs 2, {n} records", n / seconds, seconds / n * 1000, rss))
        small_n = sizes[0]
        one_seconds, one_rss = measure([*vanthu, str(folders[small_n]), "-o", str(work / "out-j1"), "--jobs", "1",
                                        "--force"])
        rows.append((f"vanthu --jobs 1, {small_n} records", small_n / one_seconds, one_seconds / small_n * 1000,
                     one_rss))
        naive_folder = folders[small_n] if naive_count == small_n else write_records(work / "in-naive", naive_count)
        naive_seconds, naive_rss = measure([sys.executable, __file__, "--naive", str(naive_folder),
                                            str(work / "out-naive")])
        rows.append((f"naive docxtpl loop, {naive_count} records", naive_count / naive_seconds,
                     naive_seconds / naive_count * 1000, naive_rss))
        sample = next((work / f"out-{small_n}").glob("*.docx"))
        floors = {}
        for processes, n in ((1, small_n), (2, big_n := sizes[-1])):
            seconds, rss = measure([sys.executable, __file__, "--floor", str(sample), str(work / f"floor-{processes}"),
                                    str(n), str(processes)])
            floors[processes] = seconds / n
            rows.append((f"floor: zip + write only, {n} docs, {processes} proc.", n / seconds, seconds / n * 1000,
                         rss))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    big_n = sizes[-1]
    docs_per_s = big_n / results[big_n][0]
    naive_per_s = naive_count / naive_seconds
    vanthu_ms = results[big_n][0] / big_n * 1000
    figures = {
        "docs_per_s": round(docs_per_s, 1),
        "docs_per_s_small": round(sizes[0] / results[sizes[0]][0], 1),
        "naive_docs_per_s": round(naive_per_s, 1),
        "speedup_vs_naive": round(docs_per_s / naive_per_s, 2),
        "ms_per_doc": round(vanthu_ms, 3),
        "floor_ms_per_doc": round(floors[2] * 1000, 3),
        # same records, same 2 cores: vanthu's whole path per document against zip + write alone
        "ratio_to_floor": round(vanthu_ms / (floors[2] * 1000), 2),
        # one process each, on the smaller run (start-up included)
        "ratio_to_floor_1_process": round((one_seconds / small_n) / floors[1], 2),
        "rss_mb_small": round(results[sizes[0]][1], 1),
        "rss_mb_big": round(results[big_n][1], 1),
        "rss_ratio_10k_1k": round(results[big_n][1] / results[sizes[0]][1], 3),
        "records": list(sizes),
    }
    print(f"{'measurement':<44} {'docs/s':>9} {'ms/doc':>8} {'peak RSS MB':>12}")
    for name, rate, ms, rss in rows:
        print(f"{name:<44} {rate:>9.1f} {ms:>8.2f} {rss:>12.1f}")
    print(f"speed-up vs naive: {figures['speedup_vs_naive']}x (target >= 4.5); "
          f"per-document cost / floor: {figures['ratio_to_floor']}x (target <= 1.5); "
          f"RSS {sizes[-1]}/{sizes[0]}: {figures['rss_ratio_10k_1k']} (target <= 1.2); "
          f"docs/s: {figures['docs_per_s']} (target >= 150)")
    print(json.dumps(figures))


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--measure"]:
        _measure_main(args[2:])
    elif args[:1] == ["--naive"]:
        _child_naive(Path(args[1]), Path(args[2]))
    elif args[:1] == ["--floor"]:
        _child_floor(Path(args[1]), Path(args[2]), int(args[3]), int(args[4]))
    else:
        main(small="--small" in args)
