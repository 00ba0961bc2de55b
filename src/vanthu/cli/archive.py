"""`vanthu archive BATCHDIR -o FILE.zip` and `vanthu archive verify FILE.zip`."""

from pathlib import Path
from typing import Annotated

import typer

from .. import api
from ..errors import ConfigurationError
from ..i18n import _
from . import options
from .runtime import EXIT_FAILED, EXIT_OK, run, say, warn


def register(app: typer.Typer) -> None:
    @app.command(options_metavar=_("[OPTIONS]"), help=_(
        "Pack a batch folder's .docx and .pdf files with their Phụ lục VI metadata and SHA-256 digests "
        "(vanthu archive BATCHDIR -o FILE.zip), or check such an archive (vanthu archive verify FILE.zip)."))
    def archive(
        targets: Annotated[list[str], typer.Argument(metavar=_("BATCHDIR | verify FILE.zip"), show_default=False,
                                                     help=_("The batch folder to pack, or verify and an archive."))],
        output: Annotated[Path | None, typer.Option("-o", "--output", metavar=_("FILE.zip"), help=_(
            "The archive to write."))] = None,
        organ_id: Annotated[str, typer.Option("--organ-id", metavar=_("ID"), help=_(
            "The agency's identifier code (mã định danh, FileCode.OrganId)."))] = "",
        ho_so: Annotated[str, typer.Option("--ho-so", metavar=_("NOTATION"), help=_(
            "The file's number and notation (số và ký hiệu hồ sơ, FileCode.FileNotation)."))] = "",
        year: Annotated[int | None, typer.Option("--year", metavar=_("YEAR"), help=_(
            "The year the file was formed (FileCode.FileCatalog); by default the documents' year."))] = None,
        trust: Annotated[list[Path] | None, typer.Option("--trust", metavar=_("ROOT.pem"), help=_(
            "verify: a trusted root certificate for the signed PDFs."))] = None,
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            if targets[0] == "verify":
                if len(targets) != 2 or output is not None:
                    raise ConfigurationError(_("usage: vanthu archive verify FILE.zip"))
                return _verify(Path(targets[1]), list(trust or []))
            if len(targets) != 1:
                raise ConfigurationError(_("usage: vanthu archive BATCHDIR -o FILE.zip"))
            if output is None:
                raise ConfigurationError(_("say where the archive goes: -o FILE.zip"))
            report = api.archive(Path(targets[0]), output, organ_id=organ_id, ho_so=ho_so, year=year)
            for warning in report.warnings:
                warn(f"{_('warning')}: {warning}")
            say(_("written: {path} ({documents} documents, {files} files)").format(
                path=report.path, documents=len(report.documents), files=len(report.files)))
            return EXIT_OK

        raise typer.Exit(run(action, verbose))


def _verify(path: Path, trust: list[Path]) -> int:
    check = api.archive_verify(path, trust=trust)
    if check.error:
        warn(f"{path}: {check.error}")
        return EXIT_FAILED
    for name in check.missing:
        warn(_("missing: {name}").format(name=name))
    for name in check.extra:
        warn(_("extra: {name}").format(name=name))
    for name in check.altered:
        warn(_("altered: {name}").format(name=name))
    for s in check.signatures:
        if s.ok:
            say(_("signature intact: {name} [{field}] {signer}").format(name=s.path, field=s.field, signer=s.signer))
        else:
            warn(_("signature broken: {name} [{field}] {why}").format(name=s.path, field=s.field, why=s.why))
    if check.ok:
        say(_("{path}: all {count} files intact").format(path=path, count=check.files))
        return EXIT_OK
    return EXIT_FAILED
