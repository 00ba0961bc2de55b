"""Read records from a workbook laid out as docs/excel.md describes.

Every value keeps its sheet and cell. Dates are Excel dates or dd/mm/yyyy text (never read
month-first); merged cells give their value to every cell they cover; formulas give their
computed values; blank rows are skipped; stray spaces are trimmed; numbers stored as text
are numbers.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import Origin, Problem
from ..i18n import _
from ..text import fold
from . import excel_layout as xl
from .hygiene import decode_excel_escapes
from .source import RawRecord


class _Sheet:
    """A worksheet's rows as {header: (value, Origin)} with merged cells filled in."""

    def __init__(self, file: str, values: Worksheet, formulas: Worksheet | None, columns: list[xl.Column],
                 problems: list[Problem]):
        self.file, self.name = file, values.title
        self.columns = {c.header: c for c in columns}
        merged: dict[tuple[int, int], Any] = {}
        for rng in values.merged_cells.ranges:
            top_left = values.cell(rng.min_row, rng.min_col).value
            for row in range(rng.min_row, rng.max_row + 1):
                for col in range(rng.min_col, rng.max_col + 1):
                    merged[(row, col)] = top_left
        wanted = {fold(c.header): c.header for c in columns}
        self.header_at: dict[int, str] = {}
        for cell in next(values.iter_rows(min_row=1, max_row=1), ()):
            if cell.value is None or str(cell.value).strip() == "":
                continue
            header = wanted.get(fold(str(cell.value)))
            text = " ".join(str(cell.value).split())
            if header:
                self.header_at[cell.column] = header
            elif self.name == xl.SHEET_DOCUMENTS and text.lower().startswith(xl.DU_LIEU_PREFIX) \
                    and len(text) > len(xl.DU_LIEU_PREFIX):
                name = text[len(xl.DU_LIEU_PREFIX):]
                self.columns[text] = xl.Column(text, ("du_lieu", name))
                self.header_at[cell.column] = text
            else:
                problems.append(Problem(Origin(file, cell=f"{self.name}!{cell.coordinate}"), "", _(
                    "unknown column '{header}' is ignored; the columns of this sheet are: {known}").format(
                    header=cell.value, known=", ".join(self.columns)), "warning"))
        self.rows: list[dict[str, tuple[Any, Origin]]] = []
        # a row's own errors (a formula without a value, an error value): they fail its record
        self.row_problems: list[list[Problem]] = []
        for row in values.iter_rows(min_row=2):
            entry: dict[str, tuple[Any, Origin]] = {}
            found: list[Problem] = []
            own_value = False  # a row that only merged cells reach into is a blank row
            for cell in row:
                header = self.header_at.get(cell.column)
                if header is None:
                    continue
                own_value = own_value or (cell.value is not None and str(cell.value).strip() != "")
                value = merged.get((cell.row, cell.column), cell.value)
                origin = Origin(file, cell=f"{self.name}!{get_column_letter(cell.column)}{cell.row}", header=header)
                if value is None and formulas is not None:
                    formula = formulas.cell(cell.row, cell.column).value
                    if isinstance(formula, str) and formula.startswith("="):
                        found.append(Problem(origin, "", _(
                            "the formula {formula} has no computed value: open the workbook in Excel or "
                            "LibreOffice and save it once").format(formula=formula)))
                if cell.data_type == "e" or (isinstance(value, str) and value.strip() in _ERROR_VALUES):
                    found.append(Problem(origin, "", _(
                        "the cell holds the error {error}: correct the formula or the value it refers to").format(
                        error=str(value).strip())))
                    value = None
                if isinstance(value, str):
                    value = unicodedata.normalize("NFC", decode_excel_escapes(value)).strip()
                    if value == "":
                        value = None
                entry[header] = (value, origin)
            if own_value:
                self.rows.append(entry)
                self.row_problems.append(found)
            else:
                problems.extend(found)


# What Excel shows in a cell whose formula failed.
_ERROR_VALUES = {"#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!",
                 "#GETTING_DATA"}

_FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[ >/]")  # <f>, <f t="shared" …/>, <x:f> (not <formula1>)


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet holds a formula: most record workbooks hold none."""
    with zipfile.ZipFile(path) as archive:
        return any(_FORMULA_ELEMENT.search(archive.read(name)) for name in archive.namelist()
                   if name.startswith("xl/worksheets/") and name.endswith(".xml"))


def _convert(value: Any, kind: str) -> Any:
    """A cell value as the record model expects it."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if kind == "datetime":
            return value.strftime("%d/%m/%Y %H:%M")
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if kind == "list":
        return [part.strip() for part in str(value).split(",") if part.strip()]
    if kind == "lines":  # one item, or one per line (Alt+Enter) or per ';': names may hold commas
        parts = [part.strip() for part in re.split(r"[;\n]", str(value)) if part.strip()]
        return parts[0] if len(parts) == 1 else parts
    if kind in ("text",) and not isinstance(value, str):
        return str(value)
    return value


