"""Signing PDFs: PAdES baseline B-B (B-T with a time-stamping authority), with a PKCS#12 file
or a PKCS#11 token, the signer's image in the field when given. pyHanko does the PDF work.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.stamp import TextStampStyle

from ..errors import ConfigurationError
from ..i18n import _
from ..ooxml.package import atomic_write

# pyHanko notes, for every stamp, that its default margins do not fit a field of this height.
logging.getLogger("pyhanko.pdf_utils.layout").setLevel(logging.ERROR)

# Room for the CMS signature (certificate chain, time stamp): reserving it skips pyHanko's dry run.
BYTES_RESERVED = 16384
BYTES_RESERVED_TSA = 32768  # and a time stamp token besides


class KeptKeySigner(signers.SimpleSigner):
    """A SimpleSigner that parses its private key once, not for every signature."""

    def __init__(self, loaded: signers.SimpleSigner):
        super().__init__(signing_cert=loaded.signing_cert, signing_key=loaded.signing_key,
                         cert_registry=loaded.cert_registry, signature_mechanism=loaded.signature_mechanism)
        self._key = serialization.load_der_private_key(loaded.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._key, RSAPrivateKey):
            return self._key.sign(data, PKCS1v15(), hash_algorithm)
        if mechanism == "ecdsa" and isinstance(self._key, EllipticCurvePrivateKey):
            return self._key.sign(data, ECDSA(hash_algorithm))
        return super().sign_raw(data, digest_algorithm)


def check_validity(signer: signers.Signer, allow_invalid_time: bool = False) -> str | None:
    """Refuse a certificate that is not valid now (a verifier would reject the signature); with
    allow_invalid_time, the warning to say instead."""
    import datetime as dt

    cert = signer.signing_cert
    if cert is None:
        return None
    from ..nd30.dates import VIETNAM

    now = dt.datetime.now(dt.UTC)
    valid_from, valid_to = cert.not_valid_before, cert.not_valid_after
    if valid_from <= now <= valid_to:
        return None
    message = _("the certificate of {subject} is valid from {start} to {end}, not now: a verifier would reject "
                "the signature").format(subject=cert.subject.human_friendly,
                                        start=valid_from.astimezone(VIETNAM).isoformat(),
                                        end=valid_to.astimezone(VIETNAM).isoformat())
    if not allow_invalid_time:
        raise ConfigurationError(message, hint=_("--allow-invalid-time signs all the same"))
    return message


def pkcs12_signer(path: Path, passphrase: bytes | None) -> signers.Signer:
    try:
        loaded = signers.SimpleSigner.load_pkcs12(str(path), passphrase=passphrase)
    except (OSError, ValueError) as exc:
        raise ConfigurationError(_("cannot read the PKCS#12 file {path}: {detail}").format(path=path, detail=exc)) \
            from None
    if loaded is None:
        raise ConfigurationError(_("cannot read the PKCS#12 file {path}: wrong passphrase?").format(path=path))
    return KeptKeySigner(loaded)


@dataclass
class Pkcs11Token:
    """An open session on a hardware token (or SoftHSM standing in for one)."""

    session: object
    signer: signers.Signer

    def close(self) -> None:
        self.session.close()


def pkcs11_signer(lib: str, token_label: str, key_label: str, pin: str, cert_label: str | None = None) -> Pkcs11Token:
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11

    try:
        session = pkcs11.open_pkcs11_session(lib, token_criteria=TokenCriteria(label=token_label), user_pin=pin)
    except Exception as exc:  # python-pkcs11 raises many types (no token, bad PIN, bad library)
        raise ConfigurationError(_("cannot open the token '{token}' with {lib}: {detail}").format(
            token=token_label, lib=lib, detail=exc or type(exc).__name__)) from None
    signer = pkcs11.PKCS11Signer(session, key_label=key_label, cert_label=cert_label or key_label)
    return Pkcs11Token(session, signer)


@dataclass(frozen=True)
class SignOptions:
    field: str | None = None  # an existing empty field; None: the first empty one, or a new invisible one
    image: Path | None = None  # the signer's signature image (blue PNG, transparent)
    tsa: str | None = None  # RFC 3161 time-stamping authority: PAdES B-T
    reason: str | None = None
    location: str | None = None


def _empty_field(reader: PdfFileReader, wanted: str | None) -> str | None:
    names = [name for name, value, _ref in fields.enumerate_sig_fields(reader, filled_status=False)]
    if wanted:
        if wanted not in names:
            raise ConfigurationError(_("the PDF has no empty signature field '{field}' (it has: {fields})").format(
                field=wanted, fields=", ".join(names) or "-"))
        return wanted
    return names[0] if names else None


def pades_sign(writer: IncrementalPdfFileWriter, signer: signers.Signer, field: str, *,
               style: TextStampStyle | None = None, new_field: fields.SigFieldSpec | None = None,
               tsa: str | None = None, reason: str | None = None, location: str | None = None) -> bytes:
    """One PAdES signature (SHA-256; B-T with a time-stamping authority) into `field` — an empty field
    of the document, or `new_field` made for it — as an incremental update; returns the new bytes."""
    meta = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES, reason=reason, location=location)
    timestamper = timestamps.HTTPTimeStamper(tsa) if tsa else None
    pdf_signer = signers.PdfSigner(meta, signer, timestamper=timestamper, stamp_style=style, new_field_spec=new_field)
    output = io.BytesIO()
    pdf_signer.sign_pdf(writer, output=output, bytes_reserved=BYTES_RESERVED if not tsa else BYTES_RESERVED_TSA)
    return output.getvalue()


def sign_pdf(source: Path, target: Path, signer: signers.Signer, options: SignOptions) -> str:
    """Sign source into target; returns the field signed."""
    writer = IncrementalPdfFileWriter(io.BytesIO(source.read_bytes()), strict=False)
    existing = _empty_field(writer.prev, options.field)
    field = existing or "Signature1"
    style = None
    if options.image is not None:
        from PIL import Image

        style = TextStampStyle(stamp_text="", background=PdfImage(Image.open(options.image)), background_opacity=1,
                               border_width=0)
    # no empty field in the document: an invisible one is made
    atomic_write(target, pades_sign(writer, signer, field, style=style,
                                    new_field=None if existing else fields.SigFieldSpec(field), tsa=options.tsa,
                                    reason=options.reason, location=options.location))
    return field
