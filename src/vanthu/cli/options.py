"""Options several commands share, with their help in the language chosen (built per run)."""

import inspect
from pathlib import Path
from typing import Annotated

import typer

from ..i18n import _
from . import params


def _at_least_one(value: float | None) -> float | None:
    if not params.at_least_one(value):
        raise typer.BadParameter(_("must be 1 or more"))
    return value


def typed(param: params.Param):
    """The parameter's Annotated form for typer, its help and metavar in the language chosen."""
    metavar = param.metavar if param.literal_metavar or not param.metavar else _(param.metavar)
    if not param.decls:
        info = typer.Argument(metavar=metavar, show_default=param.show_default, help=_(param.help))
    else:
        info = typer.Option(*param.decls, metavar=metavar, envvar=param.envvar, show_default=param.show_default,
                            callback=_at_least_one if param.at_least_one else None, help=_(param.help))
    return Annotated[param.annotation, info]  # type: ignore[valid-type]


def signature(command_params: list[params.Param]) -> inspect.Signature:
    """A command's signature made from its parameters, as typer reads a function's."""
    return inspect.Signature([inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, annotation=typed(p),
                                                default=inspect.Parameter.empty if not p.decls else p.default)
                              for p in command_params])


def lang():
    return typed(params.LANG)


def verbose():
    return typed(params.VERBOSE)


def timeout():
    return typed(params.TIMEOUT)


def jobs(text: str):
    return typed(params.jobs(text))


def register_url():
    return typed(params.REGISTER_URL)


def no_service():
    return typed(params.NO_SERVICE)


def passphrase_file():
    return Annotated[Path | None, typer.Option("--passphrase-file", metavar=_("FILE"), help=_(
        "A file holding the PKCS#12 passphrase (else VANTHU_PKCS12_PASSWORD, or a prompt)."))]


def pkcs11_lib():
    return Annotated[str | None, typer.Option("--pkcs11-lib", metavar=_("LIBRARY"), help=_(
        "The token's PKCS#11 library."))]


def token_label():
    return Annotated[str | None, typer.Option("--token-label", metavar=_("LABEL"), help=_(
        "The label of the token (USB key) that holds the signer's key."))]


def key_label():
    return Annotated[str | None, typer.Option("--key-label", metavar=_("LABEL"), help=_(
        "The label of the private key on the token."))]
