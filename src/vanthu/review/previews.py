"""Page pictures: each document's PDF (the batch's own when it is up to date, else converted by
the LibreOffice pool) drawn as PNG pages by poppler's pdftoppm."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from ..errors import VanthuError
from ..i18n import _
from .collect import ReviewDocument

PREVIEW_DPI = 100  # an A4 page 827 px wide: readable on a screen, about 100 KB a page
MAX_PAGES = 200  # a document longer than this shows its first pages only


def _draw(pdf: Path, img_dir: Path, slug: str, timeout: float) -> list[str]:
    command = ["pdftoppm", "-png", "-r", str(PREVIEW_DPI), "-l", str(MAX_PAGES), str(pdf), str(img_dir / slug)]
    subprocess.run(command, check=True, capture_output=True, timeout=timeout)
    pages = [p for p in img_dir.glob(f"{slug}-*.png") if re.fullmatch(rf"{re.escape(slug)}-\d+\.png", p.name)]
    return [f"{img_dir.name}/{p.name}" for p in sorted(pages, key=lambda p: int(p.stem.rsplit("-", 1)[1]))]


def make_previews(documents: list[ReviewDocument], work: Path, img_dir: Path, *, jobs: int = 2,
                  timeout: float = 60.0) -> None:
    """Fill each document's `pages` (or its `preview_problem`)."""
    if shutil.which("pdftoppm") is None:
        for doc in documents:
            if doc.docx is not None:
                doc.preview_problem = _("no page pictures: poppler's pdftoppm is not installed "
                                        "(scripts/setup.sh installs poppler-utils)")
        return
    img_dir.mkdir(parents=True, exist_ok=True)
    to_convert = [d for d in documents if d.docx is not None and d.pdf is None]
    if to_convert:
        from ..pdf.pipeline import make_pdfs

        by_source = {d.docx.resolve(): d for d in to_convert if d.docx}
        try:
            for outcome in make_pdfs(list(by_source), work / "pdf", jobs=jobs, timeout=timeout,
                                     signature_fields=False):
                doc = by_source.get(Path(outcome.source).resolve())
                if doc is None:
                    continue
                if outcome.output is None:
                    doc.preview_problem = "; ".join(outcome.problems) or _("conversion failed")
                else:
                    doc.pdf = outcome.output
        except VanthuError as exc:  # LibreOffice missing or broken: the pages say so, the rest is written
            for doc in to_convert:
                if doc.pdf is None and not doc.preview_problem:
                    doc.preview_problem = _("no page pictures: {detail}").format(detail=exc)
    for doc in documents:
        if doc.pdf is None:
            continue
        try:
            doc.pages = _draw(doc.pdf, img_dir, doc.slug, timeout)
        except (subprocess.SubprocessError, OSError) as exc:
            doc.preview_problem = _("no page pictures: {detail}").format(detail=exc)
