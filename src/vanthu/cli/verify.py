"""`vanthu verify`: every signature of signed PDFs — signer, time, integrity, coverage, trust."""

import json
from pathlib import Path
from typing import Annotated

import typer

from .. import api
from ..errors import ConfigurationError
from ..i18n import _
from . import options
from .runtime import EXIT_FAILED, EXIT_OK, run, say, warn


def register(app: typer.Typer) -> None:
    @app.command(options_metavar=_("[OPTIONS]"),
                 help=_("Check each signature: signer, time, integrity, coverage, trust."))
    def verify(
        paths: Annotated[list[Path], typer.Argument(metavar=_("PDF"), show_default=False,
                                                    help=_("Signed PDF files or folders of them."))],
        trust: Annotated[list[Path] | None, typer.Option("--trust", metavar=_("ROOT.pem"), help=_(
            "A trusted root certificate (PEM/DER)."))] = None,
        output_format: Annotated[str, typer.Option("--format", metavar="text|json", help=_("text or json."))]
        = "text",
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            if output_format not in ("text", "json"):
                raise ConfigurationError(_("--format is text or json"))
            report = api.verify(paths, trust=list(trust or []))
            rows = []
            yes = {True: _("yes"), False: _("NO")}
            for verified in report.files:
                if verified.error:
                    warn(_("{path} is not a readable PDF ({detail})").format(path=verified.path,
                                                                             detail=verified.error))
                    rows.append({"file": str(verified.path), "ok": False, "error": verified.error})
                    continue
                if not verified.signatures:
                    warn(_("{path}: no signature").format(path=verified.path))
                for n, s in enumerate(verified.signatures, start=1):
                    rows.append({"file": str(verified.path), "order": n, **s.__dict__, "ok": s.ok})
                    if output_format == "text":
                        after = _("later signatures added") if s.signed_after else ""
                        say(f"{verified.path} {n}/{len(verified.signatures)} [{s.field}] {s.signer} | {s.signing_time}"
                            f" | {_('revision {n} of {total}').format(n=s.revision, total=s.revisions)} | "
                            f"{_('intact')}: {yes[s.intact]} | {_('whole document')}: {yes[s.whole_document]} | "
                            f"{_('trusted')}: {yes[s.trusted]}" + (f" | {after}" if after else "")
                            + (f" — {s.why}" if s.why else ""))
            if output_format == "json":
                say(json.dumps(rows, ensure_ascii=False, indent=1))
            return EXIT_OK if report.ok else EXIT_FAILED

        raise typer.Exit(run(action, verbose))
