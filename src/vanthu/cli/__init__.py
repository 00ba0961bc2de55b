"""The command line: parses arguments, calls vanthu.api, prints. One module per command;
runtime.py holds the consoles, the language, the error boundary and the exit codes."""

from __future__ import annotations

import sys

from .runtime import EXIT_OK, EXIT_USAGE, choose_language, language_from_args, say


def build_app():
    """The typer application, its help written in the language chosen for this run."""
    import typer

    from .. import __version__
    from ..i18n import _
    from . import (
        archive,
        check,
        copies,
        documents,
        edxml,
        generate,
        init,
        lint,
        pdf,
        register,
        review,
        sign,
        verify,
        web,
    )

    app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
                      options_metavar=_("[OPTIONS]"), subcommand_metavar=_("COMMAND [ARGS]..."),
                      help=_("vanthu: Vietnamese administrative documents laid out to Decree 30/2020/NĐ-CP."))

    def show_version(value: bool) -> None:
        if value:
            say(f"vanthu {__version__}")
            raise typer.Exit(0)

    @app.callback()
    def main_options(
        version: bool = typer.Option(False, "--version", callback=show_version, is_eager=True,
                                     help=_("Print vanthu's version and stop.")),
    ) -> None:
        pass

    for command in (init, generate, review, pdf, sign, copies, verify, check, lint, register, archive, edxml,
                    web, documents):
        command.register(app)
    pdf.register_service(app)
    return app


def main(argv: list[str] | None = None) -> int:
    """Console entry; usage errors exit 2 (click's convention)."""
    args = list(sys.argv[1:] if argv is None else argv)
    choose_language(language_from_args(args))
    try:
        build_app()(args=args, prog_name="vanthu", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    return EXIT_OK
