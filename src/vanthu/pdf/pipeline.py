"""The PDF stage of a batch: convert, add signature fields, check the PDF/A claim and fonts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import _
from .convert import Converter
from .fields import add_fields, find_places, signer_blocks
from .pdfa import font_report, font_substitute, pdfa_claim


@dataclass
class PdfOutcome:
    source: Path
    output: Path | None
    problems: list[str] = field(default_factory=list)  # errors: the PDF is not usable
    notes: list[str] = field(default_factory=list)  # warnings

    @property
    def ok(self) -> bool:
        return self.output is not None and not self.problems


def substitution_warning() -> str | None:
    """Said once per run: which font renders Times New Roman when it is not installed."""
    substitute = font_substitute()
    if substitute is None:
        return None
    return _("Times New Roman is not installed: {font} (the same widths) renders the PDFs").format(font=substitute)


def make_pdfs(sources: list[Path], out_dir: Path, *, pdfa: bool = False, jobs: int = 2, timeout: float = 60.0,
              signature_fields: bool = True) -> Iterator[PdfOutcome]:
    with Converter(jobs=jobs, timeout=timeout, pdfa=pdfa) as converter:
        for result in converter.convert(sources, out_dir):
            outcome = PdfOutcome(result.source, result.output)
            if result.output is None:
                outcome.problems.append(result.problem or _("conversion failed"))
                yield outcome
                continue
            if signature_fields:
                try:
                    add_fields(result.output, find_places(result.output, signer_blocks(result.source)))
                except (ValueError, OSError) as exc:
                    outcome.notes.append(_("no signature field: {detail}").format(detail=exc))
            if pdfa:
                claim = pdfa_claim(result.output)
                if claim != "2B":
                    outcome.problems.append(_("the PDF does not claim PDF/A-2b (it claims {claim})").format(
                        claim=claim or "-"))
            _fonts, missing = font_report(result.output)
            if missing:
                outcome.problems.append(_("fonts not embedded: {fonts}").format(fonts=", ".join(missing)))
            yield outcome
