"""Packing a batch folder into an archive: its .docx and .pdf files, manifest.json and
manifest.xlsx with every document's Phụ lục VI fields and the SHA-256 of every file.

Same files, same options → the same archive bytes: members in sorted order with a fixed date
and mode, manifests that carry no time of packing. The folder is locked against a batch
writing into it meanwhile; the archive is written to a temporary file and renamed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigurationError
from ..i18n import _
from ..nd30.register import PHU_LUC_VI_FIELDS
from ..ooxml.package import workbook_bytes, write_temporary

MANIFEST_JSON = "manifest.json"
MANIFEST_XLSX = "manifest.xlsx"
FORMAT = "vanthu-archive"
FORMAT_VERSION = 1
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
CHUNK = 1 << 20
ZIP64_FROM = 1 << 31  # a member this big needs the zip64 header; smaller ones keep the plain one
ORGAN_ID_LENGTH = 13  # Phụ lục VI: OrganId String(13)
FILE_NOTATION_LENGTH = 20  # FileNotation String(20)

# Extra fields vanthu keeps beside the decree's (not in Phụ lục VI): the record's mã, the
# printed số/ký hiệu, the secrecy level (the decree's Priority number has no code for it).
EXTRA_FIELDS = (("Identifier", "Mã văn bản (ma)"), ("SoKyHieu", "Số, ký hiệu văn bản"),
                ("Confidentiality", "Độ mật"))


@dataclass(frozen=True)
class ArchivedFile:
    path: str  # inside the archive, '/'-separated
    sha256: str
    size: int
    document: int | None  # the DocOrdinal of its document; None for a file of no known document
    signatures: int = 0  # signatures in a PDF


@dataclass
class PackResult:
    path: Path
    documents: list[dict[str, object]] = field(default_factory=list)
    files: list[ArchivedFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _is_member(path: Path, root: Path) -> bool:
    name = path.name
    parts = path.relative_to(root).parts
    return (path.suffix.lower() in (".docx", ".pdf") and path.is_file() and not path.is_symlink()
            and not any(p.startswith(".") for p in parts) and not name.startswith("~$"))


def batch_files(root: Path) -> list[Path]:
    """The batch's documents and PDFs, in sorted order (hidden and lock files left out)."""
    return sorted((p for p in root.rglob("*") if _is_member(p, root)), key=lambda p: p.relative_to(root).as_posix())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _report_metadata(root: Path) -> dict[str, dict[str, object]]:
    """Relative .docx path → its fields, from the batch's batch-report.json."""
    from ..batch.report import REPORT_FILE

    path = root / REPORT_FILE
    if not path.is_file():
        return {}
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    found: dict[str, dict[str, object]] = {}
    for entry in report.get("records", []) if isinstance(report, dict) else []:
        output, metadata = entry.get("output"), entry.get("metadata")
        if not output or not isinstance(metadata, dict):
            continue
        target = Path(output)
        target = target if target.is_absolute() else root / target
        try:
            found[target.resolve().relative_to(root).as_posix()] = metadata
        except ValueError:
            continue  # a report entry outside the folder
    return found


def _page_count(path: Path) -> int | None:
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            return len(pdf.pages)
    except Exception:  # pikepdf raises several kinds for a damaged PDF
        return None


def _signatures(path: Path) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        with path.open("rb") as handle:
            return len(PdfFileReader(handle, strict=False).embedded_signatures)
    except Exception:  # not a PDF pyHanko can read: no signature to count
        return 0


def _order_key(meta: dict[str, object], name: str) -> tuple:
    """In order of issue: by date, then number; undated and unnumbered ones last."""
    date = str(meta.get("IssuedDate") or "")
    day, month, year = (date.split("/") + ["", "", ""])[:3]
    number = str(meta.get("CodeNumber") or "")
    return (not date, year, month, day, int(number) if number.isdigit() else 10**9, name)