def _put(data: dict, path: tuple, value: Any) -> None:
    current: Any = data
    for i, part in enumerate(path[:-1]):
        nxt = path[i + 1]
        if isinstance(current, dict):
            current = current.setdefault(part, [] if isinstance(nxt, int) else {})
        else:  # list
            while len(current) <= part:
                current.append([] if isinstance(nxt, int) else {})
            current = current[part]
    last = path[-1]
    if isinstance(current, list):
        while len(current) <= last:
            current.append(None)
    current[last] = value


_MINUTES_FROM_EVENT = ("bat_dau", "ket_thuc", "dia_diem", "chu_tri", "thanh_phan")


def _minutes_from_event(data: dict, origins: dict[tuple, Origin]) -> None:
    """A Biên bản's row gives its meeting in the event's columns (Bắt đầu, Kết thúc, Địa điểm,
    Chủ trì, Thành phần): they are its bien_ban, as YAML writes them."""
    from ..nd30.doc_types import find_doc_type

    doc_type = find_doc_type(str(data.get("loai", "")))
    if doc_type is None or doc_type.key != "bien_ban" or not isinstance(data.get("su_kien"), dict):
        return
    event = data.pop("su_kien")
    minutes = data.setdefault("bien_ban", {})
    for name in _MINUTES_FROM_EVENT:
        if name in event:
            minutes[name] = event[name]
        if ("su_kien", name) in origins:
            origins[("bien_ban", name)] = origins.pop(("su_kien", name))


