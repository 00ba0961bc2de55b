"""`vanthu edxml BATCHDIR -o EDXMLDIR` and `vanthu edxml read FILE.edxml -o DIR` (QCVN 102:2016)."""

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
        "Write an edXML package (QCVN 102:2016) for each issued document of a batch folder "
        "(vanthu edxml BATCHDIR -o EDXMLDIR), or check a received package and extract its documents "
        "(vanthu edxml read FILE.edxml -o DIR)."))
    def edxml(
        targets: Annotated[list[str], typer.Argument(metavar=_("BATCHDIR | read FILE.edxml"), show_default=False,
                                                     help=_("The batch folder, or read and a package."))],
        output: Annotated[Path | None, typer.Option("-o", "--output", metavar=_("FOLDER"), help=_(
            "Where the packages (or the received documents) go."))] = None,
        organ_id: Annotated[str | None, typer.Option("--organ-id", metavar=_("ID"), help=_(
            "The sending agency's identifier (mã định danh), e.g. 000.00.00.H41."))] = None,
        config: Annotated[Path | None, typer.Option("--config", metavar=_("FILE.yaml"), help=_(
            "The sender's details, the receivers' identifiers and the exchange's codes (docs/edxml.md)."))] = None,
        strict: Annotated[bool, typer.Option("--strict", help=_(
            "A package with a warning (no identifier, no type code, an unsigned PDF) is not written."))] = False,
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            if output is None:
                raise ConfigurationError(_("say where the output goes: -o FOLDER"))
            if targets[0] == "read":
                if len(targets) != 2:
                    raise ConfigurationError(_("usage: vanthu edxml read FILE.edxml -o DIR"))
                return _read(Path(targets[1]), output)
            if len(targets) != 1:
                raise ConfigurationError(_("usage: vanthu edxml BATCHDIR -o EDXMLDIR"))
            failed = 0
            for package in api.edxml(Path(targets[0]), output, organ_id=organ_id, config=config, strict=strict):
                for warning in package.warnings:
                    warn(f"{_('warning')}: {package.document.name}: {warning}")
                if package.skipped:
                    say(package.skipped)
                elif package.error:
                    failed += 1
                    warn(f"{_('error')}: {package.error}")
                else:
                    say(_("written: {path} ({files} attachments)").format(path=package.target,
                                                                           files=len(package.attachments)))
            return EXIT_FAILED if failed else EXIT_OK

        raise typer.Exit(run(action, verbose))


def _read(path: Path, output: Path) -> int:
    package = api.edxml_read(path, output)
    for problem in package.problems:
        warn(f"{path.name}: {problem}")
    if not package.ok:
        warn(_("refused: {path} (nothing extracted)").format(path=path))
        return EXIT_FAILED
    for f in package.files:
        say(_("extracted: {path}").format(path=f.path))
    say(_("record: {path}").format(path=package.record))
    return EXIT_OK
