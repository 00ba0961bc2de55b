"""One document, cold: `vanthu generate one.yaml -o out` against the naive script a user would
write for the same record (PyYAML, a plain dict, docxtpl's DocxTemplate(...).render(...), save;
nothing else imported). Each run is a fresh process; the two alternate, and the figures are the
medians of the rounds. Target (issue 17): vanthu ≤ 1.0× the naive script.

    python bench/cold.py [--rounds 9]

The last line is one JSON object: vanthu_s, naive_s, ratio. vanthu's first run (which fills its
template cache under ~/.cache/vanthu) is left out of the medians, as a clerk's every run but the
first is a later one. vanthu's modules are byte-compiled first, as pip compiles an installed
package (docxtpl's and python-docx's were, when pip installed them): in a checkout installed with
`pip install -e` and PYTHONDONTWRITEBYTECODE set, Python would otherwise compile vanthu's source
on every run, which no installed copy does.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "records" / "01-thong-bao-trien-lam.yaml"
TEMPLATE = ROOT / "templates" / "thong_bao.docx"

NAIVE = """
import sys, yaml
from docxtpl import DocxTemplate
data = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
doc = DocxTemplate(sys.argv[2])
doc.render(data, autoescape=True)
doc.save(sys.argv[3])
"""


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main(rounds: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from workload import compile_vanthu

    vanthu = [str(Path(sys.executable).with_name("vanthu"))]
    compile_vanthu()
    work = Path(tempfile.mkdtemp(prefix="vanthu-cold-"))
    try:
        folder = work / "in"
        folder.mkdir()
        shutil.copy(RECORD, folder / "one.yaml")
        script = work / "naive.py"
        script.write_text(NAIVE, encoding="utf-8")
        timed([*vanthu, "generate", str(folder / "one.yaml"), "-o", str(work / "warmup")])
        ours, naive = [], []
        for i in range(rounds):
            ours.append(timed([*vanthu, "generate", str(folder / "one.yaml"), "-o", str(work / f"out-{i}")]))
            naive.append(timed([sys.executable, str(script), str(folder / "one.yaml"), str(TEMPLATE),
                                str(work / f"naive-{i}.docx")]))
        result = {"vanthu_s": round(statistics.median(ours), 3), "naive_s": round(statistics.median(naive), 3)}
        result["ratio"] = round(result["vanthu_s"] / result["naive_s"], 2)
        print(f"one notice, cold: vanthu generate {result['vanthu_s']:.3f} s, naive docxtpl script "
              f"{result['naive_s']:.3f} s: {result['ratio']:.2f}x (target <= 1.0x)")
        print(json.dumps(result))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 9)
