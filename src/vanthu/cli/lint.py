"""`vanthu lint`: records checked without rendering them; their text repaired into copies."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from .. import api
from ..i18n import _
from . import options
from .runtime import EXIT_FAILED, EXIT_OK, run, say, warn


def register(app: typer.Typer) -> None:
    @app.command(options_metavar=_("[OPTIONS]"),
                 help=_("Check records without rendering them; repair their text into copies."))
    def lint(
        paths: Annotated[list[Path], typer.Argument(metavar=_("RECORDS"), show_default=False,
                                                    help=_("Record files (.yaml, .xlsx) or folders of them."))],
        fix: Annotated[bool, typer.Option("--fix", help=_("Write repaired copies (NAME.fixed.yaml …)."))] = False,
        diff: Annotated[bool, typer.Option("--diff", help=_("Print the repairs as a diff; write nothing."))]
        = False,
        fixed_dir: Annotated[Path | None, typer.Option("-o", "--output", metavar=_("FOLDER"),
                                                       help=_("Folder for the repaired copies."))] = None,
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            report = api.lint(paths, fix=fix and not diff, output=fixed_dir)
            for entry in report.files:
                for problem in entry.problems:
                    (warn if problem.severity == "error" else say)(str(problem))
                if diff and entry.diff:
                    sys.stdout.write(entry.diff)
                elif entry.written is not None:
                    say(_("written: {path}").format(path=entry.written))
            return EXIT_FAILED if report.errors else EXIT_OK

        raise typer.Exit(run(action, verbose))
