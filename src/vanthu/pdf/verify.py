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

from ..nd30.dates import VIETNAM

# What later revisions may add without changing what a signature covers: signatures (the agency's
# after the signer's), form fields filled in, document time stamps.
_ALLOWED_AFTER = ("NONE", "LTA_UPDATES", "FORM_FILLING")


@dataclass(frozen=True)
class SignatureReport:
    field: str
    signer: str
    signing_time: str
    intact: bool
    whole_document: bool  # nothing but allowed additions (later signatures, form fields) after it
    trusted: bool
    summary: str
    why: str = ""  # what is wrong, in the user's language, when not ok
    organisation: str = ""  # the certificate's O
    revision: int = 0  # the revision it signs, 1-based
    revisions: int = 0  # the file's revisions
    signed_after: bool = False  # later revisions added signatures or filled fields (allowed)

    @property
    def ok(self) -> bool:
        return self.intact and self.whole_document and self.trusted


def verify_pdf(path: Path, trust: list[Path]) -> list[SignatureReport]:
    roots = [load_cert_from_pemder(str(p)) for p in trust]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    reports = []
    with path.open("rb") as handle:
        reader = PdfFileReader(handle, strict=False)
        revisions = reader.xrefs.total_revisions
        for embedded in sorted(reader.embedded_signatures, key=lambda e: e.signed_revision):
            status = validate_pdf_signature(embedded, context)
            coverage = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
            last = embedded.signed_revision == revisions - 1
            # later incremental updates that add nothing but signatures and form-field fill-ins still
            # count as covered; bytes after the signed revision that are no revision at all do not
            level = status.modification_level.name if status.modification_level is not None else None
            if not coverage and status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and not last:
                coverage = level in _ALLOWED_AFTER
            when = status.signer_reported_dt or (status.timestamp_validity.timestamp
                                                 if status.timestamp_validity else None)
            cert = status.signing_cert
            reports.append(SignatureReport(
                field=embedded.field_name,
                signer=cert.subject.human_friendly if cert else "?",
                signing_time=when.astimezone(VIETNAM).isoformat() if when else "",
                intact=bool(status.intact and status.valid),
                whole_document=coverage,
                trusted=bool(status.trusted),
                summary=status.summary(),
                why=_why(status, coverage, last, cert),
                organisation=_organisation(cert),
                revision=embedded.signed_revision + 1,
                revisions=revisions,
                signed_after=not last and coverage,
            ))
    return reports


def _organisation(cert) -> str:
    if cert is None:
        return ""
    found = cert.subject.native.get("organization_name", "")
    return ", ".join(found) if isinstance(found, list) else str(found)


def _why(status, coverage: bool, last: bool, cert) -> str:
    from ..i18n import _

    reasons = []
    if not (status.intact and status.valid):
        reasons.append(_("the signed bytes were changed after signing"))
    if not coverage:
        reasons.append(_("bytes were added after the signed revision") if last
                       else _("the document was changed after it was signed"))
    if not status.trusted and cert is not None:
        now = dt.datetime.now(dt.UTC)
        valid_from, valid_to = cert.not_valid_before, cert.not_valid_after
        if now > valid_to:
            reasons.append(_("the signer's certificate expired on {date}").format(
                date=valid_to.astimezone(VIETNAM).isoformat()))
        elif now < valid_from:
            reasons.append(_("the signer's certificate is valid only from {date}").format(
                date=valid_from.astimezone(VIETNAM).isoformat()))
        else:
            reasons.append(_("the signer's certificate does not chain to a trusted root (--trust)"))
    return "; ".join(reasons)
