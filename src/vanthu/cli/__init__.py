"""The command line: parses arguments, calls vanthu.api, prints. One module per command;
runtime.py holds the output, the language, the error boundary and the exit codes."""

from __future__ import annotations

import sys

from .runtime import EXIT_OK, EXIT_USAGE, choose_language, language_from_args, say

# The module that makes each command, in the order of `vanthu --help`: a run builds only the command
# it runs, as each module imports what its command needs (a test checks this against the whole app).
COMMAND_MODULES = {
    "init": "init", "generate": "generate", "review": "review", "pdf": "pdf", "pdf-service": "pdf",
    "sign": "sign", "copy": "copies", "verify": "verify", "check": "check", "lint": "lint",
    "register": "register", "archive": "archive", "edxml": "edxml", "serve": "web", "users": "web",
    "types": "documents", "template": "documents", "template-vars": "documents", "excel-template": "documents",
}


def build_app(command: str | None = None):
    """The typer application, its help written in the language chosen for this run: every command,
    or only `command` (and whatever else its module makes) when that is the one to run."""
    import importlib

    import typer

    from .. import __version__
    from ..i18n import _

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

    wanted = [COMMAND_MODULES[command]] if command in COMMAND_MODULES else list(dict.fromkeys(COMMAND_MODULES.values()))
    for name in wanted:
        module = importlib.import_module(f".{name}", __name__)
        module.register(app)
        if name == "pdf":
            module.register_service(app)
    return app


def command_of(args: list[str]) -> str | None:
    """The command a command line runs (None for `vanthu`, `vanthu --help`, `vanthu --version`)."""
    return args[0] if args and not args[0].startswith("-") else None


def main(argv: list[str] | None = None) -> int:
    """Console entry; usage errors exit 2 (click's convention)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if command_of(args) == "generate":  # the command a clerk runs most: without typer when it can be
        from ..i18n import set_language
        from .generating import fast_generate

        set_language(language_from_args(args))
        code = fast_generate(args[1:])
        if code is not None:
            return code
    choose_language(language_from_args(args))
    try:
        build_app(command_of(args))(args=args, prog_name="vanthu", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    return EXIT_OK
