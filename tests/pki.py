"""A throw-away PKI for the signing tests: a root CA and a signer, as PEM and PKCS#12."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image, ImageDraw


@dataclass
class TestPki:
    root_pem: Path
    root_cert: x509.Certificate
    root_key: rsa.RSAPrivateKey
    signer_p12: Path
    signer_key_pem: Path  # PKCS#8, unencrypted (for importing into SoftHSM)
    signer_cert_der: Path
    passphrase: bytes
    signer_name: str


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Sở Công Thương tỉnh Lạng Sơn (thử nghiệm)"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_pki(folder: Path, signer_name: str = "Nguyễn Văn An", *, signer_from_days: float = 0,
             signer_days: float = 30) -> TestPki:
    """A root and a signer; the signer's certificate valid from signer_from_days (from now, may be
    negative) for signer_days — an expired or not-yet-valid signer when asked."""
    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = (x509.CertificateBuilder().subject_name(_name("vanthu test root")).issuer_name(_name("vanthu test root"))
            .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=400)).not_valid_after(now + dt.timedelta(days=400))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    starts = now + dt.timedelta(days=signer_from_days)
    cert = (x509.CertificateBuilder().subject_name(_name(signer_name)).issuer_name(root.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(starts).not_valid_after(starts + dt.timedelta(days=signer_days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
                           critical=False)
            .sign(root_key, hashes.SHA256()))
    passphrase = b"mat-khau-thu"
    pki = TestPki(folder / "root.pem", root, root_key, folder / "signer.p12", folder / "signer-key.pem",
                  folder / "signer.der", passphrase, signer_name)
    pki.root_pem.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    pki.signer_p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"signer", key, cert, [root], serialization.BestAvailableEncryption(passphrase)))
    pki.signer_key_pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption()))
    pki.signer_cert_der.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    return pki


def make_tsa(pki: TestPki):
    """A time-stamping authority certified by the test root: (certificate, key), asn1crypto forms."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509

    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (x509.CertificateBuilder().subject_name(_name("vanthu test TSA")).issuer_name(pki.root_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(pki.root_key.public_key()),
                           critical=False)
            .sign(pki.root_key, hashes.SHA256()))
    der_key = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return (asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
            asn1_keys.PrivateKeyInfo.load(der_key))


SEAL_MM = 36.0


def seal_png(path: Path, *, dpi: int | None = 300, transparent: bool = True) -> Path:
    """A round red seal SEAL_MM wide, as an agency scans its own: transparent, with its dpi."""
    px = round(SEAL_MM / 25.4 * (dpi or 300))
    image = Image.new("RGBA" if transparent else "RGB", (px, px), (0, 0, 0, 0) if transparent else "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((6, 6, px - 6, px - 6), outline=(220, 0, 0, 255), width=16)
    draw.ellipse((60, 60, px - 60, px - 60), outline=(220, 0, 0, 255), width=6)
    image.save(path, **({"dpi": (dpi, dpi)} if dpi else {}))
    return path
