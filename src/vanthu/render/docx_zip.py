"""Writing .docx packages: deterministic bytes, atomic replacement of the target file."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

# Fixed member timestamp: the same records and template give byte-identical files.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def zip_bytes(members: list[tuple[str, bytes]], compresslevel: int = 6) -> bytes:
    """A zip of the members in the given order, every member with the fixed timestamp."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, data, compresslevel=compresslevel)
    return buffer.getvalue()


def read_members(path: str | os.PathLike | io.BytesIO) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(info.filename, archive.read(info.filename)) for info in archive.infolist()]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes) -> None:
    """Write data to a temporary file beside path, then rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
