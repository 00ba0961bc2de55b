"""`vanthu sign`: PAdES signatures with a PKCS#12 file or a PKCS#11 token."""

from pathlib import Path
from typing import Annotated

import typer

from .. import api
from ..i18n import _
from . import options
from .runtime import EXIT_FAILED, EXIT_OK, run, say, secret, warn


def register(app: typer.Typer) -> None:
    @app.command(options_metavar=_("[OPTIONS]"),
                 help=_("Sign PDFs (PAdES) with a PKCS#12 file or a PKCS#11 token."))
    def sign(
        paths: Annotated[list[Path], typer.Argument(metavar=_("PDF"), show_default=False,
                                                    help=_("PDF files to sign."))],
        output: Annotated[Path, typer.Option("-o", "--output", metavar=_("OUT"), help=_(
            "A file for one PDF, a folder for several."))],
        pkcs12: Annotated[Path | None, typer.Option("--pkcs12", metavar=_("FILE"), help=_(
            "PKCS#12 (.p12/.pfx) file."))] = None,
        passphrase_file: options.passphrase_file() = None,
        pkcs11_lib: options.pkcs11_lib() = None,
        token_label: options.token_label() = None,
        key_label: options.key_label() = None,
        cert_label: Annotated[str | None, typer.Option("--cert-label", metavar=_("LABEL"), help=_(
            "The label of the certificate on the token (default: the key's label)."))] = None,
        field: Annotated[str | None, typer.Option("--field", metavar=_("NAME"), help=_(
            "The signature field to fill."))] = None,
        image: Annotated[Path | None, typer.Option("--image", metavar=_("FILE.png"), help=_(
            "The signer's signature image (PNG)."))] = None,
        tsa: Annotated[str | None, typer.Option("--tsa", metavar="URL", help=_(
            "The address of a time-stamping authority: the signature gets a trusted time (PAdES B-T)."))]
        = None,
        agency: Annotated[bool, typer.Option("--agency", help=_(
            "The agency's signature, by the văn thư, on a PDF the competent person has signed: the seal over "
            "the left third of the signature; on an appendix file, the number and signing time at the top right."))]
        = False,
        seal: Annotated[Path | None, typer.Option("--seal", metavar=_("SEAL.png"), help=_(
            "--agency: the seal image (red, transparent PNG, at its real size by its dpi)."))] = None,
        seal_mm: Annotated[float | None, typer.Option("--seal-mm", metavar=_("MM"), help=_(
            "--agency: the seal's width in millimetres, when the image does not say its size."))] = None,
        so_ky_hieu: Annotated[str | None, typer.Option("--so-ky-hieu", metavar=_("NUMBER"), help=_(
            "--agency on an appendix file: the document's số/ký hiệu, when the appendix does not quote it."))]
        = None,
        allow_invalid_time: Annotated[bool, typer.Option("--allow-invalid-time", help=_(
            "Sign even with a certificate that is expired or not yet valid (a verifier will reject it)."))] = False,
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            passphrase = pin = None
            if pkcs12 is not None and pkcs11_lib is None and pkcs12.is_file():
                passphrase = secret("VANTHU_PKCS12_PASSWORD", "PKCS#12: ", passphrase_file)
            elif pkcs11_lib is not None and pkcs12 is None and token_label and key_label:
                pin = secret("VANTHU_PKCS11_PIN", "PIN: ")
            report = api.sign(paths, output, pkcs12=pkcs12, passphrase=passphrase, pkcs11_lib=pkcs11_lib,
                              token_label=token_label, key_label=key_label, cert_label=cert_label, pin=pin,
                              field=field, image=image, tsa=tsa, allow_invalid_time=allow_invalid_time,
                              agency=agency, seal=seal, seal_mm=seal_mm, so_ky_hieu=so_ky_hieu)
            for warning in report.warnings:
                warn(f"{_('warning')}: {warning}")
            for outcome in report.files:
                if outcome.error:
                    warn(f"{outcome.source}: {_('error')}: {outcome.error}")
                elif outcome.kind:
                    say(_("signed for the agency: {path} ({field})").format(path=outcome.target, field=outcome.field))
                else:
                    say(_("signed: {path} ({field})").format(path=outcome.target, field=outcome.field))
            return EXIT_FAILED if report.failed else EXIT_OK

        raise typer.Exit(run(action, verbose))
