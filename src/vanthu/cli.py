"""Command line: parses arguments, composes the stages, turns problems into exit codes.

Exit codes: 0 all written; 1 some records failed (the others written); 2 usage or
configuration error. No traceback reaches the user unless --verbose is given.
"""

from __future__ import annotations

import json
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import __version__
from .batch import REPORT_FILE, default_jobs, record_files
from .batch import Progress as BatchProgress
from .batch import generate as generate_batch
from .check import registry as check_registry
from .check.document import UnreadableDocument
from .check.engine import check_file
from .check.fix import fix_document
from .errors import ConfigurationError, VanthuError
from .i18n import _, set_language
from .inputs import files_in
from .nd30.doc_types import DOC_TYPES, template_for
from .records.excel_template import write_blank_workbook
from .records.lint import fixed_path, lint_file
from .render.bundle import BundleError, write_bundle
from .render.docx_zip import atomic_write
from .render.engine import CompiledTemplate

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="vanthu: Vietnamese administrative documents laid out to Decree 30/2020/NĐ-CP.")
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

LangOption = Annotated[str | None, typer.Option("--lang", help="Message language: vi (default) or en.")]
VerboseOption = Annotated[bool, typer.Option("--verbose", help="Show tracebacks of unexpected errors.")]
TimeoutOption = Annotated[float, typer.Option("--timeout", min=1, help="Seconds LibreOffice may take per document.")]


def _run(action, verbose: bool) -> int:
    """The one boundary where errors become messages and exit codes."""
    try:
        return action()
    except VanthuError as exc:
        err.print(f"vanthu: {exc.message}", markup=False)
        for problem in exc.problems:
            err.print(f"  {problem}", markup=False)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # last resort: say what happened, keep the traceback for --verbose
        err.print(_("vanthu: unexpected error: {detail}").format(detail=f"{type(exc).__name__}: {exc}"),
                  markup=False)
        if verbose:
            traceback.print_exc()
        else:
            err.print(_("(run again with --verbose for details)"), markup=False)
        return EXIT_FAILED


