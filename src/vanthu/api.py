"""vanthu as a library: every command's work, with plain typed results and no printing.

The CLI (vanthu/cli/) and the web application only call these functions. Each takes paths and
options, does the work through the stage packages, and returns an object that says what became
of every input — counts, per-document outcomes, problems with their origins — for the caller to
print or render. Progress is reported through a callback. Errors the user can act on are raised
as `VanthuError` (ConfigurationError for bad usage: exit code 2 in the CLI).

    from pathlib import Path
    from vanthu import api

    summary = api.generate([Path("records")], Path("out"))
    print(summary.written, "written,", summary.failed, "failed")
    for document in summary.documents:
        for problem in document.problems:
            print(problem)

Heavy stages (PDF, signing, the checker, Excel) are imported only by the functions that use them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigurationError, Origin, Problem, VanthuError
from .i18n import _
from .inputs import files_in

if TYPE_CHECKING:
    from .archive.pack import PackResult as ArchiveReport
    from .archive.verify import ArchiveCheck
    from .check.engine import FileReport
    from .check.rule import Rule
    from .edxml.read import ReceivedPackage
    from .edxml.write import PackageResult as EdxmlPackage
    from .pdf.pipeline import PdfOutcome
    from .pdf.service import ServiceStatus
    from .pdf.verify import SignatureReport
    from .register.book import Agency as RegisterAgency
    from .register.book import Entry as RegisterEntry
    from .register.workbook import ImportReport as RegisterImport
    from .review.collect import ReviewBatch, ReviewDocument
    from .review.site import ReviewReport

__all__ = [
    "ArchiveCheck",
    "ArchiveReport",
    "BatchSummary",
    "CheckReport",
    "DocumentOutcome",
    "EdxmlPackage",
    "FixReport",
    "LintFileReport",
    "LintReport",
    "PdfReport",
    "ProfileAgency",
    "ProgressEvent",
    "ReceivedPackage",
    "RegisterAgency",
    "RegisterEntry",
    "RegisterExport",
    "RegisterImport",
    "ReviewBatch",
    "ReviewDocument",
    "ReviewReport",
    "SignOutcome",
    "SignReport",
    "TagProblem",
    "TemplateReport",
    "TemplateVariable",
    "TypeInfo",
    "VerifiedFile",
    "VerifyReport",
    "archive",
    "archive_batches",
    "archive_verify",
    "check",
    "copy",
    "edxml",
    "edxml_read",
    "excel_template",
    "fix",
    "generate",
    "init_profile",
    "lint",
    "pdf_service_status",
    "pdf_service_stop",
    "profile_agencies",
    "records_of",
    "register_agencies",
    "register_entries",
    "register_entry",
    "register_export",
    "register_import",
    "register_sequences",
    "register_void",
    "review",
    "review_batch",
    "review_document_html",
    "review_index_html",
    "rules",
    "serve",
    "sign",
    "template_report",
    "template_variables",
    "to_pdf",
    "types",
    "users_add",
    "users_token",
    "verify",
    "web_app",
]

# Result types of stages that load heavy libraries (SQLAlchemy, openpyxl): given on first use, so
# that importing vanthu.api stays cheap.
_LAZY = {
    "ArchiveCheck": ("archive.verify", "ArchiveCheck"), "ArchiveReport": ("archive.pack", "PackResult"),
    "RegisterAgency": ("register.book", "Agency"), "RegisterEntry": ("register.book", "Entry"),
    "RegisterImport": ("register.workbook", "ImportReport"),
    "ReviewBatch": ("review.collect", "ReviewBatch"), "ReviewDocument": ("review.collect", "ReviewDocument"),
    "ReviewReport": ("review.site", "ReviewReport"),
    "EdxmlPackage": ("edxml.write", "PackageResult"), "ReceivedPackage": ("edxml.read", "ReceivedPackage"),
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attribute = _LAZY[name]
        return getattr(importlib.import_module(f"vanthu.{module}"), attribute)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---- results ------------------------------------------------------------------------------

@dataclass(frozen=True)
class DocumentOutcome:
    """What became of one record (or of an input that yielded no record)."""

    source: str  # the record's origin: file, line or cell
    status: str  # 'written', 'unchanged', 'failed', 'removed' (its record is gone, so is its file)
    output: Path | None = None
    problems: tuple[Problem, ...] = ()
    replaced: Path | None = None  # the record's earlier file, removed as it now has another name
    traceback: str = ""  # of an unexpected error inside vanthu, for --verbose

    @property
    def ok(self) -> bool:
        return self.status in ("written", "unchanged", "removed")


@dataclass(frozen=True)
class ProgressEvent:
    """Where a command is. stage 'render': after each work unit (a file or a part of a big one),
    with the documents done and expected so far, and, with `outcome` set, after each document;
    stage 'pdf': after each converted document."""

    stage: str
    done: int
    total: int
    path: Path | None = None
    files_done: int = 0
    files: int = 0
    file_finished: bool = False
    outcome: DocumentOutcome | PdfOutcome | None = None
    note: str | None = None  # a warning for the whole stage, said once before its work
    documents_done: int = 0  # stage 'render': records finished (failed ones too)
    documents: int = 0  # stage 'render': the batch's records, estimated until every file is read


Progress = Callable[[ProgressEvent], None]


@dataclass
class PdfReport:
    documents: list[PdfOutcome] = field(default_factory=list)
    unchanged: int = 0  # documents whose PDF was already up to date (generate --pdf reruns)
    font_warning: str | None = None  # Times New Roman missing: which font renders it

    @property
    def failed(self) -> int:
        return sum(1 for d in self.documents if not d.ok)

    @property
    def ok(self) -> bool:
        return self.failed == 0


@dataclass
class BatchSummary:
    """What a batch did. `documents` holds the outcomes worth a look — failures, removals and
    documents written with warnings — or every outcome with generate(keep_all=True): a batch of
    100,000 records would otherwise hold them all (the report file has every one)."""

    out_dir: Path
    documents: list[DocumentOutcome] = field(default_factory=list)
    bundle: Path | None = None  # written
    bundle_error: str | None = None  # the bundle could not be written: why
    bundle_pages: int = 0  # a PDF bundle's pages
    pdf: PdfReport | None = None
    notes: list[str] = field(default_factory=list)  # warnings for the whole batch (the template's styles …)
    register: str | None = None  # the register the batch numbered from (its URL, password hidden)
    counts: dict[str, int] = field(default_factory=lambda: {"written": 0, "unchanged": 0, "failed": 0, "removed": 0})

    def _count(self, status: str) -> int:
        return self.counts[status]

    @property
    def written(self) -> int:
        return self._count("written")

    @property
    def unchanged(self) -> int:
        return self._count("unchanged")

    @property
    def failed(self) -> int:
        return self._count("failed")

    @property
    def removed(self) -> int:
        return self._count("removed")

    @property
    def report(self) -> Path:
        from .batch.report import REPORT_FILE

        return self.out_dir / REPORT_FILE

    @property
    def ok(self) -> bool:
        return not self.failed and self.bundle_error is None and (self.pdf is None or self.pdf.ok)


@dataclass
class LintFileReport:
    path: Path
    problems: list[Problem] = field(default_factory=list)
    diff: str = ""  # the repairs as a unified diff ('' when there is nothing to repair)
    written: Path | None = None  # the repaired copy, with fix=True

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")


@dataclass
class LintReport:
    files: list[LintFileReport] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f.errors for f in self.files)

    @property
    def ok(self) -> bool:
        return self.errors == 0


@dataclass
class CheckReport:
    files: list[FileReport] = field(default_factory=list)

    @property
    def unreadable(self) -> int:
        return sum(1 for f in self.files if f.unreadable)

    @property
    def errors(self) -> int:
        return sum(f.errors for f in self.files)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.unreadable


@dataclass
class FixReport:
    source: Path
    target: Path
    done: list[str]  # one line per repair, in the user's language
    check: CheckReport  # the repaired copy, checked


@dataclass(frozen=True)
class SignOutcome:
    source: Path
    target: Path | None
    field: str = ""
    error: str = ""
    kind: str = ""  # agency signatures: 'main' (the seal over the signer's) or 'appendix' (a text stamp)


@dataclass
class SignReport:
    files: list[SignOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # a certificate signed with outside its validity …

    @property
    def failed(self) -> int:
        return sum(1 for f in self.files if f.error)


@dataclass(frozen=True)
class VerifiedFile:
    path: Path
    signatures: list[SignatureReport] = field(default_factory=list)
    error: str = ""  # the file could not be read as a PDF

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.signatures) and all(s.ok for s in self.signatures)


@dataclass
class VerifyReport:
    files: list[VerifiedFile] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)


@dataclass(frozen=True)
class TemplateVariable:
    name: str  # as the template reads it: 'trich_yeu', 'du_lieu.ten_du_an', 'nguoi_ky'
    supplied: bool  # vanthu gives it from every record
    how: str  # where its value comes from, or what to do so that it comes


@dataclass(frozen=True)
class TagProblem:
    paragraph: int  # 1-based, in the document's order
    text: str  # the paragraph's text
    message: str


@dataclass
class TemplateReport:
    path: Path
    variables: list[TemplateVariable] = field(default_factory=list)
    tags: list[TagProblem] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)  # what the template lacks of vanthu's styles, said
    error: str = ""  # the template cannot be compiled at all: why

    @property
    def ok(self) -> bool:
        return not self.error and not self.tags and not self.styles and all(v.supplied for v in self.variables)


@dataclass(frozen=True)
class TypeInfo:
    key: str
    abbreviation: str | None
    name: str
    model: str | None  # the Phụ lục III model (Mẫu 1.x)
    template: str | None  # the built-in template that renders it


# ---- generate ------------------------------------------------------------------------------

def _register_for(paths: list[Path], url: str | None, summary: BatchSummary):
    """The register a batch numbers from: the one named, or vanthu.db beside records that ask."""
    from .batch.inputs import record_files
    from .batch.numbering import asks_for_numbers

    if url is None:
        if not asks_for_numbers(record_files(paths)):
            return None
        from .register.store import default_url

        url = default_url(paths)
    from .register.store import Register

    book = Register(url)
    summary.register = book.display
    return book


def _outcome(result) -> DocumentOutcome:
    return DocumentOutcome(result.source, result.status, result.output, tuple(result.problems), result.replaced,
                           result.traceback)


def _names_a(path: Path, suffix: str) -> bool:
    """Whether an output option names a file of this kind (not a folder, not another type)."""
    return not path.is_dir() and path.suffix.lower() == suffix


def generate(paths: Sequence[Path], out_dir: Path, *, jobs: int | None = None, force: bool = False,
             template: Path | None = None, merge: Path | None = None, name: str | None = None,
             bundle: Path | None = None, strict: bool = False, pdf: bool = False, pdfa: bool = False,
             timeout: float = 60.0, progress: Progress | None = None, wait: bool = True,
             keep_all: bool = False, register: str | None = None, today: dt.date | None = None,
             draft: bool = False, copies: int | None = None, profile: Path | None = None,
             service: bool | None = None) -> BatchSummary:
    """Render every record of the files and folders given into out_dir (see `vanthu generate`).

    register is the register's URL (sqlite:///FILE, postgresql://…, or a file path): every
    record's number is registered there, and `so: auto` takes the next one. Without it, a batch
    with a `so: auto` record uses vanthu.db beside the records. today: the allocation date.
    draft: every document is marked as a draft ("DỰ THẢO", or "Dự thảo lần N" from the record's
    du_thao, and a diagonal watermark), số and date left blank; no register is opened.
    profile: an agency profile (vanthu.toml) for every record; without it, each file's nearest
    vanthu.toml (from its folder upward) fills in what `co_quan: KEY` and `nguoi_ky: KEY` name.
    bundle: ALL.docx (each document once, a section of its own) or ALL.pdf (for printing: each
    document repeated for its so_ban_phat_hanh copies, or `copies` of each, its page numbers
    starting at 1 again).

    Raises ConfigurationError before any work for a bad option (a missing input, a template
    that is not a .docx, a --name pattern with an unknown field …), and when another run holds
    out_dir and wait is False (with wait, it waits for that run, saying so once).
    """
    from .batch import default_jobs
    from .batch import generate as run_batch
    from .batch.run import Progress as UnitProgress

    if bundle is not None and not (_names_a(bundle, ".docx") or _names_a(bundle, ".pdf")):
        raise ConfigurationError(_("--bundle needs the name of a .docx or .pdf file: {path}").format(path=bundle))
    if profile is not None:
        from .records.profile import load_profile

        if not profile.is_file():
            raise ConfigurationError(_("no such file or folder: {path}").format(path=profile))
        load_profile(profile)  # a profile that cannot be read stops the batch before any work
        profile = profile.resolve()
    if copies is not None and not 1 <= copies <= 500:
        raise ConfigurationError(_("--copies {copies}: give 1 to 500").format(copies=copies))
    if copies is not None and (bundle is None or bundle.suffix.lower() != ".pdf"):
        raise ConfigurationError(_("--copies belongs to a PDF bundle: add --bundle ALL.pdf"))
    jobs = jobs or default_jobs()
    summary = BatchSummary(out_dir)
    fresh: set[Path] = set()

    def on_unit(p: UnitProgress) -> None:
        if progress:
            progress(ProgressEvent("render", p.units_done, p.units, p.path, p.files_done, p.files, p.file_finished,
                                   documents_done=p.documents_done, documents=p.documents))

    def on_note(note: str) -> None:
        summary.notes.append(note)
        if progress:
            progress(ProgressEvent("render", 0, 0, out_dir, note=note))

    documents: list[Path] = []  # kept only for the bundle and the PDF stage
    issued_amount: dict[Path, int] = {}  # each document's so_ban_phat_hanh, for a PDF bundle
    book = None if draft else _register_for(list(paths), register, summary)
    if draft and register is not None:
        on_note(_("drafts take no number: the register {url} is not used").format(url=register))
    try:
        for result in run_batch(list(paths), out_dir, template, merge=merge, force=force, jobs=jobs,
                                strict=strict, name=name, on_progress=on_unit, on_note=on_note, wait=wait,
                                register=book, today=today, draft=draft, profile=profile):
            outcome = _outcome(result)
            summary.counts[outcome.status] += 1
            if keep_all or outcome.problems or outcome.status in ("failed", "removed"):
                summary.documents.append(outcome)
            if outcome.status in ("written", "unchanged") and outcome.output is not None and (bundle or pdf or pdfa):
                documents.append(outcome.output)
                amount = result.metadata.get("IssuedAmount") if result.metadata else None
                issued_amount[outcome.output] = amount if isinstance(amount, int) and amount > 0 else 1
                if outcome.status == "written":
                    fresh.add(outcome.output)
            if progress:
                progress(ProgressEvent("render", 0, 0, outcome.output, outcome=outcome))
    finally:
        if book is not None:
            book.close()
    summary.out_dir = out_dir.resolve()
    if bundle is not None and documents and bundle.suffix.lower() == ".pdf":
        _pdf_bundle(summary, documents, bundle, {d: copies or issued_amount.get(d, 1) for d in documents},
                    pdfa=pdfa, use_batch_pdfs=pdf or pdfa, jobs=jobs, timeout=timeout)
    elif bundle is not None and documents:
        from .ooxml.combine import BundleError, write_bundle

        try:
            write_bundle(documents, bundle)
            summary.bundle = bundle
        except BundleError as exc:
            summary.bundle_error = str(exc)
        except OSError as exc:
            summary.bundle_error = _("cannot write {path}: {detail}").format(path=bundle, detail=exc.strerror or exc)
    if (pdf or pdfa) and documents:
        from .pdf.pipeline import pdf_up_to_date

        # a rerun converts what changed: an unchanged document whose PDF is there is left alone
        stale = [d for d in documents if d in fresh or not pdf_up_to_date(d, summary.out_dir, pdfa)]
        summary.pdf = to_pdf(stale, summary.out_dir, pdfa=pdfa, jobs=jobs, timeout=timeout, progress=progress,
                             service=service) if stale else PdfReport()
        summary.pdf.unchanged = len(documents) - len(stale)
    return summary


def _pdf_bundle(summary: BatchSummary, documents: list[Path], bundle: Path, copies: dict[Path, int], *,
                pdfa: bool, use_batch_pdfs: bool, jobs: int, timeout: float) -> None:
    """The printing PDF: the batch's own PDFs where it made them, else converted aside."""
    import tempfile

    from .errors import VanthuError
    from .pdf.bundle import write_pdf_bundle
    from .pdf.pipeline import make_pdfs

    with tempfile.TemporaryDirectory(prefix=".bundle-", dir=bundle.resolve().parent) as work:
        pdfs: dict[Path, Path] = {}
        if use_batch_pdfs:
            pdfs = {d: d.with_suffix(".pdf") for d in documents if d.with_suffix(".pdf").is_file()}
        missing = [d for d in documents if d not in pdfs]
        try:
            for outcome in make_pdfs(missing, Path(work), pdfa=pdfa, jobs=jobs, timeout=timeout,
                                     signature_fields=False):
                if outcome.output is None:
                    summary.bundle_error = _("{name}: {problem}").format(name=outcome.source.name,
                                                                        problem="; ".join(outcome.problems))
                    return
                pdfs[Path(outcome.source)] = outcome.output
            summary.bundle_pages = write_pdf_bundle([(pdfs[d], copies[d]) for d in documents], bundle)
            summary.bundle = bundle
        except VanthuError as exc:
            summary.bundle_error = exc.message
        except OSError as exc:
            summary.bundle_error = _("cannot write {path}: {detail}").format(path=bundle, detail=exc.strerror or exc)