def read_workbook(path: Path) -> tuple[list[RawRecord], list[Problem]]:
    """The records of a workbook, and the problems that belong to no single record."""
    file = str(path)
    try:
        values = load_workbook(path, data_only=True)
        # the formulas themselves are only needed to name one that has no computed value
        formulas = load_workbook(path, data_only=False) if _has_formulas(path) else None
    except Exception as exc:  # openpyxl raises many types for a file it cannot read
        return [], [Problem(Origin(file), "", _("cannot read the workbook: {detail}").format(detail=exc))]
    problems: list[Problem] = []
    if xl.SHEET_DOCUMENTS not in values.sheetnames:
        return [], [Problem(Origin(file), "", _("the workbook has no sheet '{sheet}'; make one with "
                                                "`vanthu excel-template`").format(sheet=xl.SHEET_DOCUMENTS))]

    def sheet(name: str, columns: list[xl.Column]) -> _Sheet | None:
        if name not in values.sheetnames:
            return None
        return _Sheet(file, values[name], formulas[name] if formulas else None, columns, problems)

    docs = sheet(xl.SHEET_DOCUMENTS, xl.DOCUMENT_COLUMNS)
    assert docs is not None
    records: dict[str, RawRecord] = {}
    for i, row in enumerate(docs.rows):
        key_value, key_origin = row.get(xl.KEY, (None, Origin(file, cell=f"{docs.name}!A{i + 2}")))
        key = str(_convert(key_value, "text") or "")
        if not key:
            problems.append(Problem(key_origin, "", _("a document row needs its '{column}'").format(column=xl.KEY)))
            problems.extend(docs.row_problems[i])
            continue
        if key in records:
            problems.append(Problem(key_origin, "", _("'{key}' is used by two document rows").format(key=key)))
            problems.extend(docs.row_problems[i])
            continue
        data: dict[str, Any] = {}
        origins: dict[tuple, Origin] = {(): key_origin}
        for header, (value, origin) in row.items():
            column = docs.columns[header]
            if not column.path:
                continue
            origins[column.path] = origin
            converted = _convert(value, column.kind)
            if converted is not None:
                _put(data, column.path, converted)
        records[key] = RawRecord(data, origins, f"{file}:{key}", problems=list(docs.row_problems[i]), in_list=False)

    def owner(row: dict, sheet_name: str, found: list[Problem] | None = None) -> RawRecord | None:
        """The document a row of another sheet belongs to; the row's own errors go with it."""
        value, origin = row.get(xl.KEY, (None, Origin(file, cell=sheet_name)))
        key = str(_convert(value, "text") or "")
        if key not in records:
            problems.append(Problem(origin, "", _("'{key}' is not a document of sheet {sheet}").format(
                key=key, sheet=xl.SHEET_DOCUMENTS)))
            problems.extend(found or [])
            return None
        records[key].problems.extend(found or [])
        return records[key]

    body = sheet(xl.SHEET_BODY, xl.BODY_COLUMNS)
    for row, found in zip(body.rows, body.row_problems, strict=True) if body else []:
        record = owner(row, xl.SHEET_BODY, found)
        text, origin = row.get("Nội dung", (None, None))
        if record is None or text is None:
            continue
        record.origins.setdefault(("noi_dung",), origin)
        record.data["noi_dung"] = (record.data.get("noi_dung", "") + "\n" + str(_convert(text, "text"))).strip("\n")

    lists = sheet(xl.SHEET_LISTS, xl.LIST_COLUMNS)
    for row, found in zip(lists.rows, lists.row_problems, strict=True) if lists else []:
        record = owner(row, xl.SHEET_LISTS, found)
        kind, kind_origin = row.get("Loại danh sách", (None, None))
        text, origin = row.get("Nội dung", (None, None))
        if record is None or text is None:
            continue
        target = xl.LIST_KINDS.get(str(kind or "").strip())
        if target is None:
            problems.append(Problem(kind_origin or origin, "", _(
                "'{value}' is not allowed here; expected one of: {allowed}").format(
                value=kind, allowed=", ".join(xl.LIST_KINDS))))
            continue
        holder: Any = record.data
        for part in target[:-1]:
            holder = holder.setdefault(part, {})
        items = holder.setdefault(target[-1], [])
        record.origins[(*target, len(items))] = origin
        record.origins.setdefault(target, origin)
        items.append(_convert(text, "text"))

    appendix = sheet(xl.SHEET_APPENDIX, xl.APPENDIX_COLUMNS)
    tables: dict[tuple[str, int], dict] = {}
    for row, found in zip(appendix.rows, appendix.row_problems, strict=True) if appendix else []:
        record = owner(row, xl.SHEET_APPENDIX, found)
        if record is None:
            continue
        number_value, number_origin = row.get("Phụ lục số", (1, None))
        number = number_value if isinstance(number_value, int) else int(float(number_value or 1)) \
            if str(number_value or "1").replace(".", "", 1).isdigit() else 1
        entry = tables.setdefault((record.file, number), {"record": record, "data": {"bang": {"cot": [], "dong": []}},
                                                         "origin": number_origin})
        data = entry["data"]
        for header, field in (("Tiêu đề phụ lục", "tieu_de"), ("Nhóm theo cột", "nhom_theo")):
            value, _o = row.get(header, (None, None))
            if value is not None and field == "tieu_de":
                data["tieu_de"] = _convert(value, "text")
            elif value is not None:
                data["bang"]["nhom_theo"] = _convert(value, "text")
        landscape, _o = row.get("Khổ ngang", (None, None))
        if landscape is not None:
            data["ngang"] = str(landscape).strip().lower() in xl.YES
        cells = [_convert(row.get(f"Cột {i}", (None, None))[0], "text")
                 for i in range(1, xl.APPENDIX_DATA_COLUMNS + 1)]
        is_header, _o = row.get("Dòng tiêu đề", (None, None))
        if is_header is not None and fold(str(is_header)).strip() in xl.WIDTH_ROW:
            # the relative widths of the columns, as in YAML's bang.do_rong
            data["bang"]["do_rong"] = [c for c in cells if c not in (None, "")]
        elif is_header is not None and str(is_header).strip().lower() in xl.YES:
            data["bang"]["cot"] = [c for c in cells if c is not None]
        elif any(c is not None for c in cells):
            data["bang"]["dong"].append(cells)
    for entry in tables.values():
        bang = entry["data"]["bang"]
        width = len(bang["cot"])
        bang["dong"] = [[c or "" for c in row[:width]] + [""] * max(0, width - len(row)) for row in bang["dong"]]
        if not bang["cot"]:
            del entry["data"]["bang"]
        record = entry["record"]
        items = record.data.setdefault("phu_luc", [])
        record.origins[("phu_luc", len(items))] = entry["origin"] or record.origins[()]
        items.append(entry["data"])
    for raw in records.values():  # every sheet read: a Biên bản's meeting is its own, not an event
        _minutes_from_event(raw.data, raw.origins)
    return list(records.values()), problems
