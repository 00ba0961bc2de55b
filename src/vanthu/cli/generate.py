"""`vanthu generate`: records → Decree 30 documents (.docx, and PDF with --pdf). The typer command
is made from the parameters in cli/generating.py, which also runs it."""

import typer

from ..i18n import _
from . import generating, options


def register(app: typer.Typer) -> None:
    def generate(**values) -> None:
        raise typer.Exit(generating.generate(**values))

    generate.__signature__ = options.signature(generating.PARAMS)  # type: ignore[attr-defined]
    app.command(options_metavar=_("[OPTIONS]"),
                help=_("Render records (YAML, Excel) into Decree 30 documents (.docx)."))(generate)
