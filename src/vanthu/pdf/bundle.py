"""The print bundle as one PDF: each document's pages repeated for its copies (số bản phát
hành), one document after another. Each document is its own PDF, so its page numbers start at
1 again, as printed."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf

from ..errors import VanthuError
from ..i18n import _
from ..ooxml.package import atomic_write

MAX_COPIES = 500  # a print run larger than this is a printer's job, not one PDF's


class PdfBundleError(VanthuError):
    """The bundle could not be made (a PDF that does not open, too many copies)."""


def write_pdf_bundle(documents: list[tuple[Path, int]], target: Path) -> int:
    """documents: (PDF, copies) in order. Returns the bundle's page count."""
    bundle = pikepdf.new()
    sources = []
    try:
        for pdf, copies in documents:
            if not 1 <= copies <= MAX_COPIES:
                raise PdfBundleError(_("{name}: {copies} copies; a bundle takes 1 to {limit} of each").format(
                    name=pdf.name, copies=copies, limit=MAX_COPIES))
            try:
                source = pikepdf.open(pdf)
            except pikepdf.PdfError as exc:
                raise PdfBundleError(_("{name} is not a readable PDF ({detail})").format(
                    name=pdf.name, detail=exc)) from None
            sources.append(source)
            for _copy in range(copies):
                bundle.pages.extend(source.pages)
        pages = len(bundle.pages)
        buffer = io.BytesIO()
        bundle.save(buffer, deterministic_id=True)
    finally:
        for source in sources:
            source.close()
        bundle.close()
    atomic_write(target, buffer.getvalue())
    return pages