@app.command()
def generate(
    paths: Annotated[list[Path], typer.Argument(help="Record files (.yaml, .xlsx) or folders of them.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder.")] = Path("out"),
    template: Annotated[Path | None, typer.Option("--template", help="Your own docxtpl .docx template.")] = None,
    merge: Annotated[Path | None, typer.Option("--merge", help="Recipients (.xlsx sheet NguoiNhan, or .csv): "
                                                               "one document per recipient.")] = None,
    jobs: Annotated[int | None, typer.Option("-j", "--jobs", min=1, help="Processes (default: the CPU count).")]
    = None,
    force: Annotated[bool, typer.Option("--force", help="Render again even what is unchanged.")] = False,
    bundle: Annotated[Path | None, typer.Option("--bundle", help="Also write one combined .docx for printing.")]
    = None,
    name: Annotated[str | None, typer.Option("--name", help="File names from a pattern, e.g. "
                                             "'{so}_{nguoi_nhan.kinh_gui}' (docs/records.md).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="A record with any warning (hygiene repairs …) fails.")]
    = False,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write a PDF of each document.")] = False,
    pdfa: Annotated[bool, typer.Option("--pdfa", help="Also write a PDF/A-2b of each document.")] = False,
    timeout: TimeoutOption = 60.0,
    lang: LangOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Render records into Decree 30 documents (.docx)."""
    set_language(lang)

    def action() -> int:
        if bundle is not None and not _names_a(bundle, ".docx"):
            raise ConfigurationError(_("--bundle needs the name of a .docx file: {path}").format(path=bundle))
        counts = {"written": 0, "unchanged": 0, "failed": 0, "removed": 0}
        documents: list[Path] = []  # kept only for --bundle and --pdf
        written: set[Path] = set()
        with progress_reporter() as on_progress:
            for result in generate_batch(list(paths), output, template, merge=merge, force=force,
                                         jobs=jobs or default_jobs(), strict=strict, name=name,
                                         on_progress=on_progress):
                counts[result.status] += 1
                if result.status == "removed":
                    out.print(_("removed: {path} (its record is no longer in {source})").format(
                        path=result.output, source=result.source), markup=False)
                    continue
                if (bundle is not None or pdf or pdfa) and result.output is not None:
                    documents.append(result.output)
                    if result.status == "written":
                        written.add(result.output)
                for problem in result.problems:
                    err.print(str(problem), markup=False)
                if result.status == "failed":
                    err.print(_("failed: {source}").format(source=result.source), markup=False)
        if not any(counts.values()):
            err.print(f"{_('warning')}: " + _("no records found in {paths}").format(
                paths=", ".join(map(str, paths))), markup=False)
        bundle_failed = False
        if bundle is not None and not documents:
            err.print(f"{_('warning')}: " + _("nothing to bundle"), markup=False)
        elif bundle is not None:
            try:
                write_bundle(documents, bundle)
                out.print(_("bundle: {path}").format(path=bundle), markup=False)
            except BundleError as exc:
                bundle_failed = True
                err.print(f"vanthu: {exc}", markup=False)
            except OSError as exc:
                bundle_failed = True
                err.print("vanthu: " + _("cannot write {path}: {detail}").format(
                    path=bundle, detail=exc.strerror or exc), markup=False)
        out.print(_("{written} written, {unchanged} unchanged, {failed} failed").format(**counts), markup=False)
        out.print(_("report: {path}").format(path=output / REPORT_FILE), markup=False)
        pdf_failed = 0
        if (pdf or pdfa) and documents:
            from .pdf.pipeline import pdf_up_to_date

            # a rerun converts what changed: an unchanged document whose PDF is there is left alone
            stale = [d for d in documents if d in written or not pdf_up_to_date(d, output, pdfa)]
            if len(stale) < len(documents):
                out.print(_("{count} PDFs unchanged").format(count=len(documents) - len(stale)), markup=False)
            pdf_failed = _pdf_stage(stale, output, pdfa, jobs, timeout) if stale else 0
        return EXIT_FAILED if counts["failed"] or pdf_failed or bundle_failed else EXIT_OK

    raise typer.Exit(_run(action, verbose))


@contextmanager
def progress_reporter():
    """A progress bar on a terminal, moving per work unit (a big workbook or a mail merge is
    several); plain lines otherwise, one per input file finished."""
    if err.is_terminal:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True) as bar:
            task = bar.add_task("vanthu", total=None)

            def advance(progress: BatchProgress) -> None:
                bar.update(task, completed=progress.units_done, total=progress.units)

            yield advance
        return

    def line(progress: BatchProgress) -> None:
        if progress.file_finished and progress.files > 1:
            err.print(f"[{progress.files_done}/{progress.files}] {progress.path}", markup=False)

    yield line


@app.command("excel-template")
def excel_template(
    output: Annotated[Path, typer.Option("-o", "--output", help="The .xlsx file to write.")],
    lang: LangOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Write a blank workbook for records (docs/excel.md)."""
    set_language(lang)

    def action() -> int:
        if not _names_a(output, ".xlsx"):
            raise ConfigurationError(_("-o needs the name of a .xlsx file: {path}").format(path=output))
        try:
            write_blank_workbook(output)
        except OSError as exc:
            raise ConfigurationError(_("cannot write {path}: {detail}").format(
                path=output, detail=exc.strerror or exc)) from None
        out.print(_("written: {path}").format(path=output), markup=False)
        return EXIT_OK

    raise typer.Exit(_run(action, verbose))


@app.command()
def check(
    paths: Annotated[list[Path] | None, typer.Argument(help=".docx files or folders of them.")] = None,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    select: Annotated[str | None, typer.Option("--select", help="Rule codes, names or globs, comma-separated.")]
    = None,
    ignore: Annotated[str | None, typer.Option("--ignore", help="Rules to leave out, comma-separated.")] = None,
    list_rules: Annotated[bool, typer.Option("--list-rules", help="Print the rule registry and stop.")] = False,
    fix: Annotated[bool, typer.Option("--fix", help="Write a repaired copy (with -o); never the input.")] = False,
    fixed_output: Annotated[Path | None, typer.Option("-o", "--output", help="Where --fix writes.")] = None,
    lang: LangOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Judge .docx files against Decree 30, rule by rule and clause by clause."""
    set_language(lang)
    if output_format not in ("text", "json"):
        err.print(_("--format is text or json"), markup=False)
        raise typer.Exit(EXIT_USAGE)

    def action() -> int:
        try:
            rules = check_registry.select(_codes(select), _codes(ignore))
        except check_registry.UnknownRuleError as exc:
            raise ConfigurationError(_("no rule matches {patterns}: see vanthu check --list-rules").format(
                patterns=", ".join(exc.patterns))) from None
        if list_rules:
            for r in rules:
                out.print(f"{r.code}  {r.name:<28} {r.severity:<8} {'fix' if r.fixable else '   '}  {r.title} "
                          f"({r.clause})", markup=False)
            return EXIT_OK
        if not paths:
            raise ConfigurationError(_("name the .docx files or folders to check"))
        if fix:
            if len(paths) != 1 or fixed_output is None or not _names_a(fixed_output, ".docx"):
                raise ConfigurationError(_("--fix takes one input .docx and -o OUT.docx"))
            source = paths[0]
            if fixed_output.resolve() == source.resolve():
                raise ConfigurationError(_("--fix never overwrites its input: choose another -o"))
            try:
                done = fix_document(source, fixed_output)
            except UnreadableDocument as exc:
                raise ConfigurationError(_("{path} is not a .docx file ({detail})").format(
                    path=source, detail=exc)) from None
            for line in done:
                out.print(line, markup=False)
            out.print(_("written: {path}").format(path=fixed_output), markup=False)
            paths[:] = [fixed_output]
        reports = [check_file(path, rules) for path in files_in(list(paths), "*.docx")]
        if output_format == "json":
            out.print(json.dumps([r.to_json() for r in reports], ensure_ascii=False, indent=1), markup=False)
        else:
            for report in reports:
                print_check_report(report)
        if any(r.unreadable for r in reports):
            return EXIT_USAGE
        return EXIT_FAILED if any(r.errors for r in reports) else EXIT_OK

    raise typer.Exit(_run(action, verbose))


def _codes(text: str | None) -> list[str] | None:
    return [c.strip() for c in text.split(",") if c.strip()] if text else None


def print_check_report(report) -> None:
    out.print(str(report.path), markup=False)
    if report.unreadable:
        err.print(f"  {report.unreadable}", markup=False)
        return
    mark = {"error": _("error"), "warning": _("warning")}
    not_evaluated = []
    for result in report.results:
        if result.status == "not_evaluated":
            not_evaluated.append(result.rule.code)
            if result.note:
                err.print(f"  {result.rule.code} {result.rule.name}: {result.note}", markup=False)
        for finding in result.findings:
            fix_note = f" [{_('fix')}: {finding.fix}]" if finding.fix and result.rule.fixable else ""
            out.print(f"  {result.rule.code} {mark[result.rule.severity]} {result.rule.name} "
                      f"({result.rule.clause}) — {finding.location}: {finding.message}{fix_note}", markup=False)
    passed = sum(1 for r in report.results if r.status == "pass")
    out.print("  " + _("{errors} errors, {warnings} warnings; {passed} rules passed, {skipped} not evaluated").format(
        errors=report.errors, warnings=report.warnings, passed=passed, skipped=len(not_evaluated))
        + (f" ({', '.join(not_evaluated)})" if not_evaluated else ""), markup=False)


@app.command()
def lint(
    paths: Annotated[list[Path], typer.Argument(help="Record files (.yaml, .xlsx) or folders of them.")],
    fix: Annotated[bool, typer.Option("--fix", help="Write repaired copies (NAME.fixed.yaml …).")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print the repairs as a diff; write nothing.")] = False,
    fixed_dir: Annotated[Path | None, typer.Option("-o", "--output", help="Folder for the repaired copies.")]
    = None,
    lang: LangOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Check records without rendering them; repair their text into copies."""
    set_language(lang)

    def action() -> int:
        errors = 0
        for path in record_files(list(paths)):
            result = lint_file(path)
            errors += result.errors
            for problem in result.problems:
                (err if problem.severity == "error" else out).print(str(problem), markup=False)
            if diff and result.diff:
                out.print(result.diff, markup=False, end="")
            elif fix and result.fixed is not None:
                target = fixed_path(path, fixed_dir)
                if target.resolve() == path.resolve():
                    raise ConfigurationError(_("--fix never overwrites its input: choose another -o"))
                atomic_write(target, result.fixed)
                out.print(_("written: {path}").format(path=target), markup=False)
        return EXIT_FAILED if errors else EXIT_OK

    raise typer.Exit(_run(action, verbose))


def _pdf_stage(docx_paths: list[Path], out_dir: Path, pdfa: bool, jobs: int | None, timeout: float,
               appendix_files: bool = False) -> int:
    """Convert, print each outcome; the number of failures."""
    from .pdf.pipeline import make_pdfs, substitution_warning

    warning = substitution_warning()
    if warning:
        err.print(f"{_('warning')}: {warning}", markup=False)
    failed = 0
    for outcome in make_pdfs(docx_paths, out_dir, pdfa=pdfa, jobs=jobs or default_jobs(), timeout=timeout,
                             appendix_files=appendix_files):
        for note in outcome.notes:
            err.print(f"{outcome.source}: {_('warning')}: {note}", markup=False)
        for problem in outcome.problems:
            err.print(f"{outcome.source}: {_('error')}: {problem}", markup=False)
        if outcome.ok:
            for path in [outcome.output, *outcome.appendices]:
                out.print(_("written: {path}").format(path=path), markup=False)
        else:
            failed += 1
    return failed


@app.command()
def pdf(
    paths: Annotated[list[Path], typer.Argument(help=".docx files or folders of them.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder.")] = Path("out"),
    pdfa: Annotated[bool, typer.Option("--pdfa", help="PDF/A-2b.")] = False,
    jobs: Annotated[int | None, typer.Option("-j", "--jobs", min=1, help="LibreOffice processes.")] = None,
    timeout: TimeoutOption = 60.0,
    appendix_files: Annotated[bool, typer.Option("--appendix-files", help="Each appendix in a PDF of its own, "
                                                                         "signed by the agency at its top right.")]
    = False,
    lang: LangOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Convert .docx files to PDF (or PDF/A) with signature fields at the signers."""
    set_language(lang)

    def action() -> int:
        sources = _existing_files(paths, "*.docx")
        failed = _pdf_stage(sources, output, pdfa, jobs, timeout, appendix_files)
        return EXIT_FAILED if failed else EXIT_OK

    raise typer.Exit(_run(action, verbose))


def _existing_files(paths: list[Path], pattern: str) -> list[Path]:
    """files_in, every one of them there: a path that does not exist stops the command."""
    files = files_in(list(paths), pattern)
    missing = [p for p in files if not p.is_file()]
    if missing:
        raise ConfigurationError(_("no such file or folder: {path}").format(path=missing[0]))
    return files


def _quiet_pyhanko() -> None:
    """pyHanko logs the tracebacks of the errors it raises; vanthu says each in a line."""
    import logging

    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _names_a(path: Path, suffix: str) -> bool:
    """Whether an output option names a file of this kind (not a folder, not another type)."""
    return not path.is_dir() and path.suffix.lower() == suffix


def _secret(environment: str, prompt: str, file: Path | None = None) -> str:
    """A passphrase or PIN: from a file, the environment, or a prompt on a terminal."""
    import getpass
    import os

    if file is not None:
        try:
            return file.read_text(encoding="utf-8").rstrip("\n")
        except OSError as exc:
            raise ConfigurationError(_("cannot read {path}: {detail}").format(path=file, detail=exc.strerror)) from None
    if environment in os.environ:
        return os.environ[environment]
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise ConfigurationError(_("no secret given: set {variable} or run on a terminal").format(variable=environment))


@app.command()
def sign(
    paths: Annotated[list[Path], typer.Argument(help="PDF files to sign.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="A file for one PDF, a folder for several.")],
    pkcs12: Annotated[Path | None, typer.Option("--pkcs12", help="PKCS#12 (.p12/.pfx) file.")] = None,
    passphrase_file: Annotated[Path | None, typer.Option("--passphrase-file")] = None,
    pkcs11_lib: Annotated[str | None, typer.Option("--pkcs11-lib", help="The token's PKCS#11 library.")] = None,
    token_label: Annotated[str | None, typer.Option("--token-label")] = None,
    key_label: Annotated[str | None, typer.Option("--key-label")] = None,
    cert_label: Annotated[str | None, typer.Option("--cert-label")] = None,
    field: Annotated[str | None, typer.Option("--field", help="The signature field to fill.")] = None,
    image: Annotated[Path | None, typer.Option("--image", help="The signer's signature image (PNG).")] = None,
    tsa: Annotated[str | None, typer.Option("--tsa", help="Time-stamping authority URL (PAdES B-T).")] = None,
    lang: LangOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Sign PDFs (PAdES) with a PKCS#12 file or a PKCS#11 token."""
    set_language(lang)

    def action() -> int:
        from .pdf.sign import SignOptions, pkcs11_signer, pkcs12_signer, sign_pdf

        _quiet_pyhanko()

        if (pkcs12 is None) == (pkcs11_lib is None):
            raise ConfigurationError(_("give either --pkcs12 FILE or --pkcs11-lib LIB"))
        if image is not None and not image.is_file():
            raise ConfigurationError(_("no such file or folder: {path}").format(path=image))
        for path in paths:
            if not path.is_file():
                raise ConfigurationError(_("no such file or folder: {path}").format(path=path))
        token = None
        if pkcs12 is not None and not pkcs12.is_file():
            raise ConfigurationError(_("no such file or folder: {path}").format(path=pkcs12))
        if pkcs12 is not None:
            secret = _secret("VANTHU_PKCS12_PASSWORD", "PKCS#12: ", passphrase_file)
            signer = pkcs12_signer(pkcs12, secret.encode("utf-8") if secret else None)
        else:
            if not token_label or not key_label:
                raise ConfigurationError(_("a token needs --token-label and --key-label"))
            token = pkcs11_signer(pkcs11_lib, token_label, key_label, _secret("VANTHU_PKCS11_PIN", "PIN: "),
                                  cert_label)
            signer = token.signer
        options = SignOptions(field=field, image=image, tsa=tsa)
        failed = 0
        try:
            for path in paths:
                target = output if len(paths) == 1 and output.suffix.lower() == ".pdf" else output / path.name
                if target.resolve() == path.resolve():
                    raise ConfigurationError(_("signing never overwrites its input: choose another -o"))
                try:
                    used = sign_pdf(path, target, signer, options)
                    out.print(_("signed: {path} ({field})").format(path=target, field=used), markup=False)
                except ConfigurationError:
                    raise
                except Exception as exc:  # pyHanko raises many types for a PDF it cannot sign
                    failed += 1
                    err.print(f"{path}: {_('error')}: {exc}", markup=False)
        finally:
            if token is not None:
                token.close()
        return EXIT_FAILED if failed else EXIT_OK

    raise typer.Exit(_run(action, verbose))


@app.command()
def verify(
    paths: Annotated[list[Path], typer.Argument(help="Signed PDF files or folders of them.")],
    trust: Annotated[list[Path] | None, typer.Option("--trust", help="A trusted root certificate (PEM/DER).")]
    = None,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    lang: LangOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Check each signature: signer, time, integrity, coverage, trust."""
    set_language(lang)

    def action() -> int:
        from .pdf.verify import verify_pdf

        _quiet_pyhanko()
        if output_format not in ("text", "json"):
            raise ConfigurationError(_("--format is text or json"))
        files = _existing_files(paths, "*.pdf")
        everything_ok, report = True, []
        for path in files:
            try:
                signatures = verify_pdf(path, list(trust or []))
            except Exception as exc:  # a file pyHanko cannot read: said, and the others go on
                everything_ok = False
                err.print(_("{path} is not a readable PDF ({detail})").format(path=path, detail=exc), markup=False)
                report.append({"file": str(path), "ok": False, "error": str(exc)})
                continue
            if not signatures:
                everything_ok = False
                err.print(_("{path}: no signature").format(path=path), markup=False)
            for s in signatures:
                everything_ok = everything_ok and s.ok
                report.append({"file": str(path), **s.__dict__, "ok": s.ok})
                if output_format == "text":
                    yes = {True: _("yes"), False: _("NO")}
                    out.print(f"{path} [{s.field}] {s.signer} | {s.signing_time} | "
                              f"{_('intact')}: {yes[s.intact]} | {_('whole document')}: {yes[s.whole_document]} | "
                              f"{_('trusted')}: {yes[s.trusted]}", markup=False)
        if output_format == "json":
            out.print(json.dumps(report, ensure_ascii=False, indent=1), markup=False)
        return EXIT_OK if everything_ok else EXIT_FAILED

    raise typer.Exit(_run(action, verbose))


@app.command()
def types(lang: LangOption = None) -> None:
    """List the document types of Decree 30, their abbreviations and templates."""
    set_language(lang)
    for t in DOC_TYPES.values():
        template = template_for(t) or "-"
        out.print(f"{t.key:<16} {t.abbreviation or '-':<5} {t.name:<16} Mẫu {t.model or '-':<5} {template}",
                  markup=False)


@app.command("template-vars")
def template_vars(
    template: Annotated[Path, typer.Argument(help="A docxtpl .docx template.")],
    lang: LangOption = None,
    verbose: VerboseOption = False,
) -> None:
    """List the variables a template reads."""
    set_language(lang)

    def action() -> int:
        compiled = CompiledTemplate.load(template)
        for name in sorted(compiled.variable_paths):
            out.print(name, markup=False)
        return EXIT_OK

    raise typer.Exit(_run(action, verbose))


def version_callback(value: bool) -> None:
    if value:
        out.print(f"vanthu {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=version_callback, is_eager=True)] = False,
) -> None:
    """vanthu: Vietnamese administrative documents laid out to Decree 30/2020/NĐ-CP."""


def main(argv: list[str] | None = None) -> int:
    """Console entry; usage errors exit 2 (click's convention)."""
    try:
        app(args=argv, prog_name="vanthu", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