# ---- PDF, signing, verification --------------------------------------------------------------

def _existing(paths: Iterable[Path], pattern: str) -> list[Path]:
    """The files named (folders searched for pattern), every one of them there."""
    found = files_in(list(paths), pattern)
    missing = [p for p in found if not p.is_file()]
    if missing:
        raise ConfigurationError(_("no such file or folder: {path}").format(path=missing[0]))
    return found


def to_pdf(docx_paths: Sequence[Path], out_dir: Path, *, pdfa: bool = False, jobs: int | None = None,
           timeout: float = 60.0, appendix_files: bool = False, progress: Progress | None = None,
           service: bool | None = None) -> PdfReport:
    """Convert .docx files (or folders of them) to PDF or PDF/A-2b, with signature fields.
    service: through the PDF service that outlives the command (started if need be; None: unless
    VANTHU_PDF_SERVICE=0); False: LibreOffice listeners of this call's own."""
    from .batch import default_jobs
    from .pdf.pipeline import make_pdfs, substitution_warning

    sources = _existing(docx_paths, "*.docx")
    report = PdfReport(font_warning=substitution_warning())
    if progress and report.font_warning:
        progress(ProgressEvent("pdf", 0, len(sources), note=report.font_warning))
    for outcome in make_pdfs(sources, out_dir, pdfa=pdfa, jobs=jobs or default_jobs(), timeout=timeout,
                             appendix_files=appendix_files, service=service):
        report.documents.append(outcome)
        if progress:
            progress(ProgressEvent("pdf", len(report.documents), len(sources), outcome.source, outcome=outcome))
    return report