def _check_options(organ_id: str, ho_so: str, year: int | None) -> None:
    if len(organ_id) > ORGAN_ID_LENGTH:
        raise ConfigurationError(_("--organ-id has at most {limit} characters (Phụ lục VI): {value}").format(
            limit=ORGAN_ID_LENGTH, value=organ_id))
    if len(ho_so) > FILE_NOTATION_LENGTH:
        raise ConfigurationError(_("--ho-so has at most {limit} characters (Phụ lục VI): {value}").format(
            limit=FILE_NOTATION_LENGTH, value=ho_so))
    if year is not None and not 1945 <= year <= 2999:
        raise ConfigurationError(_("--year must be a year such as 2026"))


def pack(batch_dir: Path, output: Path, *, organ_id: str = "", ho_so: str = "", year: int | None = None
         ) -> PackResult:
    """Write the archive of batch_dir to output (a .zip)."""
    root = batch_dir.resolve()
    if not root.is_dir():
        raise ConfigurationError(_("no such folder: {path}").format(path=batch_dir))
    organ_id, ho_so = " ".join(organ_id.split()), " ".join(ho_so.split())
    _check_options(organ_id, ho_so, year)
    target = output.resolve()
    if not target.parent.is_dir():
        raise ConfigurationError(_("no such folder: {path}").format(path=output.parent))
    from ..batch.lock import FolderLock

    lock = FolderLock(root)
    lock.acquire(wait=False)  # a batch still writing into the folder: refused, naming it
    try:
        files = batch_files(root)
        if not files:
            raise ConfigurationError(_("{path} holds no .docx or .pdf file to archive").format(path=batch_dir))
        result = PackResult(output)
        manifest, members = _manifest(root, files, organ_id, ho_so, year, result)
        workbook = manifest_workbook(manifest)
        manifest["manifestXlsx"] = {"path": MANIFEST_XLSX, "sha256": hashlib.sha256(workbook).hexdigest(),
                                    "size": len(workbook)}
        text = (json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")
        _write_zip(target, [(MANIFEST_JSON, text), (MANIFEST_XLSX, workbook)], members)
    finally:
        lock.release()
    return result


def _manifest(root: Path, files: list[Path], organ_id: str, ho_so: str, year: int | None,
              result: PackResult) -> tuple[dict, list[tuple[str, Path]]]:
    metadata = _report_metadata(root)
    documents = sorted((p for p in files if p.suffix.lower() == ".docx"),
                       key=lambda p: _order_key(metadata.get(p.relative_to(root).as_posix(), {}),
                                                p.relative_to(root).as_posix()))
    ordinal = {p: i for i, p in enumerate(documents, start=1)}
    by_stem: dict[str, list[Path]] = {}
    for p in documents:
        by_stem.setdefault(p.stem, []).append(p)
    pdf_of: dict[Path, Path] = {}  # a PDF → its .docx: the same stem, in the same folder first
    for p in files:
        if p.suffix.lower() == ".pdf" and p.stem in by_stem:
            same = [d for d in by_stem[p.stem] if d.parent == p.parent]
            pdf_of[p] = (same or by_stem[p.stem])[0]
    years = sorted({str(m.get("IssuedDate", ""))[-4:] for m in metadata.values() if m.get("IssuedDate")})
    catalog = year if year is not None else (int(years[0]) if len(years) == 1 else None)
    if year is None and len(years) > 1:
        result.warnings.append(_("the documents are of several years ({years}): give the file's year with "
                                 "--year").format(years=", ".join(years)))
    pages: dict[Path, int] = {}
    for p in files:
        name = p.relative_to(root).as_posix()
        signatures = _signatures(p) if p.suffix.lower() == ".pdf" else 0
        document = ordinal.get(p) or (ordinal[pdf_of[p]] if p in pdf_of else None)
        result.files.append(ArchivedFile(name, _sha256(p), p.stat().st_size, document, signatures))
        if p in pdf_of and pdf_of[p] not in pages:
            count = _page_count(p)
            if count is not None:
                pages[pdf_of[p]] = count
    for p in documents:
        name = p.relative_to(root).as_posix()
        meta = metadata.get(name)
        if meta is None:
            result.warnings.append(_("{name}: not in the folder's batch-report.json, so its Phụ lục VI fields are "
                                     "blank").format(name=name))
            meta = {}
        if p not in pages:
            result.warnings.append(_("{name}: no PDF beside it, so its page count (PageAmount) is blank").format(
                name=name))
        fields = {"FileCode.OrganId": organ_id, "FileCode.FileCatalog": catalog or "",
                  "FileCode.FileNotation": ho_so, "DocOrdinal": ordinal[p]}
        for tag, _label in PHU_LUC_VI_FIELDS[4:]:
            fields[tag] = meta.get(tag, "")
        fields["PageAmount"] = pages.get(p, "")
        for tag, _label in EXTRA_FIELDS:
            fields[tag] = meta.get(tag, "")
        fields["files"] = [f.path for f in result.files if f.document == ordinal[p]]
        result.documents.append(fields)
    manifest = {
        "format": FORMAT, "version": FORMAT_VERSION,
        "fileCode": {"OrganId": organ_id, "FileCatalog": catalog or "", "FileNotation": ho_so},
        "documents": result.documents,
        "files": [{"path": f.path, "sha256": f.sha256, "size": f.size, "document": f.document,
                   "signatures": f.signatures} for f in result.files],
    }
    return manifest, [(p.relative_to(root).as_posix(), p) for p in files]


def manifest_workbook(manifest: dict) -> bytes:
    """manifest.xlsx: the documents with the Phụ lục VI labels, then the files and digests."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Văn bản"
    columns = [*PHU_LUC_VI_FIELDS, *EXTRA_FIELDS]
    sheet.append([label for _tag, label in columns])
    sheet.append([tag for tag, _label in columns])
    for document in manifest["documents"]:
        sheet.append([document.get(tag, "") for tag, _label in columns])
    files = book.create_sheet("Tệp")
    files.append(["Tệp", "SHA-256", "Kích thước (byte)", "Số thứ tự văn bản", "Số chữ ký số"])
    for f in manifest["files"]:
        files.append([f["path"], f["sha256"], f["size"], f["document"] or "", f["signatures"]])
    for ws in (sheet, files):
        for row in ws.iter_rows():
            for cell in row:
                cell.font = Font(name="Times New Roman", size=11, bold=cell.row <= (2 if ws is sheet else 1))
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for index, column in enumerate(ws.columns, start=1):
            width = max(len(str(c.value or "")) for c in column)
            ws.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 60 if index != 2 else 70)
        ws.freeze_panes = "A3" if ws is sheet else "A2"
    book.properties.creator = "vanthu"
    return workbook_bytes(book)


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    return info


def _write_zip(target: Path, first: list[tuple[str, bytes]], members: list[tuple[str, Path]]) -> None:
    tmp = write_temporary(target.parent, b"", target.name)
    try:
        with zipfile.ZipFile(tmp, "w", allowZip64=True) as archive:
            for name, data in first:
                archive.writestr(_info(name), data, compresslevel=6)
            for name, path in members:
                info = _info(name)
                big = path.stat().st_size > ZIP64_FROM
                with path.open("rb") as source, archive.open(info, "w", force_zip64=big) as sink:
                    while chunk := source.read(CHUNK):
                        sink.write(chunk)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def stage_batches(folders: list[tuple[str, Path]], root: Path) -> None:
    """Several batch folders as one, to pack together: each one's documents and PDFs linked (or
    copied) into root/NAME/, and one batch-report.json whose entries point at them."""
    from ..batch.report import REPORT_FILE, read_entries

    entries: list[dict] = []
    for name, folder in folders:
        target = root / name
        target.mkdir(parents=True)
        source = folder.resolve()
        for path in batch_files(source):
            placed = target / path.relative_to(source)
            placed.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, placed)
            except OSError:  # another file system: a copy
                shutil.copy2(path, placed)
        for entry in read_entries(source):
            output = entry.get("output")
            if output:
                moved = target / Path(str(output)).name
                entry = {**entry, "output": str(moved)}
            entries.append(entry)
    (root / REPORT_FILE).write_text(json.dumps({"records": entries}, ensure_ascii=False), encoding="utf-8")
