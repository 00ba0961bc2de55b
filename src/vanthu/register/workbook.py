"""The register as a workbook (Phụ lục IV Mục I): export for printing and binding, import to
continue numbering from a register kept elsewhere (another tool, a previous year).

Export: a cover sheet (agency, year, from–to dates and numbers), then one sheet per sequence
with the ten columns, printable on A4 landscape with the header row on every page. Import
reads any workbook with those column headings; a row whose number is taken is refused by row.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from sqlalchemy import Connection, select, update

from ..errors import ConfigurationError
from ..i18n import _
from ..nd30 import register as rules
from ..nd30.dates import VIETNAM
from ..nd30.doc_types import DOC_TYPES
from ..nd30.numbering import parse_so_ky_hieu
from ..ooxml.package import atomic_write, workbook_bytes
from . import schema
from .allocate import agency_key, ensure_agency, lock_counter
from .book import Agency, Entry, entries
from .store import Register

FONT = "Times New Roman"
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _sheet_title(sequence: str) -> str:
    label = rules.SEQUENCE_LABELS.get(sequence, sequence)
    return re.sub(r"[\[\]:*?/\\]", "-", f"Sổ {label}")[:31]


def export_workbook(register: Register, agency: Agency, year: int, path: Path) -> int:
    """Write the agency's register for the year; the number of lines written."""
    lines = entries(register, agency=agency.key, year=year)
    if not lines:
        raise ConfigurationError(_("the register holds nothing for {agency} in {year}").format(
            agency=agency.viet_tat, year=year))
    book = Workbook()
    cover = book.active
    cover.title = "Bìa"
    _cover(cover, agency, year, lines)
    for sequence in sorted({x.sequence for x in lines}, key=lambda s: (s != rules.SEQUENCE_SHARED, s)):
        sheet = book.create_sheet(_sheet_title(sequence))
        _register_sheet(sheet, agency, year, sequence, [x for x in lines if x.sequence == sequence])
    book.properties.creator = "vanthu"
    atomic_write(path, workbook_bytes(book))
    return len(lines)


def _cover(sheet, agency: Agency, year: int, lines: list[Entry]) -> None:
    dates = sorted(x.ngay for x in lines if x.ngay)
    numbers = sorted(x.so for x in lines)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 60
    sheet["A1"] = rules.REGISTER_TITLE
    sheet["A1"].font = Font(name=FONT, size=16, bold=True)
    sheet.merge_cells("A1:B1")
    sheet["A1"].alignment = Alignment(horizontal="center")
    values = [(rules.COVER_PARENT, (agency.chu_quan or "").upper()), (rules.COVER_AGENCY, agency.ten.upper()),
              (rules.COVER_YEAR, year),
              (rules.COVER_FROM_DATE, dates[0].strftime("%d/%m/%Y") if dates else ""),
              (rules.COVER_TO_DATE, dates[-1].strftime("%d/%m/%Y") if dates else ""),
              (rules.COVER_FROM_NUMBER, f"{numbers[0]:02d}"), (rules.COVER_TO_NUMBER, f"{numbers[-1]:02d}"),
              (rules.COVER_VOLUME, "01"), ("Viết tắt", agency.viet_tat)]
    for row, (label, value) in enumerate(values, start=3):
        sheet.cell(row, 1, label + ":").font = Font(name=FONT, size=13, bold=True)
        sheet.cell(row, 2, value).font = Font(name=FONT, size=13)
    _print_setup(sheet)


