"""`vanthu types`, `vanthu template-vars`, `vanthu excel-template`: what vanthu knows and gives."""

from pathlib import Path
from typing import Annotated

import typer

from .. import api
from ..i18n import _
from . import options
from .runtime import EXIT_OK, run, say


def register(app: typer.Typer) -> None:
    @app.command(options_metavar=_("[OPTIONS]"),
                 help=_("List the document types of Decree 30, their abbreviations and templates."))
    def types(lang: options.lang() = None) -> None:
        for t in api.types():
            say(f"{t.key:<16} {t.abbreviation or '-':<5} {t.name:<16} Mẫu {t.model or '-':<5} {t.template or '-'}")

    @app.command("template-vars", options_metavar=_("[OPTIONS]"),
                 help=_("List the variables a template reads."))
    def template_vars(
        template: Annotated[Path, typer.Argument(metavar=_("FILE.docx"), show_default=False,
                                                 help=_("A docxtpl .docx template."))],
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            for name in api.template_variables(template):
                say(name)
            return EXIT_OK

        raise typer.Exit(run(action, verbose))

    @app.command("excel-template", options_metavar=_("[OPTIONS]"),
                 help=_("Write a blank workbook for records (docs/excel.md)."))
    def excel_template(
        output: Annotated[Path, typer.Option("-o", "--output", metavar=_("FILE.xlsx"),
                                             help=_("The .xlsx file to write."))],
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            say(_("written: {path}").format(path=api.excel_template(output)))
            return EXIT_OK

        raise typer.Exit(run(action, verbose))
