"""`vanthu generate`'s parameters and work, without typer: cli/generate.py makes the typer command
from them, and `vanthu generate` with a command line the small parser (params.parse) understands
runs from here without loading typer at all."""

from __future__ import annotations

from pathlib import Path

from .. import api
from ..i18n import N_, _
from . import params
from .params import Param
from .printing import print_pdf_event
from .runtime import EXIT_FAILED, EXIT_OK, progress_display, run, say, warn

PARAMS = [
    Param("paths", (), list[Path], N_("Record files (.yaml, .xlsx) or folders of them."), metavar=N_("RECORDS"),
          show_default=False),
    Param("output", ("-o", "--output"), Path, N_("Output folder."), metavar=N_("FOLDER"), default=Path("out")),
    Param("template", ("--template",), Path | None, N_("Your own docxtpl .docx template."), metavar=N_("FILE.docx")),
    Param("merge", ("--merge",), Path | None, N_(
        "Recipients (.xlsx sheet NguoiNhan, or .csv): one document per recipient."), metavar=N_("RECIPIENTS")),
    params.jobs(N_("Processes (default: the CPU count).")),
    Param("force", ("--force",), bool, N_("Render again even what is unchanged."), default=False),
    Param("bundle", ("--bundle",), Path | None, N_(
        "Also write one combined .docx, or one PDF for printing (each document repeated for its copies)."),
        metavar=N_("FILE.docx|FILE.pdf")),
    Param("copies", ("--copies",), int | None, N_(
        "With --bundle ALL.pdf: N copies of each document (default: its so_ban_phat_hanh, else 1)."), metavar="N",
        literal_metavar=True),
    Param("name", ("--name",), str | None, N_(
        "File names from a pattern, e.g. '{so}_{nguoi_nhan.kinh_gui}' (docs/records.md)."), metavar=N_("PATTERN")),
    Param("strict", ("--strict",), bool, N_("A record with any warning (hygiene repairs …) fails."), default=False),
    Param("pdf", ("--pdf",), bool, N_("Also write a PDF of each document."), default=False),
    Param("pdfa", ("--pdfa",), bool, N_("Also write a PDF/A-2b of each document."), default=False),
    params.TIMEOUT,
    params.NO_SERVICE,
    Param("no_wait", ("--no-wait",), bool, N_(
        "If another vanthu run is writing into the output folder, stop at once (exit 2) instead of waiting for it."),
        default=False),
    params.REGISTER_URL,
    Param("draft", ("--draft",), bool, N_(
        "Mark each document as a draft (DỰ THẢO, and a watermark); số and date left blank, no number from the "
        "register."), default=False),
    Param("profile", ("--profile",), Path | None, N_(
        "The agency profile (default: the nearest vanthu.toml from each record's folder upward)."),
        metavar=N_("FILE.toml")),
    params.LANG,
    params.VERBOSE,
]


def fast_generate(args: list[str]) -> int | None:
    """The command run without typer; None when typer should parse this command line."""
    values = params.parse(PARAMS, args)
    return None if values is None else generate(**values)


def generate(paths: list[Path], output: Path, template: Path | None, merge: Path | None, jobs: int | None,
             force: bool, bundle: Path | None, copies: int | None, name: str | None, strict: bool, pdf: bool,
             pdfa: bool, timeout: float, no_service: bool, no_wait: bool, register_url: str | None, draft: bool,
             profile: Path | None, lang: str | None, verbose: bool) -> int:
    """`vanthu generate`; returns the exit code. (lang was applied before the command was chosen.)"""
    def action() -> int:
        with progress_display() as update:
            pdf_stage = []  # set once the PDF stage begins: the bar starts again, counting PDFs

            def on_progress(event: api.ProgressEvent) -> None:
                if isinstance(event.outcome, api.DocumentOutcome):
                    print_outcome(event.outcome, verbose)
                elif event.note and event.stage == "render":
                    warn(f"{_('warning')}: {event.note}")
                elif event.stage == "render":
                    line = (f"[{event.files_done}/{event.files}] {event.path}"
                            if event.file_finished and event.files > 1 else None)
                    update(event.documents_done, event.documents or None, line)  # documents, not files
                else:
                    stage = None if pdf_stage else "PDF"
                    pdf_stage.append(True)
                    update(event.done, event.total, None, stage)
                    print_pdf_event(event)

            summary = api.generate(paths, output, jobs=jobs, force=force, template=template, merge=merge,
                                   name=name, bundle=bundle, strict=strict, pdf=pdf, pdfa=pdfa,
                                   timeout=timeout, progress=on_progress, wait=not no_wait,
                                   register=register_url, draft=draft, copies=copies, profile=profile,
                                   service=False if no_service else None)
        print_summary(summary, paths)
        return EXIT_OK if summary.ok else EXIT_FAILED

    return run(action, verbose)


def print_outcome(outcome: api.DocumentOutcome, verbose: bool) -> None:
    if outcome.status == "removed":
        say(_("removed: {path} (its record is no longer in {source})").format(path=outcome.output,
                                                                             source=outcome.source))
        return
    for problem in outcome.problems:
        warn(str(problem))
    if outcome.status == "failed":
        if verbose and outcome.traceback:
            warn(outcome.traceback.rstrip())
        warn(_("failed: {source}").format(source=outcome.source))


def print_summary(summary: api.BatchSummary, paths: list[Path]) -> None:
    if not any(summary.counts.values()):
        warn(f"{_('warning')}: " + _("no records found in {paths}").format(paths=", ".join(map(str, paths))))
    if summary.bundle is not None and summary.bundle_pages:
        say(_("bundle: {path} ({pages} pages)").format(path=summary.bundle, pages=summary.bundle_pages))
    elif summary.bundle is not None:
        say(_("bundle: {path}").format(path=summary.bundle))
    elif summary.bundle_error:
        warn(f"vanthu: {summary.bundle_error}")
    say(_("{written} written, {unchanged} unchanged, {failed} failed").format(
        written=summary.written, unchanged=summary.unchanged, failed=summary.failed))
    say(_("report: {path}").format(path=summary.report))
    if summary.register:
        say(_("register: {url}").format(url=summary.register))
    if summary.pdf is not None and summary.pdf.unchanged:
        say(_("{count} PDFs unchanged").format(count=summary.pdf.unchanged))
