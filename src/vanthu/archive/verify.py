"""Checking an archive years later: every file the manifest lists is there with its SHA-256,
nothing else is, the manifests agree, and every signed PDF's signatures still hold.

Each member is hashed as it is read, and reading stops one byte past the size the manifest
gives: a member that has grown (or a zip bomb) is found altered without being inflated whole.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import _
from .pack import CHUNK, FORMAT, MANIFEST_JSON, MANIFEST_XLSX


@dataclass(frozen=True)
class SignatureCheck:
    path: str
    field: str
    signer: str
    ok: bool
    why: str = ""


@dataclass
class ArchiveCheck:
    path: Path
    files: int = 0  # files the manifest lists
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)
    signatures: list[SignatureCheck] = field(default_factory=list)
    error: str = ""  # the archive cannot be read at all

    @property
    def ok(self) -> bool:
        return not (self.error or self.missing or self.extra or self.altered
                    or any(not s.ok for s in self.signatures))


def _digest(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> tuple[str, int]:
    """SHA-256 and size of a member, reading at most limit + 1 bytes of it."""
    digest = hashlib.sha256()
    size = 0
    with archive.open(info) as handle:
        while size <= limit and (chunk := handle.read(min(CHUNK, limit + 1 - size))):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def verify_archive(path: Path, trust: list[Path]) -> ArchiveCheck:
    check = ArchiveCheck(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        check.error = _("not a readable zip archive: {detail}").format(detail=exc)
        return check
    with archive:
        infos: dict[str, zipfile.ZipInfo] = {}
        for info in archive.infolist():
            if info.filename in infos:  # one name twice: which copy is the archived one?
                check.altered.append(info.filename)
            infos[info.filename] = info
        manifest = _read_manifest(archive, infos, check)
        if manifest is None:
            return check
        listed = [*manifest["files"], manifest["manifestXlsx"]]
        check.files = len(manifest["files"])
        names = {entry["path"] for entry in listed}
        for entry in listed:
            info = infos.get(entry["path"])
            if info is None:
                check.missing.append(entry["path"])
                continue
            try:
                digest, size = _digest(archive, info, int(entry["size"]))
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError):
                check.altered.append(entry["path"])  # a damaged member (bad CRC, cut short …)
                continue
            if digest != entry["sha256"] or size != int(entry["size"]):
                check.altered.append(entry["path"])
        check.extra = sorted(n for n in infos if n not in names and n != MANIFEST_JSON)
        broken = set(check.altered) | set(check.missing)
        signed = [e["path"] for e in manifest["files"] if e.get("signatures") and e["path"] not in broken]
        if signed:
            _check_signatures(archive, infos, signed, trust, check)
    check.altered = sorted(set(check.altered))
    return check


def _read_manifest(archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], check: ArchiveCheck) -> dict | None:
    info = infos.get(MANIFEST_JSON)
    if info is None:
        check.error = _("no {name} in the archive: it was not made by vanthu archive").format(name=MANIFEST_JSON)
        return None
    if info.file_size > 64 * 1024 * 1024:
        check.error = _("{name} is too big to be a manifest").format(name=MANIFEST_JSON)
        return None
    try:
        manifest = json.loads(archive.read(info).decode("utf-8"))
        if manifest.get("format") != FORMAT:
            raise ValueError("format")
        for entry in [*manifest["files"], manifest["manifestXlsx"]]:
            if not (isinstance(entry["path"], str) and isinstance(entry["sha256"], str) and int(entry["size"]) >= 0):
                raise ValueError("entry")
        if manifest["manifestXlsx"]["path"] != MANIFEST_XLSX:
            raise ValueError("manifest.xlsx")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, zipfile.BadZipFile, OSError):
        check.error = _("{name} is damaged or not a vanthu manifest").format(name=MANIFEST_JSON)
        return None
    return manifest


def _check_signatures(archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], names: list[str],
                      trust: list[Path], check: ArchiveCheck) -> None:
    from ..pdf.verify import verify_pdf

    folder = Path(tempfile.mkdtemp(prefix="vanthu-archive-"))
    try:
        for index, name in enumerate(names):
            copy = folder / f"{index}.pdf"  # a name of vanthu's own: the member's may be anything
            with archive.open(infos[name]) as source, copy.open("wb") as sink:
                shutil.copyfileobj(source, sink, CHUNK)
            try:
                reports = verify_pdf(copy, trust)
            except Exception as exc:  # pyHanko raises many kinds for a PDF it cannot read
                check.signatures.append(SignatureCheck(name, "", "", False, str(exc) or type(exc).__name__))
                continue
            if not reports:
                check.signatures.append(SignatureCheck(name, "", "", False, _("its signature is gone")))
            for report in reports:
                # without --trust, a signature's root cannot be judged: integrity and coverage are
                ok = report.intact and report.whole_document and (report.trusted or not trust)
                why = report.why if not ok else ""
                check.signatures.append(SignatureCheck(name, report.field, report.signer, ok, why))
            copy.unlink()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