def _register_sheet(sheet, agency: Agency, year: int, sequence: str, lines: list[Entry]) -> None:
    columns = rules.REGISTER_COLUMNS
    sheet["A1"] = f"{rules.REGISTER_TITLE} — {rules.SEQUENCE_LABELS.get(sequence, sequence)} — " \
                  f"{agency.ten.upper()} — {rules.COVER_YEAR} {year}"
    sheet["A1"].font = Font(name=FONT, size=13, bold=True)
    sheet.cell(2, 1, f"sequence={sequence}").font = Font(name=FONT, size=9, color="808080")
    for col, (heading, width) in enumerate(columns, start=1):
        cell = sheet.cell(3, col, heading)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BOX
        sheet.cell(4, col, f"({col})").alignment = Alignment(horizontal="center")
        sheet.cell(4, col).border = _BOX
        sheet.cell(4, col).font = Font(name=FONT, size=11)
        sheet.column_dimensions[get_column_letter(col)].width = width
    for row, x in enumerate(lines, start=5):
        note = f"{rules.VOID_NOTE}: {x.note}" if x.status == "void" else x.note
        values = [x.so_ky_hieu, x.ngay.strftime("%d/%m/%Y") if x.ngay else "",
                  f"{x.ten_loai} {x.trich_yeu}".strip() if x.ten_loai != DOC_TYPES["cong_van"].name
                  else f"{x.ten_loai} V/v {x.trich_yeu}".strip(),
                  x.nguoi_ky, x.noi_nhan, x.luu, x.so_ban, "", "", note]
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row, col, value)
            cell.font = Font(name=FONT, size=11, strike=x.status == "void" and col <= 3)
            cell.alignment = Alignment(vertical="top", wrap_text=True, horizontal="center" if col in (2, 7) else None)
            cell.border = _BOX
    sheet.print_title_rows = "3:4"
    sheet.freeze_panes = "A5"
    _print_setup(sheet)


def _print_setup(sheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.6
    sheet.page_margins.top = sheet.page_margins.bottom = 0.7


# ---- import ---------------------------------------------------------------------------------

def _fold(text: object) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text or "")).casefold().replace(":", " ").split())


_HEADINGS = {_fold(h): i for i, (h, _w) in enumerate(rules.REGISTER_COLUMNS)}


@dataclass
class ImportReport:
    imported: int = 0
    refused: list[str] = field(default_factory=list)  # 'Sheet!row: why'
    sheets: list[str] = field(default_factory=list)


