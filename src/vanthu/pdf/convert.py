"""Turn .docx files into PDF or PDF/A through the listener pool.

Many documents are converted as one: the documents of a group are bundled (each its own
section, page numbers from 1, a bookmark at its start), LibreOffice exports the bundle once
with the bookmarks as named destinations, and the PDF is cut back into one file per document
at those destinations. A group that fails as a whole is converted document by document, so
one bad document never takes the others with it.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n import _
from ..naming import safe_target
from ..ooxml.package import atomic_write
from .pool import ConversionError, ListenerPool

if TYPE_CHECKING:
    import pikepdf

# Documents per combined conversion. Measured (2 cores, 3-page notices): a conversion's cost per
# document levels off from about 8 documents (one alone: 2–3× as much); smaller groups than the
# old 50 let one group's PDFs be finished while the listener converts the next, and a group that
# fails costs less to convert again document by document.
GROUP_SIZE = 10
PDF_OPTIONS = ["ExportBookmarksToPDFDestination=true"]
PDFA_OPTIONS = ["SelectPdfVersion=2"]  # PDF/A-2b


@dataclass
class PdfResult:
    source: Path
    output: Path | None = None
    problem: str | None = None


def _destinations(pdf: pikepdf.Pdf) -> dict[str, int]:
    """Named destination → page index."""
    import pikepdf

    pages = {page.objgen: i for i, page in enumerate(pdf.pages)}
    found: dict[str, int] = {}

    def add(name: str, dest) -> None:
        if isinstance(dest, pikepdf.Dictionary):
            dest = dest.get("/D")
        if isinstance(dest, pikepdf.Array) and len(dest) and dest[0].objgen in pages:
            found[name] = pages[dest[0].objgen]

    names = pdf.Root.get("/Names")
    if names is not None and "/Dests" in names:
        for name, dest in pikepdf.NameTree(names.Dests).items():
            add(str(name), dest)
    if "/Dests" in pdf.Root:
        for name, dest in pdf.Root.Dests.items():
            add(str(name).lstrip("/"), dest)
    return found


def split_pdf(bundle_pdf: Path, targets: list[Path]) -> None:
    """Cut the bundle's PDF into one file per document at the bookmarks' destinations."""
    import pikepdf

    from ..ooxml.combine import bookmark_name

    with pikepdf.open(bundle_pdf) as pdf:
        dests = _destinations(pdf)
        starts = []
        for i in range(len(targets)):
            if bookmark_name(i) not in dests:
                raise ConversionError(_("the combined PDF lacks the start of document {n}").format(n=i + 1))
            starts.append(dests[bookmark_name(i)])
        # each document starts on a page after the one before: none has lost its pages
        if starts[0] != 0 or any(later <= earlier for earlier, later in itertools.pairwise(starts)):
            raise ConversionError(_("the combined PDF's documents are out of order"))
        for i, target in enumerate(targets):
            save_pages(pdf, starts[i], starts[i + 1] if i + 1 < len(starts) else len(pdf.pages), target)


def save_pages(pdf: pikepdf.Pdf, start: int, end: int, target: Path) -> None:
    """Pages start..end-1 of pdf as a file of their own (written beside target, then renamed).

    A PDF/A part keeps its claim only with the metadata, output intents and language, so they
    travel with it (copy_foreign takes indirect objects only).
    """
    import pikepdf

    with pikepdf.new() as part:
        part.pages.extend(pdf.pages[start:end])
        for key in ("/Metadata", "/OutputIntents", "/Lang"):
            if key in pdf.Root:
                value = pdf.Root[key]
                if value.is_indirect or isinstance(value, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)):
                    part.Root[key] = part.copy_foreign(value if value.is_indirect else pdf.make_indirect(value))
                else:
                    part.Root[key] = value
        tmp = target.with_name(f".{target.name}.tmp")
        part.save(tmp, min_version=pdf.pdf_version, deterministic_id=True)
        tmp.replace(target)


def plan(sources: list[Path], out_dir: Path, jobs: int) -> list[tuple[list[Path], list[Path]]]:
    """The groups converted as one, with each document's PDF in out_dir: NAME.pdf after its .docx
    (two NAME.docx from different folders: NAME.pdf, NAME_2.pdf), in the order of the sources."""
    targets: list[Path] = []
    used: set[str] = set()
    for source in sources:
        targets.append(safe_target(out_dir, f"{source.stem}.pdf", used.__contains__))
        used.add(targets[-1].name)
    size = min(GROUP_SIZE, max(1, -(-len(sources) // max(1, jobs))))
    return [(sources[i:i + size], targets[i:i + size]) for i in range(0, len(sources), size)]


class Converter:
    def __init__(self, jobs: int = 2, timeout: float = 60.0, pdfa: bool = False, pool=None):
        """pool: listeners that outlive this converter (the PDF service's); else a pool of its own."""
        self.jobs, self.timeout, self.pdfa = max(1, jobs), timeout, pdfa
        self.own_pool = pool is None
        self.pool = ListenerPool(self.jobs) if pool is None else pool
        self.work = Path(tempfile.mkdtemp(prefix="vanthu-pdf-"))

    def __enter__(self) -> Converter:
        if self.own_pool:
            self.pool.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self.own_pool:
            self.pool.close()
        shutil.rmtree(self.work, ignore_errors=True)

    @property
    def options(self) -> list[str]:
        return PDF_OPTIONS + (PDFA_OPTIONS if self.pdfa else [])

    def convert_one(self, source: Path, target: Path) -> PdfResult:
        """One document; a failure is retried once on a fresh listener."""
        tmp = self.work / f"{target.stem}-{id(source)}.pdf"
        for attempt in (1, 2):
            try:
                self.pool.convert(source, tmp, self.options, self.timeout)
                atomic_write(target, tmp.read_bytes())
                tmp.unlink(missing_ok=True)
                return PdfResult(source, target)
            except ConversionError as exc:
                if attempt == 2:
                    return PdfResult(source, None, str(exc))
        raise AssertionError("unreachable")

    def convert_group(self, sources: list[Path], targets: list[Path]) -> list[PdfResult]:
        if len(sources) == 1:
            return [self.convert_one(sources[0], targets[0])]
        import pikepdf

        from ..ooxml.combine import BundleError, build_bundle

        group = self.work / f"group-{id(sources)}"
        group.mkdir()
        try:
            bundle = group / "bundle.docx"
            bundle.write_bytes(build_bundle(sources))
            self.pool.convert(bundle, group / "bundle.pdf", self.options, self.timeout * len(sources))
            split_pdf(group / "bundle.pdf", targets)
            return [PdfResult(s, t) for s, t in zip(sources, targets, strict=True)]
        except (ConversionError, BundleError, pikepdf.PdfError):
            return [self.convert_one(s, t) for s, t in zip(sources, targets, strict=True)]
        finally:
            shutil.rmtree(group, ignore_errors=True)

    def convert(self, sources: list[Path], out_dir: Path) -> Iterator[PdfResult]:
        """PDFs named after their .docx in out_dir (see plan), in the order of the sources."""
        out_dir.mkdir(parents=True, exist_ok=True)
        with ThreadPoolExecutor(self.jobs) as threads:
            for results in threads.map(lambda g: self.convert_group(*g), plan(sources, out_dir, self.jobs)):
                yield from results
