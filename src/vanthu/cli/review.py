"""`vanthu review BATCHDIR -o SITE [--previous OLD_BATCHDIR]`: the static review site."""

from pathlib import Path
from typing import Annotated

import typer

from .. import api
from ..i18n import _
from . import options
from .runtime import EXIT_FAILED, EXIT_OK, run, say, warn


def register(app: typer.Typer) -> None:
    @app.command(options_metavar=_("[OPTIONS]"), help=_(
        "Write review pages for a batch folder: an index to sort and filter, and for each document its page "
        "pictures, its conformance findings and, with --previous, its differences from the previous draft. "
        "The site opens from disk, with no server."))
    def review(
        batch: Annotated[Path, typer.Argument(metavar=_("BATCHDIR"), show_default=False, help=_(
            "A folder vanthu generate wrote (it has batch-report.json)."))],
        output: Annotated[Path, typer.Option("-o", "--output", metavar=_("SITE"), help=_(
            "The folder the site is written to (replaced whole if it is an earlier review site)."))],
        previous: Annotated[Path | None, typer.Option("--previous", metavar=_("OLD_BATCHDIR"), help=_(
            "The batch of the previous drafts: each document is compared with the same record's there."))]
        = None,
        jobs: options.jobs(_("LibreOffice processes for the page pictures (default: the CPU count).")) = None,
        timeout: options.timeout() = 60.0,
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            report = api.review(batch, output, previous=previous, jobs=jobs, timeout=timeout)
            for problem in report.problems:
                warn(f"{_('warning')}: {problem}")
            say(_("review site: {path} ({documents} documents, {pages} page pictures)").format(
                path=report.index, documents=report.documents, pages=report.pages))
            return EXIT_OK if report.ok else EXIT_FAILED

        raise typer.Exit(run(action, verbose))
