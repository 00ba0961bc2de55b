"""Options several commands share, with their help in the language chosen (built per run)."""

from pathlib import Path
from typing import Annotated

import typer

from ..i18n import _


def lang():
    return Annotated[str | None, typer.Option("--lang", metavar="vi|en",
                                              help=_("Message language: vi (default) or en."))]


def verbose():
    return Annotated[bool, typer.Option("--verbose", help=_("Show tracebacks of unexpected errors."))]


def _at_least_one(value: float | None) -> float | None:
    if value is not None and value < 1:
        raise typer.BadParameter(_("must be 1 or more"))
    return value


def timeout():
    return Annotated[float, typer.Option("--timeout", metavar=_("SECONDS"), callback=_at_least_one,
                                         help=_("Seconds LibreOffice may take per document."))]


def jobs(text: str):
    return Annotated[int | None, typer.Option("-j", "--jobs", metavar=_("N"), callback=_at_least_one, help=text)]


def register_url():
    return Annotated[str | None, typer.Option("--register", metavar="URL", envvar="VANTHU_REGISTER", help=_(
        "The outgoing-documents register: an SQLAlchemy URL (sqlite:///FILE, postgresql://…) or a file; also "
        "VANTHU_REGISTER. generate uses vanthu.db beside the records when a record asks for so: auto."))]


def no_service():
    return Annotated[bool, typer.Option("--no-service", help=_(
        "Convert with LibreOffice listeners of this command's own, not the PDF service that outlives it."))]


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
