"""`vanthu serve` (the office's web application) and `vanthu users add|token` (who may use it)."""

from pathlib import Path
from typing import Annotated

import typer

from .. import api
from ..errors import ConfigurationError
from ..i18n import _
from . import options
from .runtime import EXIT_OK, run, say, secret


def _data():
    return Annotated[Path | None, typer.Option("--data", metavar=_("DIR"), envvar="VANTHU_DATA", help=_(
        "The web application's data folder (also VANTHU_DATA): its database, documents and vanthu.toml."))]


def register(app: typer.Typer) -> None:
    @app.command(options_metavar=_("[OPTIONS]"), help=_(
        "Run the office's web application on this machine: clerks draft, leaders review and approve, the văn thư "
        "issues and archives; an API for other systems. Stop it with Ctrl+C."))
    def serve(
        data: _data() = None,
        host: Annotated[str, typer.Option("--host", metavar=_("ADDRESS"), help=_(
            "The address to listen on (127.0.0.1: this machine only)."))] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", metavar=_("PORT"), help=_("The port to listen on."))] = 8000,
        register_url: options.register_url() = None,
        database: Annotated[str | None, typer.Option("--database", metavar=_("URL"), help=_(
            "Where the application keeps its state (default: sqlite under --data; postgresql://… for a "
            "server)."))] = None,
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            if not 1 <= port <= 65535:
                raise ConfigurationError(_("--port {port}: give 1 to 65535").format(port=port))
            app_ = api.web_app(data, register=register_url, database=database)  # a bad folder: said before listening
            say(_("vanthu serve: http://{host}:{port}/ (Ctrl+C stops it)").format(host=host, port=port))
            import uvicorn

            uvicorn.run(app_, host=host, port=port, log_level="warning", access_log=False)
            return EXIT_OK

        raise typer.Exit(run(action, verbose))

    users = typer.Typer(no_args_is_help=True, options_metavar=_("[OPTIONS]"), subcommand_metavar=_("COMMAND [ARGS]..."),
                        help=_("The people who use the web application: add them, give them API tokens."))
    app.add_typer(users, name="users")

    @users.command("add", options_metavar=_("[OPTIONS]"), help=_(
        "Add a person (or change their role and password). Roles: chuyen-vien, lanh-dao, van-thu, quan-tri."))
    def add(
        name: Annotated[str, typer.Argument(metavar=_("NAME"), show_default=False, help=_("Their login name."))],
        role: Annotated[str, typer.Option("--role", metavar=_("ROLE"), show_default=False, help=_(
            "chuyen-vien, lanh-dao, van-thu or quan-tri."))],
        password_file: Annotated[Path | None, typer.Option("--password-file", metavar=_("FILE"), help=_(
            "A file holding the password (else VANTHU_PASSWORD, else asked on a terminal)."))] = None,
        data: _data() = None,
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            password = secret("VANTHU_PASSWORD", _("Password: "), password_file)
            api.users_add(data, name, role, password)
            say(_("{name}: {role}").format(name=name, role=role))
            return EXIT_OK

        raise typer.Exit(run(action, verbose))

    @users.command("token", options_metavar=_("[OPTIONS]"), help=_(
        "Print a new API token for a person (Authorization: Bearer TOKEN); it is shown only this once."))
    def token(
        name: Annotated[str, typer.Argument(metavar=_("NAME"), show_default=False, help=_("Their login name."))],
        data: _data() = None,
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            say(api.users_token(data, name))
            return EXIT_OK

        raise typer.Exit(run(action, verbose))
