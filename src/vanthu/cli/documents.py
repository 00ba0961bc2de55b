"""`vanthu types`, `vanthu template-vars`, `vanthu excel-template`: what vanthu knows and gives."""

from pathlib import Path
from typing import Annotated

import typer

from .. import api
from ..i18n import _
from . import options
from .runtime import EXIT_FAILED, EXIT_OK, run, say, warn


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

    template_app = typer.Typer(no_args_is_help=True, options_metavar=_("[OPTIONS]"),
                               subcommand_metavar=_("COMMAND [ARGS]..."),
                               help=_("Check a template (vanthu template check FILE.docx)."))
    app.add_typer(template_app, name="template")

    @template_app.command("check", options_metavar=_("[OPTIONS]"), help=_(
        "Check a docxtpl template: the variables it reads and where they come from, broken tags, missing styles."))
    def template_check(
        template: Annotated[Path, typer.Argument(metavar=_("FILE.docx"), show_default=False,
                                                 help=_("A docxtpl .docx template."))],
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            report = api.template_report(template)
            say(str(report.path))
            if report.error:
                warn(f"  {_('error')}: {report.error}")
                return EXIT_FAILED
            for variable in report.variables:
                mark = "  " if variable.supplied else "✗ "
                (say if variable.supplied else warn)(f"{mark}{variable.name}: {variable.how}")
            for tag in report.tags:
                warn(f"  {_('error')}: " + _("paragraph {number} \"{text}\": {message}").format(
                    number=tag.paragraph, text=" ".join(tag.text.split())[:80], message=tag.message))
            for note in report.styles:
                warn(f"  {_('warning')}: {note}")
            return EXIT_OK if report.ok else EXIT_FAILED

        raise typer.Exit(run(action, verbose))

    @app.command("excel-template", options_metavar=_("[OPTIONS]"),
                 help=_("Write a blank workbook for records (docs/excel.md)."))
    def excel_template(
        output: Annotated[Path, typer.Option("-o", "--output", metavar=_("FILE.xlsx"),
                                             help=_("The .xlsx file to write."))],
        profile: Annotated[Path | None, typer.Option("--profile", metavar=_("FILE.toml"), help=_(
            "The agency profile whose keys the drop-downs list (default: the nearest vanthu.toml)."))] = None,
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            say(_("written: {path}").format(path=api.excel_template(output, profile=profile)))
            return EXIT_OK

        raise typer.Exit(run(action, verbose))
