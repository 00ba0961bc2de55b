"""The review site on disk: index.html, van-ban/<slug>.html and trang/<slug>-N.png, built in a
temporary folder beside the target and renamed into place, so a site is never half-written and
a folder that is not a review site is never overwritten."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigurationError
from ..i18n import _
from .collect import ReviewBatch
from .pages import document_html, index_html
from .previews import make_previews

MARKER = ".vanthu-review"  # says a folder is a review site vanthu wrote (and may replace)
PAGES_DIR, IMAGES_DIR = "van-ban", "trang"


@dataclass
class ReviewReport:
    site: Path
    index: Path
    documents: int = 0
    pages: int = 0
    problems: list[str] = field(default_factory=list)  # a document with no page pictures, and why

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_target(site: Path, batch: ReviewBatch) -> None:
    resolved = site.resolve()
    for folder in (batch.folder, batch.previous):
        if folder is not None and (resolved == folder.resolve() or folder.resolve() in resolved.parents):
            raise ConfigurationError(_("the review site {site} must not be inside the batch folder {batch}").format(
                site=site, batch=folder))
    if site.exists() and (not site.is_dir() or (any(site.iterdir()) and not (site / MARKER).is_file())):
        raise ConfigurationError(_("{site} exists and is not a review site vanthu wrote: choose a new folder").format(
            site=site))


def write_site(batch: ReviewBatch, site: Path, *, jobs: int = 2, timeout: float = 60.0) -> ReviewReport:
    _check_target(site, batch)
    site.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{site.name}.", dir=site.parent))
    try:
        build = work / "site"
        (build / PAGES_DIR).mkdir(parents=True)
        make_previews(batch.documents, work, build / IMAGES_DIR, jobs=jobs, timeout=timeout)
        report = ReviewReport(site, site / "index.html", len(batch.documents))
        for doc in batch.documents:
            report.pages += len(doc.pages)
            if doc.preview_problem:
                report.problems.append(f"{doc.docx.name if doc.docx else doc.slug}: {doc.preview_problem}")
            (build / PAGES_DIR / f"{doc.slug}.html").write_text(document_html(batch, doc), encoding="utf-8")
        (build / "index.html").write_text(index_html(batch), encoding="utf-8")
        (build / MARKER).write_text("vanthu review site\n", encoding="utf-8")
        if site.exists():
            os.replace(site, work / "old")  # removed with the work folder
        os.replace(build, site)
        return report
    finally:
        shutil.rmtree(work, ignore_errors=True)
