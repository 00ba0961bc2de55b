"""pypdfium2's documents, opened one at a time in a process: pdfium is not thread-safe, and the
PDF service (several callers' groups) and the web application (requests on threads) read PDFs
on threads. Every use of pdfium in vanthu goes through open_pdf."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_ONE_AT_A_TIME = threading.RLock()


@contextmanager
def open_pdf(source: Path | str | bytes) -> Iterator:
    """A pdfium document (a file, or a PDF's bytes), closed after; no other thread uses pdfium
    meanwhile."""
    import pypdfium2 as pdfium

    with _ONE_AT_A_TIME:
        document = pdfium.PdfDocument(str(source) if isinstance(source, Path) else source)
        try:
            yield document
        finally:
            document.close()
