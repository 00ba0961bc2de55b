"""The PDF stage of a batch: convert, add signature fields, check the PDF/A claim and fonts.

Through the PDF service, the whole stage runs in the service (pikepdf, pypdfium2 and lxml are
loaded there once, not by every command); without it, here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UnreadableDocument
from ..i18n import _
from ..ooxml.package import check_bounds
from .convert import Converter, PdfResult, save_pages
from .pdfa import font_report, font_substitute, pdfa_claim


@dataclass
class PdfOutcome:
    source: Path
    output: Path | None
    problems: list[str] = field(default_factory=list)  # errors: the PDF is not usable
    notes: list[str] = field(default_factory=list)  # warnings
    appendices: list[Path] = field(default_factory=list)  # appendices in files of their own

    @property
    def ok(self) -> bool:
        return self.output is not None and not self.problems


def substitution_warning() -> str | None:
    """Said once per run: which font renders Times New Roman when it is not installed."""
    substitute = font_substitute()
    if substitute is None:
        return None
    return _("Times New Roman is not installed: {font} (the same widths) renders the PDFs").format(font=substitute)


def split_appendices(pdf_path: Path) -> list[Path]:
    """Cut each appendix (a page that opens with 'Phụ lục …') into a file of its own:
    NAME_phu-luc-I.pdf …; the main document keeps the pages before the first appendix."""
    import re

    import pikepdf

    from .fields import add_fields, appendix_place
    from .pdfium_documents import open_pdf

    starts: list[tuple[int, str]] = []
    with open_pdf(pdf_path) as document:
        for index in range(len(document)):
            textpage = document[index].get_textpage()
            head = " ".join(textpage.get_text_range(0, min(40, textpage.count_chars())).split())
            match = re.match(r"Phụ lục ([IVXLC]+)\b", head)
            if match:
                starts.append((index, match[1]))
    if not starts:
        return []
    written = []
    with pikepdf.open(pdf_path) as pdf:
        bounds = [i for i, _n in starts] + [len(pdf.pages)]
        for (start, number), end in zip(starts, bounds[1:], strict=True):
            target = pdf_path.with_name(f"{pdf_path.stem}_phu-luc-{number}.pdf")
            save_pages(pdf, start, end, target)
            written.append(target)
        del pdf.pages[bounds[0]:]
        pdf.save(pdf_path.with_suffix(".tmp"), min_version=pdf.pdf_version, deterministic_id=True)
    pdf_path.with_suffix(".tmp").replace(pdf_path)
    for target in written:
        add_fields(target, [appendix_place(target)])
    return written


def pdf_up_to_date(docx: Path, out_dir: Path, pdfa: bool) -> bool:
    """Whether out_dir already holds this document's PDF, made after it (and PDF/A if asked)."""
    pdf = out_dir / f"{docx.stem}.pdf"
    try:
        fresh = pdf.stat().st_mtime_ns >= docx.stat().st_mtime_ns
    except OSError:
        return False
    return fresh and (not pdfa or pdfa_claim(pdf) == "2B")


def _unreadable(source: Path) -> str | None:
    """Why source is not a .docx LibreOffice should be given (it would open a text file too)."""
    try:
        names = {info.filename for info in check_bounds(source)}  # a zip bomb is refused before LibreOffice opens it
    except UnreadableDocument as exc:
        return _("{path} is not a .docx file ({detail})").format(path=source, detail=exc)
    if "word/document.xml" not in names:
        return _("{path} is not a .docx file ({detail})").format(path=source, detail="word/document.xml missing")
    return None


def make_pdfs(sources: list[Path], out_dir: Path, *, pdfa: bool = False, jobs: int = 2, timeout: float = 60.0,
              signature_fields: bool = True, appendix_files: bool = False,
              service: bool | None = None) -> Iterator[PdfOutcome]:
    """service: through the PDF service (None: unless VANTHU_PDF_SERVICE=0), else a pool of its own."""
    readable = []
    for source in sources:
        reason = _unreadable(source)
        if reason:
            yield PdfOutcome(source, None, [reason])
        else:
            readable.append(source)
    if not readable:
        return
    if service is None:
        from .service import enabled

        service = enabled()
    if service:
        from .service import remote_pdfs

        yield from remote_pdfs(readable, out_dir, pdfa=pdfa, jobs=jobs, timeout=timeout,
                               signature_fields=signature_fields, appendix_files=appendix_files)
        return
    with Converter(jobs=jobs, timeout=timeout, pdfa=pdfa) as converter:
        for result in converter.convert(readable, out_dir):
            yield finish(result, pdfa=pdfa, signature_fields=signature_fields, appendix_files=appendix_files)


def finish(result: PdfResult, *, pdfa: bool, signature_fields: bool, appendix_files: bool) -> PdfOutcome:
    """A converted document made ready: its appendices cut out (if asked), signature fields added,
    the PDF/A claim and the embedded fonts checked."""
    from .fields import add_fields, find_places, signer_blocks

    outcome = PdfOutcome(result.source, result.output)
    if result.output is None:
        outcome.problems.append(result.problem or _("conversion failed"))
        return outcome
    if appendix_files:
        outcome.appendices = split_appendices(result.output)
    if signature_fields:
        try:
            add_fields(result.output, find_places(result.output, signer_blocks(result.source)))
        except (ValueError, OSError, UnreadableDocument) as exc:
            outcome.notes.append(_("no signature field: {detail}").format(detail=exc))
    if pdfa:
        claim = pdfa_claim(result.output)
        if claim != "2B":
            outcome.problems.append(_("the PDF does not claim PDF/A-2b (it claims {claim})").format(
                claim=claim or "-"))
    for path in [result.output, *outcome.appendices]:
        if pdfa and path is not result.output and pdfa_claim(path) != "2B":
            outcome.problems.append(_("the PDF does not claim PDF/A-2b (it claims {claim})").format(
                claim=pdfa_claim(path) or "-"))
        _fonts, missing = font_report(path)
        if missing:
            outcome.problems.append(_("fonts not embedded: {fonts}").format(fonts=", ".join(missing)))
    return outcome
