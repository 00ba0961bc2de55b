"""`vanthu generate`: records → Decree 30 documents (.docx, and PDF with --pdf)."""

from pathlib import Path
from typing import Annotated

import typer

from .. import api
from ..i18n import _
from . import options
from .pdf import print_pdf_event
from .runtime import EXIT_FAILED, EXIT_OK, progress_display, run, say, warn


def register(app: typer.Typer) -> None:
    @app.command(options_metavar=_("[OPTIONS]"),
                 help=_("Render records (YAML, Excel) into Decree 30 documents (.docx)."))
    def generate(
        paths: Annotated[list[Path], typer.Argument(metavar=_("RECORDS"), show_default=False,
                                                    help=_("Record files (.yaml, .xlsx) or folders of them."))],
        output: Annotated[Path, typer.Option("-o", "--output", metavar=_("FOLDER"), help=_("Output folder."))]
        = Path("out"),
        template: Annotated[Path | None, typer.Option("--template", metavar=_("FILE.docx"),
                                                      help=_("Your own docxtpl .docx template."))] = None,
        merge: Annotated[Path | None, typer.Option("--merge", metavar=_("RECIPIENTS"), help=_(
            "Recipients (.xlsx sheet NguoiNhan, or .csv): one document per recipient."))] = None,
        jobs: options.jobs(_("Processes (default: the CPU count).")) = None,
        force: Annotated[bool, typer.Option("--force", help=_("Render again even what is unchanged."))] = False,
        bundle: Annotated[Path | None, typer.Option("--bundle", metavar=_("FILE.docx|FILE.pdf"), help=_(
            "Also write one combined .docx, or one PDF for printing (each document repeated for its copies)."))]
        = None,
        copies: Annotated[int | None, typer.Option("--copies", metavar="N", help=_(
            "With --bundle ALL.pdf: N copies of each document (default: its so_ban_phat_hanh, else 1)."))] = None,
        name: Annotated[str | None, typer.Option("--name", metavar=_("PATTERN"), help=_(
            "File names from a pattern, e.g. '{so}_{nguoi_nhan.kinh_gui}' (docs/records.md)."))] = None,
        strict: Annotated[bool, typer.Option("--strict", help=_(
            "A record with any warning (hygiene repairs …) fails."))] = False,
        pdf: Annotated[bool, typer.Option("--pdf", help=_("Also write a PDF of each document."))] = False,
        pdfa: Annotated[bool, typer.Option("--pdfa", help=_("Also write a PDF/A-2b of each document."))] = False,
        timeout: options.timeout() = 60.0,
        no_service: options.no_service() = False,
        no_wait: Annotated[bool, typer.Option("--no-wait", help=_(
            "If another vanthu run is writing into the output folder, stop at once (exit 2) instead of "
            "waiting for it."))] = False,
        register_url: options.register_url() = None,
        draft: Annotated[bool, typer.Option("--draft", help=_(
            "Mark each document as a draft (DỰ THẢO, and a watermark); số and date left blank, no number "
            "from the register."))] = False,
        profile: Annotated[Path | None, typer.Option("--profile", metavar=_("FILE.toml"), help=_(
            "The agency profile (default: the nearest vanthu.toml from each record's folder upward)."))] = None,
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
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

        raise typer.Exit(run(action, verbose))


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
