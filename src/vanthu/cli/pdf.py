"""`vanthu pdf`: .docx → PDF or PDF/A, with signature fields at the signers."""

from pathlib import Path
from typing import Annotated

import typer

from .. import api
from ..i18n import _
from . import options
from .printing import print_pdf_event
from .runtime import EXIT_FAILED, EXIT_OK, run, say


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
        no_service: options.no_service() = False,
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            report = api.to_pdf(paths, output, pdfa=pdfa, jobs=jobs, timeout=timeout,
                                appendix_files=appendix_files, progress=print_pdf_event,
                                service=False if no_service else None)
            return EXIT_FAILED if report.failed else EXIT_OK

        raise typer.Exit(run(action, verbose))


def register_service(app: typer.Typer) -> None:
    @app.command("pdf-service", options_metavar=_("[OPTIONS]"), help=_(
        "The PDF service that keeps LibreOffice listeners between commands: status, or stop."))
    def pdf_service(
        action_name: Annotated[str, typer.Argument(metavar="status|stop", show_default=False,
                                                   help=_("status or stop."))],
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            from ..errors import ConfigurationError

            if action_name == "stop":
                say(_("stopped") if api.pdf_service_stop() else _("not running"))
                return EXIT_OK
            if action_name != "status":
                raise ConfigurationError(_("usage: vanthu pdf-service status|stop"))
            found = api.pdf_service_status()
            if not found.running:
                say(_("not running"))
                return EXIT_OK
            say(_("running: pid {pid}, {listeners} listeners, {conversions} conversions, stops after {idle} s "
                  "idle; socket {socket}").format(pid=found.pid, listeners=found.listeners,
                                                  conversions=found.conversions, idle=round(found.idle_left),
                                                  socket=found.socket))
            return EXIT_OK

        raise typer.Exit(run(action, verbose))