def import_workbook(register: Register, path: Path, *, agency_name: str | None = None,
                    viet_tat: str | None = None, chu_quan: str | None = None) -> ImportReport:
    """Read a Phụ lục IV register so that numbering continues from it."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ConfigurationError(_("cannot read {path} as a workbook: {detail}").format(
            path=path, detail=exc)) from None
    try:
        cover = _read_cover(book)
        ten = agency_name or cover.get(_fold(rules.COVER_AGENCY))
        if not ten:
            raise ConfigurationError(_("{path} does not name its agency (no '{label}:' on a cover sheet): give it "
                                       "with --agency-name").format(path=path, label=rules.COVER_AGENCY))
        parent = chu_quan if chu_quan is not None else (cover.get(_fold(rules.COVER_PARENT)) or None)
        abbreviation = viet_tat or cover.get(_fold("Viết tắt")) or ""
        rows, report = _read_rows(book)
        for row in rows:  # where a row came from, as the register's messages will name it
            row.where = f"{path.name} {row.where}"
    finally:
        book.close()
    key = agency_key(str(ten), str(parent) if parent else None)
    if not abbreviation:
        abbreviation = _abbreviation_from(rows) or "?"
    register.write(lambda conn: _store(conn, key, str(ten), parent, str(abbreviation), rows, report))
    return report


@dataclass
class _Row:
    where: str
    sequence: str
    so: int
    ky_hieu: str
    text: str
    ngay: dt.date | None
    title: str
    nguoi_ky: str
    noi_nhan: str
    luu: str
    so_ban: int | None
    note: str
    void: bool


def _read_cover(book) -> dict[str, str]:
    found: dict[str, str] = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows(max_row=20, max_col=4, values_only=True):
            if row and row[0] is not None and len(row) > 1 and row[1] not in (None, ""):
                found.setdefault(_fold(row[0]), str(row[1]).strip())
        if _fold(rules.COVER_AGENCY) in found:
            break
    return found


def _read_rows(book) -> tuple[list[_Row], ImportReport]:
    report = ImportReport()
    rows: list[_Row] = []
    for sheet in book.worksheets:
        header_at, columns, sequence = None, {}, rules.SEQUENCE_SHARED
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if header_at is None:
                first = str(values[0] or "") if values else ""
                if first.startswith("sequence="):
                    sequence = first.split("=", 1)[1].strip() or sequence
                folded = [_fold(v) for v in values]
                if _fold(rules.REGISTER_COLUMNS[0][0]) in folded:
                    header_at = number
                    columns = {_HEADINGS[f]: i for i, f in enumerate(folded) if f in _HEADINGS}
                    report.sheets.append(sheet.title)
                continue
            cells = {k: values[i] if i < len(values) else None for k, i in columns.items()}
            text = str(cells.get(0) or "").strip()
            if not text or re.fullmatch(r"\(\d+\)", text):
                continue  # a blank line, or the row of column numbers under the headings
            where = f"{sheet.title}!A{number}"
            parsed = parse_so_ky_hieu(_strip_year(text))
            if parsed is None:
                report.refused.append(f"{where}: " + _("'{value}' is not a số/ký hiệu such as 05/TB-SCT").format(
                    value=text))
                continue
            ngay = _date(cells.get(1))
            if ngay is False:
                report.refused.append(f"{where}: " + _("'{value}' is not a date (dd/mm/yyyy)").format(
                    value=cells.get(1)))
                continue
            note = str(cells.get(9) or "").strip()
            void = note.casefold().startswith(rules.VOID_NOTE.casefold())
            if void:
                note = note[len(rules.VOID_NOTE):].lstrip(" :")
            so_ban = cells.get(6)
            rows.append(_Row(where, sequence, parsed[0], parsed[1], text, ngay or None, str(cells.get(2) or "").strip(),
                             str(cells.get(3) or "").strip(), str(cells.get(4) or "").strip(),
                             str(cells.get(5) or "").strip(),
                             int(so_ban) if isinstance(so_ban, int | float) else None, note, void))
    if not report.sheets:
        raise ConfigurationError(_("no sheet has the register's headings (the first is '{heading}')").format(
            heading=rules.REGISTER_COLUMNS[0][0]))
    return rows, report


def _strip_year(text: str) -> str:
    parts = text.split("/")
    return f"{parts[0]}/{parts[2]}" if len(parts) == 3 and parts[1].isdigit() and len(parts[1]) == 4 else text


def _date(value) -> dt.date | bool | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.datetime.strptime(str(value).strip(), "%d/%m/%Y").date()
    except ValueError:
        return False


def _abbreviation_from(rows: list[_Row]) -> str:
    for row in rows:
        return row.ky_hieu.split("-")[-1]
    return ""


def _type_of(title: str) -> tuple[str, str]:
    folded = _fold(title)
    for doc_type in sorted(DOC_TYPES.values(), key=lambda t: -len(t.name)):
        if folded.startswith(_fold(doc_type.name)):
            return doc_type.key, doc_type.name
    return DOC_TYPES["cong_van"].key, DOC_TYPES["cong_van"].name


def _store(conn: Connection, key: str, ten: str, parent: str | None, abbreviation: str, rows: list[_Row],
           report: ImportReport) -> None:
    now = dt.datetime.now(VIETNAM)
    ensure_agency(conn, key, ten, parent, abbreviation)
    e = schema.entries.c
    highest: dict[tuple[int, str], int] = {}
    for row in rows:
        year = (row.ngay or now.date()).year
        clash = conn.execute(select(e.so_ky_hieu, e.source).where(
            e.agency == key, e.year == year, e.so == row.so,
            (e.ky_hieu == row.ky_hieu) | (e.sequence == row.sequence))).first()
        if clash is not None:
            report.refused.append(f"{row.where}: " + _(
                "{number} ({year}) is in the register already ({holder})").format(
                number=row.text, year=year, holder=clash.source or clash.so_ky_hieu))
            continue
        loai, ten_loai = _type_of(row.title)
        trich_yeu = row.title[len(ten_loai):].strip() if _fold(row.title).startswith(_fold(ten_loai)) else row.title
        if trich_yeu.startswith("V/v "):
            trich_yeu = trich_yeu[4:]
        conn.execute(schema.entries.insert().values(
            agency=key, year=year, sequence=row.sequence, so=row.so, ky_hieu=row.ky_hieu, so_ky_hieu=row.text,
            ngay=row.ngay, loai=loai, ten_loai=ten_loai, trich_yeu=trich_yeu, nguoi_ky=row.nguoi_ky,
            noi_nhan=row.noi_nhan, luu=row.luu, so_ban=row.so_ban, record_key=None, source=row.where, auto=False,
            status="void" if row.void else "imported", note=row.note, created=now, updated=now))
        report.imported += 1
        highest[(year, row.sequence)] = max(highest.get((year, row.sequence), 0), row.so)
    for (year, sequence), top in sorted(highest.items()):
        last = lock_counter(conn, key, year, sequence)
        if top > last:  # numbering continues after the register read
            c = schema.counters.c
            conn.execute(update(schema.counters).where(c.agency == key, c.year == year, c.sequence == sequence)
                         .values(last=top))
