"""PDF benchmark, in one run:

(a) batch throughput: 200 notices through vanthu's PDF path (`vanthu pdf --jobs 2`: combined
    conversions on two LibreOffice listeners, split at bookmarks) against one
    `soffice --convert-to pdf` process per document (measured on a sample, per document);
(b) single-document latency through a warm pool;
(c) signing a batch with a PKCS#12 key kept loaded;
(d) one notice, `vanthu generate --pdf`, through the PDF service cold (stopped first) and warm
    (a second command), against the two-step a user would type: `vanthu generate`, then one plain
    `soffice --convert-to pdf` (the user's own profile, warm); paired rounds, medians;
(e) the same batch through the warm service (`vanthu pdf --jobs 2`) against one
    `soffice --convert-to pdf` call over all the files (its profile warm); 3 paired rounds, medians.

    python bench/pdf.py [--small]

Targets (2 cores): >= 20x faster than soffice per document; <= 400 ms single latency;
>= 20 signatures/s; (d) warm <= 400 ms and <= 0.35x the two-step, cold <= 1.0x; (e) >= 2x faster
than the one soffice call. The last line is one JSON object.
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
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))


def _timed(command: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True, timeout=600, **kwargs)
    return time.perf_counter() - start


def _single_pdf(work: Path, rounds: int) -> dict:
    record = ROOT / "records" / "01-thong-bao-trien-lam.yaml"
    vanthu = [sys.executable, "-m", "vanthu.cli"]
    soffice = ["soffice", "--headless", "--convert-to", "pdf"]
    _timed(soffice + ["--outdir", str(work / "warm-profile"), str(sorted((work / "docx").glob("*.docx"))[0])])
    two_step, cold, warm = [], [], []
    for i in range(rounds):
        out = work / f"two-step-{i}"
        start = time.perf_counter()
        subprocess.run([*vanthu, "generate", str(record), "-o", str(out)], capture_output=True, check=True)
        subprocess.run([*soffice, "--outdir", str(out), *map(str, out.glob("*.docx"))], capture_output=True,
                       check=True)
        two_step.append(time.perf_counter() - start)
        subprocess.run([*vanthu, "pdf-service", "stop"], capture_output=True)
        cold.append(_timed([*vanthu, "generate", str(record), "-o", str(work / f"cold-{i}"), "--pdf"]))
        warm.append(_timed([*vanthu, "generate", str(record), "-o", str(work / f"warm-{i}"), "--pdf"]))
    base = statistics.median(two_step)
    return {"two_step_s": round(base, 3), "cold_pdf_s": round(statistics.median(cold), 3),
            "warm_pdf_s": round(statistics.median(warm), 3),
            "cold_ratio_to_two_step": round(statistics.median(cold) / base, 2),
            "warm_ratio_to_two_step": round(statistics.median(warm) / base, 2)}


def _batch_against_one_soffice(work: Path, rounds: int) -> dict:
    """Paired rounds, alternating: one soffice call over all the files (its profile warm), then
    `vanthu pdf --jobs 2` through the warm service; medians."""
    docs = sorted((work / "docx").glob("*.docx"))
    subprocess.run([sys.executable, "-m", "vanthu.cli", "pdf", str(docs[0]), "-o", str(work / "warmup")],
                   capture_output=True, check=True)  # the service up and warm
    one_call, ours = [], []
    for i in range(rounds):
        one_call.append(_timed(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work / f"one-call-{i}"),
                                *map(str, docs)]))
        ours.append(_timed([sys.executable, "-m", "vanthu.cli", "pdf", str(work / "docx"), "-o",
                            str(work / f"service-pdf-{i}"), "--jobs", "2"]))
    return {"one_soffice_call_s": round(statistics.median(one_call), 2),
            "service_batch_s": round(statistics.median(ours), 2),
            "speedup_vs_one_soffice_call": round(statistics.median(one_call) / statistics.median(ours), 2)}


def main(small: bool) -> None:
    from workload import compile_vanthu, write_records

    from pki import make_pki
    from vanthu.batch import generate
    from vanthu.pdf.convert import Converter
    from vanthu.pdf.sign import SignOptions, pkcs12_signer, sign_pdf

    count, sample, signatures = (40, 3, 20) if small else (200, 8, 100)
    compile_vanthu()
    work = Path(tempfile.mkdtemp(prefix="vanthu-pdf-bench-"))
    try:
        docs = [r.output for r in generate([write_records(work / "in", count)], work / "docx", jobs=2)]
        # (a) vanthu's path, start-up of the listeners included
        start = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "vanthu.cli", "pdf", str(work / "docx"), "-o", str(work / "pdf"),
                              "--jobs", "2"], capture_output=True, text=True)
        vanthu_seconds = time.perf_counter() - start
        if run.returncode != 0:
            raise SystemExit(run.stderr[-2000:])
        produced = len(list((work / "pdf").glob("*.pdf")))
        assert produced == count, f"{produced} of {count} PDFs"
        # one soffice process per document, each with a fresh profile (as a script would)
        per_doc = []
        for i, doc in enumerate(docs[:sample]):
            start = time.perf_counter()
            subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/soffice-{i}",
                            "--convert-to", "pdf", "--outdir", str(work / "soffice"), str(doc)],
                           capture_output=True, check=True, timeout=300)
            per_doc.append(time.perf_counter() - start)
        soffice_ms = statistics.median(per_doc) * 1000
        # (b) single documents through a warm pool
        latencies = []
        with Converter(jobs=1) as converter:
            converter.convert_one(docs[0], work / "warm.pdf")  # warm up
            for i in range(10):
                start = time.perf_counter()
                result = converter.convert_one(docs[i % len(docs)], work / f"single-{i}.pdf")
                latencies.append(time.perf_counter() - start)
                assert result.output is not None, result.problem
        single_ms = statistics.median(latencies) * 1000
        # (c) signing with the key kept loaded
        pki = make_pki(work / "pki")
        signer = pkcs12_signer(pki.signer_p12, pki.passphrase)
        pdfs = sorted((work / "pdf").glob("*.pdf"))
        start = time.perf_counter()
        for i in range(signatures):
            sign_pdf(pdfs[i % len(pdfs)], work / f"signed-{i}.pdf", signer, SignOptions())
        signing_seconds = time.perf_counter() - start
        single = _single_pdf(work, 3 if small else 5)
        batch = _batch_against_one_soffice(work, 3)
    finally:
        subprocess.run([sys.executable, "-m", "vanthu.cli", "pdf-service", "stop"], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)

    vanthu_ms = vanthu_seconds / count * 1000
    figures = {
        "documents": count,
        "pdf_per_s": round(count / vanthu_seconds, 1),
        "vanthu_ms_per_pdf": round(vanthu_ms, 1),
        "soffice_ms_per_pdf": round(soffice_ms, 1),
        "speedup_vs_soffice": round(soffice_ms / vanthu_ms, 1),
        "single_latency_ms": round(single_ms, 1),
        "signatures_per_s": round(signatures / signing_seconds, 1),
        **single, **batch,
    }
    print(f"{'measurement':<52} {'figure':>10}")
    print(f"{f'vanthu pdf --jobs 2, {count} notices (ms per PDF)':<52} {vanthu_ms:>10.1f}")
    print(f"{f'one soffice process per document, median of {sample} (ms)':<52} {soffice_ms:>10.1f}")
    print(f"{'speed-up (target >= 20)':<52} {figures['speedup_vs_soffice']:>10}")
    print(f"{'single document, warm pool, median of 10 (ms; <= 400)':<52} {single_ms:>10.1f}")
    print(f"{'signatures per second, PKCS#12 key kept (>= 20)':<52} {figures['signatures_per_s']:>10}")
    print(f"{'one --pdf, two-step generate + soffice (s)':<52} {figures['two_step_s']:>10}")
    print(f"{'one --pdf, service warm (s; <= 0.4)':<52} {figures['warm_pdf_s']:>10}")
    print(f"{'  ratio to the two-step (<= 0.35)':<52} {figures['warm_ratio_to_two_step']:>10}")
    print(f"{'one --pdf, service cold (s)':<52} {figures['cold_pdf_s']:>10}")
    print(f"{'  ratio to the two-step (<= 1.0)':<52} {figures['cold_ratio_to_two_step']:>10}")
    print(f"{f'{count} PDFs, one soffice call over all, median of 3 (s)':<52} {figures['one_soffice_call_s']:>10}")
    print(f"{f'{count} PDFs, vanthu pdf, warm service, median of 3 (s)':<52} {figures['service_batch_s']:>10}")
    print(f"{'  speed-up over the one soffice call (>= 2)':<52} {figures['speedup_vs_one_soffice_call']:>10}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main(small="--small" in sys.argv[1:])
