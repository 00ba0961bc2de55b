"""`vanthu pdf`: .docx → PDF or PDF/A, with signature fields at the signers."""

from pathlib import Path
from typing import Annotated

import typer

from .. import api
from ..i18n import _
from . import options
from .runtime import EXIT_FAILED, EXIT_OK, run, say, warn


def print_pdf_outcome(outcome) -> None:
    for note in outcome.notes:
        warn(f"{outcome.source}: {_('warning')}: {note}")
    for problem in outcome.problems:
        warn(f"{outcome.source}: {_('error')}: {problem}")
    if outcome.ok:
        for path in [outcome.output, *outcome.appendices]:
            say(_("written: {path}").format(path=path))


def print_pdf_event(event: api.ProgressEvent) -> None:
    """A PDF stage's progress: its font warning once, then each document's outcome."""
    if event.note:
        warn(f"{_('warning')}: {event.note}")
    if event.outcome is not None:
        print_pdf_outcome(event.outcome)


def register(app: typer.Typer) -> None:
    @app.command(options_metavar=_("[OPTIONS]"),
                 help=_("Convert .docx files to PDF (or PDF/A) with signature fields at the signers."))
    def pdf(
        paths: Annotated[list[Path], typer.Argument(metavar=_("DOCX"), show_default=False,
                                                    help=_(".docx files or folders of them."))],
        output: Annotated[Path, typer.Option("-o", "--output", metavar=_("FOLDER"), help=_("Output folder."))]
        = Path("out"),
        pdfa: Annotated[bool, typer.Option("--pdfa", help=_("PDF/A-2b."))] = False,
        jobs: options.jobs(_("LibreOffice processes.")) = None,
        timeout: options.timeout() = 60.0,
        appendix_files: Annotated[bool, typer.Option("--appendix-files", help=_(
            "Each appendix in a PDF of its own, signed by the agency at its top right."))] = False,
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            report = api.to_pdf(paths, output, pdfa=pdfa, jobs=jobs, timeout=timeout,
                                appendix_files=appendix_files, progress=print_pdf_event)
            return EXIT_FAILED if report.failed else EXIT_OK

        raise typer.Exit(run(action, verbose))
