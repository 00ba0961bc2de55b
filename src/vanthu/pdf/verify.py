"""Verifying signed PDFs: who signed, when, whether the bytes are intact, whether the signature
covers the whole document, and whether the signer chains to a trusted certificate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

# Times are told in Vietnam's time zone (ISO 8601, +07:00; no daylight saving), as the decree asks.
VIETNAM = dt.timezone(dt.timedelta(hours=7))


@dataclass(frozen=True)
class SignatureReport:
    field: str
    signer: str
    signing_time: str
    intact: bool
    whole_document: bool
    trusted: bool
    summary: str

    @property
    def ok(self) -> bool:
        return self.intact and self.whole_document and self.trusted


def verify_pdf(path: Path, trust: list[Path]) -> list[SignatureReport]:
    roots = [load_cert_from_pemder(str(p)) for p in trust]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    reports = []
    with path.open("rb") as handle:
        reader = PdfFileReader(handle, strict=False)
        for embedded in reader.embedded_signatures:
            status = validate_pdf_signature(embedded, context)
            coverage = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
            # later incremental updates that add nothing but form-field fill-ins still count as covered
            if not coverage and status.coverage == SignatureCoverageLevel.ENTIRE_REVISION:
                coverage = status.modification_level is not None and status.modification_level.name in (
                    "NONE", "LTA_UPDATES")
            when = status.signer_reported_dt or (status.timestamp_validity.timestamp
                                                 if status.timestamp_validity else None)
            reports.append(SignatureReport(
                field=embedded.field_name,
                signer=status.signing_cert.subject.human_friendly if status.signing_cert else "?",
                signing_time=when.astimezone(VIETNAM).isoformat() if when else "",
                intact=bool(status.intact and status.valid),
                whole_document=coverage,
                trusted=bool(status.trusted),
                summary=status.summary(),
            ))
    return reports
