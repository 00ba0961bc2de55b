"""The benchmark scripts still run and report the figures the issue names (their values are
judged by people reading docs/performance.md, not by tests: tests do not time things)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def test_render_benchmark_runs_and_ends_with_its_json_line():
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "render.py"), "--small"], capture_output=True,
                         text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.strip().splitlines()
    figures = json.loads(lines[-1])
    for key in ("docs_per_s", "speedup_vs_naive", "ratio_to_floor", "rss_ratio_10k_1k", "ratio_to_floor_end_to_end",
                "jobs2_over_jobs1", "one_file_rss_ratio", "one_file_over_files"):
        assert figures[key] > 0, key
    assert lines[0].split()[:1] == ["measurement"]
    assert any(line.startswith("naive docxtpl loop") for line in lines)
    assert any(line.startswith("floor:") for line in lines)


def test_cold_benchmark_runs_and_prints_its_ratio():
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "cold.py"), "--rounds", "1"], capture_output=True,
                         text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.strip().splitlines()
    figures = json.loads(lines[-1])
    assert figures["vanthu_s"] > 0 and figures["naive_s"] > 0 and figures["ratio"] > 0
    assert lines[0].startswith("one notice, cold:")
