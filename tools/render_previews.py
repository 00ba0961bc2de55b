"""Render page 1 of each example in records/ and examples/ (and the plan's appendix) to PNG for the README.

    python tools/render_previews.py      # needs LibreOffice and pdftoppm (scripts/setup.sh)
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from vanthu.batch import generate
from vanthu.pdf.pipeline import make_pdfs

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="vanthu-previews-"))
    try:
        results = list(generate([ROOT / "records", ROOT / "examples"], work))
        docs = [r.output for r in results]
        # records/ hold one example per type (named by type); examples/ more than one of some
        names = {r.output: (Path(r.source).stem if "examples" in Path(r.source).parts else None) for r in results}
        IMAGES.mkdir(parents=True, exist_ok=True)
        for old in IMAGES.glob("*.png"):
            if not old.name.startswith("review-"):  # the review pages' pictures are the browser tests'
                old.unlink()
        for outcome in make_pdfs(docs, work, signature_fields=False):
            kind = names.get(outcome.source) or outcome.source.name.split("_")[0]
            subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile",
                            str(outcome.output), str(IMAGES / kind)], check=True)
            if kind == "quyet-dinh-ban-hanh-quy-che":  # the text issued with it, on page 2
                subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "2", "-l", "2", "-singlefile",
                                str(outcome.output), str(IMAGES / f"{kind}-kem-theo")], check=True)
            if kind == "ke-hoach":
                subprocess.run(["pdftoppm", "-r", "45", "-png", "-f", "3", "-l", "3", "-singlefile",
                                str(outcome.output), str(IMAGES / "ke-hoach-phu-luc")], check=True)
            print(f"wrote {IMAGES / kind}.png")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
