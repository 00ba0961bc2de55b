"""The data folder `vanthu serve --data DIR` works in, and what it holds.

    DIR/web.db            people, sessions, documents, versions, the audit log (or --database URL)
    DIR/register.db       the register (sổ đăng ký văn bản đi), unless --register URL
    DIR/vanthu.toml       the agency profile: agencies and signers the forms offer
    DIR/web.toml          optional: the server's signing keys, the seal, the edXML sender
    DIR/documents/N/      document N: v1/, v2/ … (record.yaml, the draft, its review site), issued/
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigurationError
from ..i18n import _

DATA_ENV = "VANTHU_DATA"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # a record file or workbook; a signed PDF may be up to four times this


@dataclass(frozen=True)
class Signing:
    """A key the server signs with: a PKCS#12 file, or a PKCS#11 token's key."""

    pkcs12: Path | None = None
    passphrase_file: Path | None = None
    pkcs11_lib: str | None = None
    token_label: str | None = None
    key_label: str | None = None
    pin_file: Path | None = None
    seal: Path | None = None  # the agency's seal image (for the agency's signature)

    def secret(self) -> str | None:
        source = self.passphrase_file or self.pin_file
        return source.read_text(encoding="utf-8").rstrip("\n") if source else None


@dataclass(frozen=True)
class WebSettings:
    data: Path
    database_url: str
    register_url: str
    signer: Signing | None = None  # [ky_so]: the competent person's signature, made on the server
    agency: Signing | None = None  # [con_dau]: the agency's signature with its seal
    organ_id: str | None = None  # [edxml] ma_dinh_danh, else the profile's
    edxml_config: Path | None = None
    secure_cookies: bool = False  # behind HTTPS: cookies sent over HTTPS only

    @property
    def profile(self) -> Path | None:
        path = self.data / "vanthu.toml"
        return path if path.is_file() else None

    @property
    def documents(self) -> Path:
        return self.data / "documents"

    @property
    def previews(self) -> Path:
        return self.data / "previews"

    @property
    def work(self) -> Path:
        return self.data / "tmp"


def data_folder(data: Path | None) -> Path:
    """--data, else VANTHU_DATA: the folder must exist (it is made by `vanthu users add`)."""
    if data is None:
        value = os.environ.get(DATA_ENV)
        if not value:
            raise ConfigurationError(_("give --data DIR (or set {variable})").format(variable=DATA_ENV))
        data = Path(value)
    return data.expanduser().resolve()


def _signing(table: dict, base: Path, section: str) -> Signing | None:
    if not table:
        return None
    known = {"pkcs12", "passphrase_file", "pkcs11_lib", "token_label", "key_label", "pin_file", "seal"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigurationError(_("web.toml [{section}]: unknown keys {keys}").format(
            section=section, keys=", ".join(unknown)))

    def path(key: str) -> Path | None:
        value = table.get(key)
        if not value:
            return None
        found = (base / str(value)).resolve()
        if not found.is_file():
            raise ConfigurationError(_("web.toml [{section}] {key}: no such file {path}").format(
                section=section, key=key, path=found))
        return found

    return Signing(path("pkcs12"), path("passphrase_file"), table.get("pkcs11_lib"), table.get("token_label"),
                   table.get("key_label"), path("pin_file"), path("seal"))


def load_settings(data: Path | None, *, register: str | None = None, database: str | None = None,
                  create: bool = False) -> WebSettings:
    folder = data_folder(data)
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    if not folder.is_dir():
        raise ConfigurationError(_("no such folder: {path} (vanthu users add … --data makes it)").format(path=folder))
    config: dict = {}
    toml = folder / "web.toml"
    if toml.is_file():
        try:
            config = tomllib.loads(toml.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigurationError(_("{path}: not a valid TOML file: {detail}").format(path=toml, detail=exc)) \
                from None
    edxml = config.get("edxml") or {}
    edxml_config = (folder / edxml["config"]).resolve() if edxml.get("config") else None
    return WebSettings(
        data=folder,
        database_url=database or f"sqlite:///{folder / 'web.db'}",
        register_url=register or f"sqlite:///{folder / 'register.db'}",
        signer=_signing(config.get("ky_so") or {}, folder, "ky_so"),
        agency=_signing(config.get("con_dau") or {}, folder, "con_dau"),
        organ_id=edxml.get("ma_dinh_danh"),
        edxml_config=edxml_config,
        secure_cookies=bool(config.get("https", False)),
    )
