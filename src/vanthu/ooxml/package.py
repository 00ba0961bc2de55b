"""Writing .docx packages: deterministic bytes, atomic replacement of the target file."""

from __future__ import annotations

import io
import os
import re
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

# Fixed member date (1 January 1980, 00:00): the same records and template give the same bytes.
_DOS_DATE, _DOS_TIME = (0 << 9) | (1 << 5) | 1, 0
_EXTERNAL_ATTR = 0o100644 << 16  # a regular file, rw-r--r--


@dataclass(frozen=True)
class PackedMember:
    """A zip member already deflated, so a template's unchanging parts are compressed once."""

    name: bytes
    crc: int
    size: int
    deflated: bytes


def pack(name: str, data: bytes, level: int = 6) -> PackedMember:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return PackedMember(name.encode("utf-8"), zlib.crc32(data), len(data),
                        compressor.compress(data) + compressor.flush())


class DeflateStream:
    """A member deflated as it is written, for a part too big to hold whole (a bundle's body)."""

    def __init__(self, name: str, level: int = 6):
        self.name = name
        self._compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        self._chunks: list[bytes] = []
        self._crc = 0
        self._size = 0

    def write(self, data: bytes) -> None:
        self._crc = zlib.crc32(data, self._crc)
        self._size += len(data)
        self._chunks.append(self._compressor.compress(data))

    def finish(self) -> PackedMember:
        self._chunks.append(self._compressor.flush())
        return PackedMember(self.name.encode("utf-8"), self._crc, self._size, b"".join(self._chunks))


def zip_packed(members: list[PackedMember]) -> bytes:
    """A zip of the members in the given order (the minimal, standard layout)."""
    out, directory = [], []
    offset = 0
    for m in members:
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, _DOS_TIME, _DOS_DATE, m.crc,
                             len(m.deflated), m.size, len(m.name), 0) + m.name
        directory.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x0314, 20, 0x800, 8, _DOS_TIME, _DOS_DATE,
                                     m.crc, len(m.deflated), m.size, len(m.name), 0, 0, 0, 0, _EXTERNAL_ATTR,
                                     offset) + m.name)
        out += [header, m.deflated]
        offset += len(header) + len(m.deflated)
    central = b"".join(directory)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), offset, 0)
    return b"".join(out) + central + end


def zip_bytes(members: list[tuple[str, bytes]], compresslevel: int = 6) -> bytes:
    """A zip of (name, data) members in the given order, each deflated now."""
    return zip_packed([pack(name, data, compresslevel) for name, data in members])


def read_members(path: str | os.PathLike | BinaryIO) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(info.filename, archive.read(info.filename)) for info in archive.infolist()]


def write_temporary(folder: Path, data: bytes, stem: str = "vanthu") -> Path:
    """Data in a new temporary file inside folder (the first half of an atomic write)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{stem}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # mkstemp makes files only the owner may read; give them the permissions a new file gets
        os.chmod(tmp, 0o666 & ~_UMASK)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def atomic_write(path: Path, data: bytes) -> None:
    """Write data to a temporary file beside path, then rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = write_temporary(path.parent, data, path.name)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


# What a .docx may hold before vanthu refuses to open it: a real document, even a bundle of
# a thousand notices, stays far below; a zip bomb (2 MB expanding to gigabytes) does not.
MAX_MEMBERS = 10_000
MAX_UNCOMPRESSED = 512 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, over the whole package (XML deflates ~10×)


def check_bounds(path: str | os.PathLike | BinaryIO) -> list[zipfile.ZipInfo]:
    """The members of a zip, after checking from its directory (nothing inflated yet) that
    opening it stays bounded; UnreadableDocument otherwise."""
    from ..errors import UnreadableDocument
    from ..i18n import _

    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableDocument(str(exc)) from None
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if len(infos) > MAX_MEMBERS:
        raise UnreadableDocument(_("it holds {count} parts; vanthu opens at most {limit}").format(
            count=len(infos), limit=MAX_MEMBERS))
    if total > MAX_UNCOMPRESSED or (total > 10 * 1024 * 1024 and total / packed > MAX_RATIO):
        raise UnreadableDocument(_("it expands to {size} MB ({ratio:.0f}× its size): refused as a zip bomb").format(
            size=total // (1024 * 1024), ratio=total / packed))
    return infos


def read_checked(path: str | os.PathLike | BinaryIO) -> dict[str, bytes]:
    """Every member of a .docx (or any OOXML package), its size checked before it is read."""
    from ..errors import UnreadableDocument

    check_bounds(path)
    try:
        with zipfile.ZipFile(path) as archive:
            return {info.filename: archive.read(info.filename) for info in archive.infolist()}
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError, zlib.error) as exc:
        raise UnreadableDocument(str(exc)) from None


_WORKBOOK_TIME = "2000-01-01T00:00:00Z"
_DCTERMS_TIME = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)")


def workbook_bytes(book) -> bytes:
    """An openpyxl workbook as deterministic bytes: openpyxl stamps the time of saving into
    docProps/core.xml and each zip member; both are fixed here (same content, same bytes)."""
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    members = [(name, _DCTERMS_TIME.sub(rb"\g<1>" + _WORKBOOK_TIME.encode() + rb"\g<2>", data)
                if name == "docProps/core.xml" else data) for name, data in read_members(buffer)]
    return zip_bytes(members)