def _quiet_pyhanko() -> None:
    """pyHanko logs the tracebacks of the errors it raises; vanthu says each in a line."""
    import logging

    for logger in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(logger).setLevel(logging.CRITICAL)


def _open_signer(pkcs12: Path | None, passphrase: str | None, pkcs11_lib: str | None, token_label: str | None,
                 key_label: str | None, cert_label: str | None, pin: str | None):
    """The signer of a PKCS#12 file or a PKCS#11 token (and the token's session, to close)."""
    from .pdf.sign import pkcs11_signer, pkcs12_signer

    if pkcs12 is not None:
        return pkcs12_signer(pkcs12, passphrase.encode("utf-8") if passphrase else None), None
    if not token_label or not key_label:
        raise ConfigurationError(_("a token needs --token-label and --key-label"))
    token = pkcs11_signer(pkcs11_lib, token_label, key_label, pin or "", cert_label)
    return token.signer, token


def sign(paths: Sequence[Path], output: Path, *, pkcs12: Path | None = None, passphrase: str | None = None,
         pkcs11_lib: str | None = None, token_label: str | None = None, key_label: str | None = None,
         cert_label: str | None = None, pin: str | None = None, field: str | None = None,
         image: Path | None = None, tsa: str | None = None, allow_invalid_time: bool = False,
         agency: bool = False, seal: Path | None = None, seal_mm: float | None = None,
         so_ky_hieu: str | None = None) -> SignReport:
    """Sign PDFs (PAdES) with a PKCS#12 file or a PKCS#11 token; output is a file for one PDF,
    a folder for several. A PDF that cannot be signed fails alone; the others are signed.

    agency: the agency's signature, applied by the văn thư after the competent person's (refused
    on a main document nobody has signed yet): the seal image (`seal`, a transparent PNG at its real
    size, or `seal_mm` wide) over the left third of the signer's signature; on an appendix in a file
    of its own, a text stamp at the top right with the document's number (`so_ky_hieu`, else the
    one the appendix quotes) and the signing time. Always an incremental update."""
    from .pdf.agency import AgencyOptions, AgencySignError, sign_agency
    from .pdf.sign import SignOptions, check_validity, sign_pdf

    _quiet_pyhanko()
    if (pkcs12 is None) == (pkcs11_lib is None):
        raise ConfigurationError(_("give either --pkcs12 FILE or --pkcs11-lib LIB"))
    if not agency and (seal is not None or seal_mm is not None or so_ky_hieu is not None):
        raise ConfigurationError(_("--seal, --seal-mm and --so-ky-hieu belong to the agency's signature: add --agency"))
    if agency and image is not None:
        raise ConfigurationError(_("the agency's signature shows its seal (--seal), not a signer's image (--image)"))
    if seal_mm is not None and not 10 <= seal_mm <= 80:
        raise ConfigurationError(_("--seal-mm {value}: a seal is 10 to 80 mm wide").format(value=seal_mm))
    for path in [*paths, *(p for p in (image, pkcs12, seal) if p is not None)]:
        if not path.is_file():
            raise ConfigurationError(_("no such file or folder: {path}").format(path=path))
    targets = [output if len(paths) == 1 and output.suffix.lower() == ".pdf" else output / p.name for p in paths]
    for path, target in zip(paths, targets, strict=True):
        if target.resolve() == path.resolve():
            raise ConfigurationError(_("signing never overwrites its input: choose another -o"))
    signer, token = _open_signer(pkcs12, passphrase, pkcs11_lib, token_label, key_label, cert_label, pin)
    options = SignOptions(field=field, image=image, tsa=tsa)
    report = SignReport()
    try:
        warning = check_validity(signer, allow_invalid_time)  # a certificate not valid now: refused
        if warning:
            report.warnings.append(warning)
        for path, target in zip(paths, targets, strict=True):
            try:
                if agency:
                    done = sign_agency(path, target, signer, AgencyOptions(seal, seal_mm, so_ky_hieu, tsa))
                    report.warnings += [n for n in done.notes if n not in report.warnings]
                    report.files.append(SignOutcome(path, target, done.field, kind=done.kind))
                else:
                    report.files.append(SignOutcome(path, target, sign_pdf(path, target, signer, options)))
            except AgencySignError as exc:  # this PDF cannot take it (nobody has signed it yet …): it fails alone
                report.files.append(SignOutcome(path, None, error=exc.message))
            except VanthuError:
                raise
            except Exception as exc:  # pyHanko raises many types for a PDF it cannot sign: this file fails
                report.files.append(SignOutcome(path, None, error=str(exc) or type(exc).__name__))
    finally:
        if token is not None:
            token.close()
    return report


