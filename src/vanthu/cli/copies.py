"""`vanthu copy SIGNED.pdf --kind sao-y|trich-sao|sao-luc --record BAN_SAO.yaml -o OUT.pdf`."""

from pathlib import Path
from typing import Annotated

import typer

from .. import api
from ..i18n import _
from . import options
from .runtime import EXIT_OK, run, say, secret, warn


def register(app: typer.Typer) -> None:
    @app.command(options_metavar=_("[OPTIONS]"), help=_(
        "Make a copy (sao y, trích sao, sao lục) of a signed PDF: the copy form after the document's end and, "
        "with a key, the copying agency's signature at the top right of page 1."))
    def copy(
        source: Annotated[Path, typer.Argument(metavar=_("SIGNED.pdf"), show_default=False, help=_(
            "The document to copy."))],
        kind: Annotated[str, typer.Option("--kind", metavar="sao-y|trich-sao|sao-luc", help=_(
            "The kind of copy."))],
        record: Annotated[Path, typer.Option("--record", metavar=_("FILE.yaml"), help=_(
            "The copying agency, dia_danh, ngay, so (auto: from the register), nguoi_ky, noi_nhan."))],
        output: Annotated[Path, typer.Option("-o", "--output", metavar=_("OUT.pdf"), help=_("The copy."))],
        register_url: options.register_url() = None,
        pkcs12: Annotated[Path | None, typer.Option("--pkcs12", metavar=_("FILE"), help=_(
            "The copying agency's PKCS#12 file: an electronic copy, signed."))] = None,
        passphrase_file: options.passphrase_file() = None,
        pkcs11_lib: options.pkcs11_lib() = None,
        token_label: options.token_label() = None,
        key_label: options.key_label() = None,
        tsa: Annotated[str | None, typer.Option("--tsa", metavar="URL", help=_(
            "The address of a time-stamping authority: the signature gets a trusted time (PAdES B-T)."))]
        = None,
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            passphrase = pin = None
            if pkcs12 is not None and pkcs12.is_file():
                passphrase = secret("VANTHU_PKCS12_PASSWORD", "PKCS#12: ", passphrase_file)
            elif pkcs11_lib is not None and token_label and key_label:
                pin = secret("VANTHU_PKCS11_PIN", "PIN: ")
            report = api.copy(source, output, kind=kind, record=record, register=register_url, pkcs12=pkcs12,
                              passphrase=passphrase, pkcs11_lib=pkcs11_lib, token_label=token_label,
                              key_label=key_label, pin=pin, tsa=tsa)
            for note in report.notes:
                warn(f"{_('warning')}: {note}")
            where = _("under the document's end") if report.same_page else _("on a page of its own")
            say(_("copy: {path} (Số {number}, {pages} pages; the copy form {where}{signed})").format(
                path=report.target, number=report.so_ky_hieu, pages=report.pages, where=where,
                signed=_("; signed") if report.signed else ""))
            if report.register:
                say(_("register: {url}").format(url=report.register))
            return EXIT_OK

        raise typer.Exit(run(action, verbose))