def verify(paths: Sequence[Path], *, trust: Sequence[Path] = ()) -> VerifyReport:
    """Every signature of the PDFs (or folders of them): signer, time, integrity, coverage, trust."""
    from .pdf.verify import verify_pdf

    _quiet_pyhanko()
    for root in trust:
        if not Path(root).is_file():
            raise ConfigurationError(_("the trust file {path} does not exist").format(path=root))
    report = VerifyReport()
    for path in _existing(paths, "*.pdf"):
        try:
            report.files.append(VerifiedFile(path, verify_pdf(path, list(trust))))
        except Exception as exc:  # a file pyHanko cannot read: said, and the others go on
            report.files.append(VerifiedFile(path, error=str(exc) or type(exc).__name__))
    return report


# ---- checking ---------------------------------------------------------------------------------

def rules(select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[Rule]:
    """The checker's rules chosen by code, dotted name or glob (UnknownRuleError: exit 2)."""
    from .check.registry import select as select_rules

    return select_rules(list(select) or None, list(ignore) or None)


def check(paths: Sequence[Path], *, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> CheckReport:
    """Judge .docx files (or folders of them) against Decree 30, rule by rule."""
    from .check.engine import check_file

    chosen = rules(select, ignore)
    return CheckReport([check_file(path, chosen) for path in files_in(list(paths), "*.docx")])


def fix(source: Path, target: Path, *, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> FixReport:
    """Write a repaired copy of source to target (margins, fonts, sizes, leading zeros), never
    the input itself, and check the copy."""
    from .check.fixer import fix_document

    if not _names_a(target, ".docx"):
        raise ConfigurationError(_("--fix takes one input .docx and -o OUT.docx"))
    if target.resolve() == source.resolve():
        raise ConfigurationError(_("--fix never overwrites its input: choose another -o"))
    try:
        done = fix_document(source, target)
    except VanthuError as exc:
        raise ConfigurationError(_("{path} is not a .docx file ({detail})").format(path=source, detail=exc)) from None
    return FixReport(source, target, done, check([target], select=select, ignore=ignore))


# ---- records -------------------------------------------------------------------------------------

def lint(paths: Sequence[Path], *, fix: bool = False, output: Path | None = None) -> LintReport:
    """Check records without rendering them; with fix, write repaired copies (NAME.fixed.yaml …,
    in output when given), never over the input."""
    from .batch import record_files
    from .ooxml.package import atomic_write
    from .records.lint import fixed_path, lint_file

    report = LintReport()
    for path in record_files(list(paths)):
        result = lint_file(path)
        entry = LintFileReport(path, list(result.problems), result.diff)
        if fix and result.fixed is not None:
            target = fixed_path(path, output)
            if target.resolve() == path.resolve():
                raise ConfigurationError(_("--fix never overwrites its input: choose another -o"))
            atomic_write(target, result.fixed)
            entry.written = target
        report.files.append(entry)
    return report


def excel_template(path: Path, *, profile: Path | None = None) -> Path:
    """Write a blank workbook for records (docs/excel.md); the agency and signer key columns list
    the keys of `profile` (else of the nearest vanthu.toml from the workbook's folder upward)."""
    from .records.excel_template import write_blank_workbook
    from .records.profile import find_profile, load_profile

    if not _names_a(path, ".xlsx"):
        raise ConfigurationError(_("-o needs the name of a .xlsx file: {path}").format(path=path))
    if profile is not None and not profile.is_file():
        raise ConfigurationError(_("no such file or folder: {path}").format(path=profile))
    found = profile or find_profile(path.resolve().parent)
    chosen = load_profile(found) if found else None
    keys = (sorted(chosen.agencies), chosen.signer_keys()) if chosen else ([], [])
    try:
        write_blank_workbook(path, keys)
    except OSError as exc:
        raise ConfigurationError(_("cannot write {path}: {detail}").format(path=path, detail=exc.strerror or exc)) \
            from None
    return path


def types() -> list[TypeInfo]:
    """The document types of Decree 30, with their abbreviations and built-in templates."""
    from .nd30.doc_types import DOC_TYPES, template_for

    return [TypeInfo(t.key, t.abbreviation, t.name, t.model, template_for(t)) for t in DOC_TYPES.values()]


_SAMPLE_RECORD = {"loai": "TB", "co_quan": {"ten": "CƠ QUAN", "viet_tat": "CQ"}, "so": 1, "dia_danh": "Hà Nội",
                  "ngay": "01/01/2025", "trich_yeu": "Về việc", "noi_dung": "Nội dung.",
                  "nguoi_ky": {"chuc_vu": "GIÁM ĐỐC", "ho_ten": "Nguyễn Văn A"}, "noi_nhan": ["Nơi nhận"]}


def _tag_problems(path: Path) -> list[TagProblem]:
    """Tags a template's paragraphs hold that Jinja cannot read: opened in one paragraph and closed
    in another (or never), Word's curly quotes inside a tag, an expression that does not parse."""
    import re

    import jinja2

    from .docview import DocumentView

    env = jinja2.Environment()
    out = []
    for p in DocumentView(path).paragraphs:
        text = p.text
        if "{" not in text and "}" not in text:
            continue
        for opening, closing in (("{{", "}}"), ("{%", "%}")):
            if text.count(opening) != text.count(closing):
                out.append(TagProblem(p.number, text, _(
                    "'{opening} … {closing}' is not closed in the paragraph it opens in (a tag must stay in one "
                    "paragraph)").format(opening=opening, closing=closing)))
        for tag in re.findall(r"\{[{%].*?[}%]\}", text):
            if re.search("[“”‘’]", tag):
                out.append(TagProblem(p.number, text, _(
                    "{tag}: curly quotes inside a tag (Word's autocorrect); type straight quotes").format(tag=tag)))
            elif tag.startswith("{{"):
                try:
                    env.parse(re.sub(r"^\{\{[pr]? ", "{{ ", tag))
                except jinja2.TemplateSyntaxError as exc:
                    out.append(TagProblem(p.number, text, f"{tag}: {exc.message}"))
    return out


def template_report(template: Path) -> TemplateReport:
    """`vanthu template check`: what a template reads and whether vanthu can give it, its broken
    tags, and the styles it lacks."""
    from .model import VanBan
    from .records.excel_layout import DU_LIEU_PREFIX, SHEET_DOCUMENTS
    from .render.context import build_context
    from .render.engine import CompiledTemplate

    report = TemplateReport(template)
    if not template.is_file():
        raise ConfigurationError(_("template not found: {path}").format(path=template))
    try:
        report.tags = _tag_problems(template)
    except VanthuError as exc:
        raise ConfigurationError(_("{path} is not a .docx file ({detail})").format(path=template, detail=exc)) \
            from None
    try:
        compiled = CompiledTemplate.load(template)
    except ConfigurationError as exc:
        report.error = exc.message
        return report
    report.styles = list(compiled.notes)
    supplied = set(build_context(VanBan.model_validate(_SAMPLE_RECORD)))
    for name in sorted(compiled.variable_paths):
        root, _dot, rest = name.partition(".")
        if root == "du_lieu" and rest:
            how = _("from the record: du_lieu: {{{key}: …}} in YAML, a column headed {prefix}{key} on sheet {sheet} "
                    "in a workbook").format(key=rest, prefix=DU_LIEU_PREFIX, sheet=SHEET_DOCUMENTS)
            report.variables.append(TemplateVariable(name, True, how))
        elif root in supplied:
            report.variables.append(TemplateVariable(name, True, _("vanthu gives it from every record")))
        else:
            report.variables.append(TemplateVariable(name, False, _(
                "vanthu gives no '{name}': write {{{{ du_lieu.{name} }}}} in the template and give du_lieu: "
                "{{{name}: …}} in the record, or a column headed {prefix}{name} on sheet {sheet}").format(
                name=name, prefix=DU_LIEU_PREFIX, sheet=SHEET_DOCUMENTS)))
    return report


def template_variables(template: Path) -> list[str]:
    """The variables (dotted paths) a docxtpl template reads, sorted."""
    from .render.engine import CompiledTemplate

    return sorted(CompiledTemplate.load(template).variable_paths)


# ---- the register (sổ đăng ký văn bản đi) ----------------------------------------------------

def _open_register(url: str | None, *, create: bool = False):
    """The register named, or vanthu.db in the current folder when there is one."""
    from .register.store import DEFAULT_FILE, Register

    if url is None:
        if not Path(DEFAULT_FILE).is_file():
            raise ConfigurationError(_("say which register with --register URL (or VANTHU_REGISTER); there is no "
                                       "{name} here").format(name=DEFAULT_FILE))
        url = DEFAULT_FILE
    return Register(url, create=create)


def register_agencies(url: str | None) -> list[RegisterAgency]:
    """The agencies the register numbers for."""
    from .register.book import agencies

    with _open_register(url) as book:
        return agencies(book)


def register_entries(url: str | None, *, agency: str | None = None, year: int | None = None,
                     sequence: str | None = None, status: str | None = None) -> list[RegisterEntry]:
    """The register's lines (an agency by abbreviation or name), by agency, year, sequence, number."""
    from .register.book import entries, find_agency

    with _open_register(url) as book:
        key = find_agency(book, agency).key if agency is not None else None
        return entries(book, agency=key, year=year, sequence=sequence, status=status)


def register_entry(url: str | None, number: str, *, agency: str | None = None, year: int | None = None
                   ) -> RegisterEntry:
    """One line by its printed số/ký hiệu ('05/TB-SCT'), in a year (this year by default)."""
    from .register.book import find_agency, find_entry

    with _open_register(url) as book:
        key = find_agency(book, agency).key if agency is not None else None
        return find_entry(book, number, agency=key, year=year)


def register_void(url: str | None, number: str, reason: str, *, agency: str | None = None,
                  year: int | None = None) -> RegisterEntry:
    """Mark a number void, with the reason: it is never given again and stays in the export."""
    from .register.book import find_agency, find_entry, void

    with _open_register(url) as book:
        key = find_agency(book, agency).key if agency is not None else None
        return void(book, find_entry(book, number, agency=key, year=year), reason)


@dataclass(frozen=True)
class RegisterExport:
    path: Path
    agency: RegisterAgency
    year: int
    lines: int


def register_export(url: str | None, path: Path, *, agency: str | None = None, year: int | None = None
                    ) -> RegisterExport:
    """Write the Phụ lục IV register of an agency for a year (this year by default) to an .xlsx."""
    from .nd30.dates import today_in_vietnam
    from .register.book import find_agency
    from .register.workbook import export_workbook

    if path.suffix.lower() != ".xlsx":
        raise ConfigurationError(_("the register is exported to an .xlsx file, not {path}").format(path=path))
    if not path.parent.resolve().is_dir():
        raise ConfigurationError(_("no such folder: {path}").format(path=path.parent))
    year = year or today_in_vietnam().year
    with _open_register(url) as book:
        chosen = find_agency(book, agency)
        return RegisterExport(path, chosen, year, export_workbook(book, chosen, year, path))


def register_import(url: str | None, path: Path, *, agency_name: str | None = None, viet_tat: str | None = None,
                    chu_quan: str | None = None) -> RegisterImport:
    """Read a Phụ lục IV register workbook so that numbering continues from it; rows whose
    number is taken are refused, each by row."""
    from .register.workbook import import_workbook

    if not path.is_file():
        raise ConfigurationError(_("no such file or folder: {path}").format(path=path))
    with _open_register(url, create=True) as book:
        return import_workbook(book, path, agency_name=agency_name, viet_tat=viet_tat, chu_quan=chu_quan)


def register_sequences(url: str | None, *, agency: str | None = None,
                       groups: dict[str, list[str]] | None = None) -> dict[str, str]:
    """The agency's sequence groups (type key → sequence); with groups, set them first ({} = one
    shared sequence for every administrative document, the default)."""
    from .register.book import find_agency, sequence_groups, set_sequence_groups

    with _open_register(url) as book:
        chosen = find_agency(book, agency)
        if groups is not None:
            set_sequence_groups(book, chosen, groups)
        return sequence_groups(book, chosen)


# ---- archive batches ---------------------------------------------------------------------------

def archive(batch_dir: Path, output: Path, *, organ_id: str = "", ho_so: str = "", year: int | None = None
            ) -> ArchiveReport:
    """Pack a batch folder's .docx and .pdf files with manifest.json and manifest.xlsx (the
    Phụ lục VI fields and each file's SHA-256) into output; the same files give the same bytes."""
    from .archive.pack import pack

    if output.suffix.lower() != ".zip":
        raise ConfigurationError(_("the archive is a .zip file, not {path}").format(path=output))
    return pack(batch_dir, output, organ_id=organ_id, ho_so=ho_so, year=year)


def archive_batches(batch_dirs: Sequence[Path], output: Path, *, names: Sequence[str] | None = None,
                    organ_id: str = "", ho_so: str = "", year: int | None = None) -> ArchiveReport:
    """One archive of several batch folders (the web application's issued documents of a period):
    each folder's files under a folder of its own (`names`, else 001, 002 …), one manifest."""
    import tempfile

    from .archive.pack import pack, stage_batches

    if output.suffix.lower() != ".zip":
        raise ConfigurationError(_("the archive is a .zip file, not {path}").format(path=output))
    labels = list(names) if names is not None else [f"{i:03d}" for i in range(1, len(batch_dirs) + 1)]
    if len(labels) != len(batch_dirs) or len(set(labels)) != len(labels):
        raise ConfigurationError(_("each batch folder needs a name of its own in the archive"))
    for folder in batch_dirs:
        if not folder.is_dir():
            raise ConfigurationError(_("no such folder: {path}").format(path=folder))
    with tempfile.TemporaryDirectory(prefix=".archive-", dir=output.resolve().parent) as work:
        root = Path(work) / "batch"
        root.mkdir()
        stage_batches(list(zip(labels, batch_dirs, strict=True)), root)
        return pack(root, output, organ_id=organ_id, ho_so=ho_so, year=year)


def archive_verify(path: Path, *, trust: Sequence[Path] = ()) -> ArchiveCheck:
    """Every file of an archive against its manifest, and every signed PDF's signatures."""
    from .archive.verify import verify_archive

    if not path.is_file():
        raise ConfigurationError(_("no such file or folder: {path}").format(path=path))
    for root in trust:
        if not Path(root).is_file():
            raise ConfigurationError(_("the trust file {path} does not exist").format(path=root))
    _quiet_pyhanko()
    return verify_archive(path, list(trust))


# ---- the PDF service ---------------------------------------------------------------------------

def pdf_service_status() -> ServiceStatus:
    """Whether the PDF service runs, its pid, listeners, conversions and the seconds before it stops."""
    from .pdf.service import status

    return status()


def pdf_service_stop() -> bool:
    """Stop the PDF service (its listeners with it); False when none was running."""
    from .pdf.service import stop

    return stop()


# ---- review ---------------------------------------------------------------------------------------

def review_batch(batch_dir: Path, *, previous: Path | None = None) -> ReviewBatch:
    """A batch folder's documents as a review shows them: facts, conformance findings, text and,
    with `previous` (an earlier batch of the same records), each one's word-level difference from
    the same record's document there and its status (new, changed, unchanged, removed)."""
    from .review.collect import collect

    if previous is not None and previous.resolve() == batch_dir.resolve():
        raise ConfigurationError(_("--previous names the batch itself: give the earlier batch's folder"))
    return collect(batch_dir, previous)


def review_index_html(batch: ReviewBatch, *, link: Callable[[ReviewDocument], str] | None = None) -> str:
    """The review index page (sortable, filterable) as a string; `link` gives each document's address."""
    from .review.pages import index_html

    return index_html(batch, link=link)


def review_document_html(batch: ReviewBatch, document: ReviewDocument, *, index: str = "../index.html",
                         link: Callable[[ReviewDocument], str] | None = None, prefix: str = "../") -> str:
    """One document's review page as a string: its facts, findings, difference and page pictures
    (whose addresses are `prefix` + each of document.pages)."""
    from .review.pages import document_html

    return document_html(batch, document, index=index, link=link, prefix=prefix)


def review(batch_dir: Path, site: Path, *, previous: Path | None = None, jobs: int | None = None,
           timeout: float = 60.0) -> ReviewReport:
    """Write the static review site of a batch into `site` (see `vanthu review`): opens from disk,
    no server and nothing fetched from elsewhere. A site written before is replaced whole; a
    folder that is not one is refused."""
    from .batch import default_jobs
    from .review.site import write_site

    return write_site(review_batch(batch_dir, previous=previous), site, jobs=jobs or default_jobs(), timeout=timeout)


# ---- copies (bản sao) ------------------------------------------------------------------------------

@dataclass
class CopyReport:
    target: Path
    kind: str
    so_ky_hieu: str  # '03/SY-SCT', or '/SY-SCT' left blank
    same_page: bool  # the form stands under the document's end on its last page (else on a page of its own)
    pages: int
    signed: bool  # an electronic copy, certified by the copying agency's signature
    register: str | None = None
    notes: list[str] = field(default_factory=list)


def _copy_record(path: Path):
    import yaml
    from pydantic import ValidationError

    from .model import BanSao
    from .records.source import dotted

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigurationError(_("cannot read {path}: {detail}").format(path=path, detail=exc)) from None
    try:
        return BanSao.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{dotted(tuple(e['loc'])) or '-'}: {e['msg']}" for e in exc.errors(include_url=False))
        raise ConfigurationError(_("{path}: {problems}").format(path=path, problems=problems)) from None


def copy(source: Path, output: Path, *, kind: str, record: Path, register: str | None = None,
         pkcs12: Path | None = None, passphrase: str | None = None, pkcs11_lib: str | None = None,
         token_label: str | None = None, key_label: str | None = None, cert_label: str | None = None,
         pin: str | None = None, tsa: str | None = None, today: dt.date | None = None,
         timeout: float = 60.0) -> CopyReport:
    """A copy of a signed PDF (`kind`: sao-y, trich-sao, sao-luc): the copy form of Mẫu 3.1 after
    the document's end, from `record` (a YAML file: the copying agency, dia_danh, ngay, so, nguoi_ky,
    noi_nhan); with a key (PKCS#12 or PKCS#11), an electronic copy signed by the copying agency at
    the top right of page 1. Its number comes from the register's copy sequence when `so: auto`
    (or when `register` is given, where a typed number is registered)."""
    import hashlib

    from .nd30.dates import VIETNAM, date_line
    from .nd30.numbering import format_number
    from .pdf.copies import make_copy
    from .render.copy_form import COPY_KINDS, CopyForm, noi_nhan_printed

    _quiet_pyhanko()
    if kind not in COPY_KINDS:
        raise ConfigurationError(_("--kind is one of {kinds}, not {kind}").format(kinds=", ".join(COPY_KINDS),
                                                                              kind=kind))
    for path in (source, record, *(p for p in (pkcs12,) if p is not None)):
        if not path.is_file():
            raise ConfigurationError(_("no such file or folder: {path}").format(path=path))
    if output.resolve() == source.resolve() or output.suffix.lower() != ".pdf":
        raise ConfigurationError(_("the copy is a new .pdf file, not {path}").format(path=output))
    if pkcs12 is not None and pkcs11_lib is not None:
        raise ConfigurationError(_("give either --pkcs12 FILE or --pkcs11-lib LIB"))
    ban_sao = _copy_record(record)
    label, abbreviation = COPY_KINDS[kind]
    symbol = f"{abbreviation}-{ban_sao.co_quan.viet_tat}"
    day = ban_sao.ngay or today or dt.datetime.now(VIETNAM).date()
    number: int | None = ban_sao.so if isinstance(ban_sao.so, int) else None
    used = None
    if ban_sao.so == "auto" or register is not None:
        from .register.allocate import Allocation, Request, agency_key, allocate
        from .register.store import Register, default_url

        url = register or default_url([record])
        book = Register(url)
        try:
            agency = ban_sao.co_quan
            key = f"copy:{kind}:{hashlib.sha256(source.read_bytes()).hexdigest()}"
            request = Request(key=key, source=str(source), agency=agency_key(agency.ten, agency.chu_quan),
                              agency_ten=agency.ten, agency_chu_quan=agency.chu_quan, agency_viet_tat=agency.viet_tat,
                              loai=kind.replace("-", "_"), ten_loai=f"Bản {label.lower()}", ky_hieu=symbol,
                              so=number, ngay=ban_sao.ngay, number_year=False, secret=False, advisory=False,
                              trich_yeu=source.name, nguoi_ky=ban_sao.nguoi_ky.ho_ten,
                              noi_nhan="; ".join(ban_sao.noi_nhan), copy=True)
            (done,) = allocate(book, [request], today=today)
            if not isinstance(done, Allocation):
                raise ConfigurationError(done.message)
            number, day, used = done.so, done.ngay, book.display
        finally:
            book.close()
    so_line = f"Số: {format_number(number).strip() if number else '      '}/{symbol}"
    s = ban_sao.nguoi_ky
    form = CopyForm(kind, ban_sao.co_quan.ten, ban_sao.co_quan.chu_quan or "", so_line, ban_sao.dia_danh,
                    date_line(ban_sao.dia_danh, day), (s.quyen_han, s.thay_mat, s.chuc_vu, s.ho_ten),
                    noi_nhan_printed(list(ban_sao.noi_nhan)))
    signer, token = (None, None)
    if pkcs12 is not None or pkcs11_lib is not None:
        signer, token = _open_signer(pkcs12, passphrase, pkcs11_lib, token_label, key_label, cert_label, pin)
    try:
        done = make_copy(source, output, form, signer=signer, tsa=tsa, timeout=timeout)
    finally:
        if token is not None:
            token.close()
    number_text = f"{format_number(number).strip()}/{symbol}" if number else f"/{symbol}"
    return CopyReport(done.target, kind, number_text, done.same_page, done.pages, done.signed, used, done.notes)


# ---- edXML (QCVN 102:2016) ------------------------------------------------------------------------

def edxml(batch_dir: Path, out_dir: Path, *, organ_id: str | None = None, config: Path | None = None,
          strict: bool = False, now: dt.datetime | None = None) -> list[EdxmlPackage]:
    """An edXML package per issued document of a batch folder (its signed PDF and appendix files
    attached), each checked against the shipped schema. organ_id: the sender's mã định danh (also
    sender.organ_id in config); config: a YAML file with the sender, the receivers' identifiers and
    the exchange's codes (docs/edxml.md). What is missing is a warning on its package, and with
    strict the package is not written. now: the trace header's time."""
    from .edxml.config import load_config
    from .edxml.write import write_packages

    if config is not None and not config.is_file():
        raise ConfigurationError(_("no such file or folder: {path}").format(path=config))
    if not batch_dir.is_dir():
        raise ConfigurationError(_("no such folder: {path}").format(path=batch_dir))
    return write_packages(batch_dir, out_dir, load_config(config, organ_id), strict=strict, now=now)


def edxml_read(path: Path, out_dir: Path) -> ReceivedPackage:
    """Check a received edXML package (schema, manifest against attachments, SHA-256 where given)
    and, when it is sound, extract its documents and a YAML record of its metadata into out_dir."""
    from .edxml.read import read_package

    if not path.is_file():
        raise ConfigurationError(_("no such file or folder: {path}").format(path=path))
    return read_package(path, out_dir)


# ---- agency profiles ------------------------------------------------------------------------------

def parse_signer(spec: str) -> tuple[str, dict[str, str]]:
    """'pho-giam-doc=KT. GIÁM ĐỐC/PHÓ GIÁM ĐỐC/Nguyễn Văn An' (authority optional) → key, signer."""
    key, sep, rest = spec.partition("=")
    parts = [p.strip() for p in rest.split("/")]
    if not sep or not key.strip() or len(parts) not in (2, 3) or not all(parts):
        raise ConfigurationError(_("--nguoi-ky '{spec}': write KEY=[AUTHORITY/]TITLE/NAME, e.g. "
                                   "pho-giam-doc=KT. GIÁM ĐỐC/PHÓ GIÁM ĐỐC/Nguyễn Văn An").format(spec=spec))
    signer = {"chuc_vu": parts[-2], "ho_ten": parts[-1]}
    if len(parts) == 3:
        form, _space, on_behalf = parts[0].partition(" ")
        signer = {"quyen_han": form, "thay_mat": on_behalf.strip(), **signer}
    return key.strip(), signer


def init_profile(folder: Path, *, key: str, ten: str, viet_tat: str, chu_quan: str | None = None,
                 ten_goi: str | None = None, dia_danh: str | None = None, ma_dinh_danh: str | None = None,
                 signers: dict[str, dict[str, str]] | None = None, units: dict[str, str] | None = None,
                 noi_nhan: Sequence[str] = (), luu: Sequence[str] = (), contacts: dict[str, str] | None = None,
                 force: bool = False) -> Path:
    """Write folder/vanthu.toml for one agency (see `vanthu init`); refuses to replace one unless force.
    The profile is read back (as generate will read it) before it is put in place."""
    import re

    from .edxml.organ import valid_organ_id
    from .ooxml.package import atomic_write
    from .records.profile import PROFILE_NAME, load_profile, profile_toml

    target = folder / PROFILE_NAME
    if target.exists() and not force:
        raise ConfigurationError(_("{path} exists: edit it, or give --force to write a new one").format(path=target))
    if not re.fullmatch(r"[A-Za-z0-9_-]+", key):
        raise ConfigurationError(_("--key '{key}': letters, digits, '-' and '_' only (e.g. sct)").format(key=key))
    if not re.fullmatch(r"[0-9A-Za-zĐđ]+", viet_tat or ""):
        raise ConfigurationError(_("--viet-tat '{value}': the abbreviation in the ký hiệu, letters and digits "
                                   "(e.g. SCT)").format(value=viet_tat))
    if ma_dinh_danh and not valid_organ_id(ma_dinh_danh):
        raise ConfigurationError(_("--ma-dinh-danh '{id}' is not an organ identifier in a form QĐ 20/2020/QĐ-TTg or "
                                   "QĐ 09/2025/QĐ-TTg allows (e.g. 000.00.00.H41, H01.151)").format(id=ma_dinh_danh))
    agency = {"ten": ten, "viet_tat": viet_tat, "chu_quan": chu_quan, "ten_goi": ten_goi, "dia_danh": dia_danh,
              "ma_dinh_danh": ma_dinh_danh, "noi_nhan": list(noi_nhan), "luu": list(luu)}
    text = profile_toml(key, agency, signers or {}, units or {}, contacts or {})
    folder.mkdir(parents=True, exist_ok=True)
    probe = folder / f".{PROFILE_NAME}.check"
    probe.write_text(text, encoding="utf-8")
    try:
        load_profile(probe)
    finally:
        probe.unlink(missing_ok=True)
    atomic_write(target, text.encode("utf-8"))
    return target


# ---- records and profiles, as the web application reads them -------------------------------------

def records_of(path: Path) -> tuple[list[dict], list[Problem]]:
    """The records of a YAML file or workbook as plain data (each one a record a YAML file of its
    own would hold), and the problems of reading it: the same reader the batch uses."""
    from .records.reading import read_records

    if not path.is_file():
        raise ConfigurationError(_("no such file or folder: {path}").format(path=path))
    try:
        raws, problems = read_records(path)
    except VanthuError as exc:
        return [], [*exc.problems] or [Problem(exc.origin or Origin(str(path)), exc.field, exc.message)]
    return [raw.data for raw in raws if isinstance(raw.data, dict)], [*problems, *(p for r in raws
                                                                                   for p in r.problems)]


@dataclass(frozen=True)
class ProfileAgency:
    key: str
    ten: str
    signers: list[tuple[str, str]]  # key, what the form shows ('KT. GIÁM ĐỐC – Nguyễn Văn An')


def profile_agencies(path: Path | None) -> list[ProfileAgency]:
    """The agencies of a profile (vanthu.toml) and their signers, for choosing from."""
    from .records.profile import load_profile

    if path is None:
        return []
    profile = load_profile(path)
    out = []
    for key, agency in profile.agencies.items():
        signers = []
        for signer_key, signer in (agency.get("nguoi_ky") or {}).items():
            forms = " ".join(filter(None, [str(signer.get("quyen_han") or ""), str(signer.get("thay_mat") or "")]))
            title = f"{forms} / {signer.get('chuc_vu', '')}" if forms else str(signer.get("chuc_vu", ""))
            signers.append((signer_key, f"{title} – {signer.get('ho_ten', '')}"))
        out.append(ProfileAgency(key, str(agency.get("ten", key)), signers))
    return out


# ---- the web application (vanthu serve) -----------------------------------------------------------

def users_add(data: Path | None, name: str, role: str, password: str) -> str:
    """Add a person to the web application's data folder (or set their role and password); the
    folder is made if it is not there. Returns the role."""
    from .web.auth import check_role, hash_password
    from .web.settings import load_settings
    from .web.store import WebStore

    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise ConfigurationError(_("a user name has 1 to 100 characters"))
    check_role(role)
    settings = load_settings(data, create=True)
    store = WebStore(settings.database_url)
    try:
        store.add_user(name, role, hash_password(password))
        with store.begin() as conn:
            store.log(conn, "vanthu users", "user-add", None, f"{name}: {role}")
    finally:
        store.close()
    return role


def users_token(data: Path | None, name: str) -> str:
    """A new API token for a person (shown once; only its hash is kept)."""
    from .web.auth import new_api_token
    from .web.settings import load_settings
    from .web.store import WebStore

    settings = load_settings(data)
    store = WebStore(settings.database_url)
    try:
        found = store.user_by_name(name)
        if found is None:
            raise ConfigurationError(_("no user {name}: add them with vanthu users add").format(name=name))
        token = new_api_token(store, found[0])
        with store.begin() as conn:
            store.log(conn, "vanthu users", "token", None, name)
        return token
    finally:
        store.close()


def web_app(data: Path | None, *, register: str | None = None, database: str | None = None):
    """The web application (an ASGI app) on a data folder, for uvicorn or any ASGI server."""
    from .web.app import create_app
    from .web.settings import load_settings

    return create_app(load_settings(data, register=register, database=database))


def serve(data: Path | None, *, host: str = "127.0.0.1", port: int = 8000, register: str | None = None,
          database: str | None = None) -> None:
    """Run the web application until interrupted (see `vanthu serve`)."""
    import uvicorn

    app = web_app(data, register=register, database=database)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
