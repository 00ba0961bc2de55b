"""Mail merge: one base record and a list of recipients → one record per recipient.

The recipients come from a workbook's NguoiNhan sheet or a CSV file with the same headers
("Kính gửi", "Địa chỉ", "Danh xưng", and any columns of your own). Each recipient's row is
available to templates as du_lieu.nguoi_nhan; "Kính gửi" replaces the record's kinh_gui.
"""

from __future__ import annotations

import copy
import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Origin, Problem, VanthuError
from ..i18n import _
from ..text import fold
from . import excel_layout as xl
from .source import RawRecord

RECIPIENT_KEY = "Kính gửi"
# Template-friendly names for the documented columns; other columns keep their header.
_FIELD_NAMES = {"Kính gửi": "kinh_gui", "Địa chỉ": "dia_chi", "Danh xưng": "danh_xung"}


@dataclass(frozen=True)
class Recipient:
    fields: dict[str, Any]
    origin: Origin
    row: int
    key: str = ""  # who it is, for reruns: rows inserted or deleted above do not change it


class MergeError(VanthuError):
    """A recipients list (--merge) that cannot be read."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message, origin=problem.origin, field=problem.field)
        self.problem = problem


def _clean(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value).strip()
    return value


def _csv_text(path: Path) -> str:
    """A CSV as Excel writes it: 'CSV UTF-8' (with a BOM), or plain 'CSV' in the Windows
    Vietnamese code page (cp1258, whose tone marks are combining: NFC makes them one letter)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))


def _csv_dialect(text: str) -> type[csv.Dialect]:
    """Comma, or the semicolon Excel writes where the decimal mark is a comma (Vietnamese settings)."""
    try:
        return csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _rows(path: Path) -> list[tuple[dict[str, Any], Origin, int]]:
    file = str(path)
    if path.suffix.lower() == ".csv":
        text = _csv_text(path)
        reader = csv.DictReader(io.StringIO(text, newline=""), dialect=_csv_dialect(text))
        return [({(k or "").strip(): _clean(v) for k, v in row.items()}, Origin(file, reader.line_num, 1),
                 reader.line_num) for row in reader]
    try:
        from openpyxl import load_workbook  # loaded only for a workbook of recipients

        workbook = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file it cannot read
        raise MergeError(Problem(Origin(file), "", _("cannot read the workbook: {detail}").format(
            detail=exc))) from None
    if xl.SHEET_RECIPIENTS not in workbook.sheetnames:
        raise MergeError(Problem(Origin(file), "", _("the workbook has no sheet '{sheet}'; make one with "
                                                     "`vanthu excel-template`").format(sheet=xl.SHEET_RECIPIENTS)))
    sheet = workbook[xl.SHEET_RECIPIENTS]
    headers = [str(c.value).strip() if c.value is not None else "" for c in sheet[1]]
    out = []
    for row in sheet.iter_rows(min_row=2):
        values = {headers[i]: _clean(c.value) for i, c in enumerate(row) if i < len(headers) and headers[i]}
        if any(v not in (None, "") for v in values.values()):
            out.append((values, Origin(file, cell=f"{sheet.title}!A{row[0].row}"),
                        row[0].row))
    return out


def read_recipients(path: Path) -> list[Recipient]:
    if not path.exists():
        raise MergeError(Problem(Origin(str(path)), "", _("no such file or folder: {path}").format(path=path)))
    if not path.is_file() or path.suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        raise MergeError(Problem(Origin(str(path)), "", _(
            "recipients come from a workbook (.xlsx, sheet {sheet}) or a .csv file").format(
            sheet=xl.SHEET_RECIPIENTS)))
    rows = _rows(path)
    if not rows:
        raise MergeError(Problem(Origin(str(path)), "", _("the recipient list is empty")))
    if RECIPIENT_KEY not in rows[0][0]:
        raise MergeError(Problem(Origin(str(path)), "", _("the recipient list needs a column '{column}'").format(
            column=RECIPIENT_KEY)))
    recipients = []
    seen: dict[str, int] = {}
    for values, origin, row in rows:
        fields = {_FIELD_NAMES.get(k, k): ("" if v is None else v) for k, v in values.items()}
        name = fold(str(fields.get("kinh_gui", "")))
        seen[name] = seen.get(name, 0) + 1
        key = name if seen[name] == 1 else f"{name}~{seen[name]}"  # the same name twice: in order
        recipients.append(Recipient(fields, origin, row, key))
    return recipients


def merged(base: RawRecord, recipient: Recipient) -> RawRecord:
    """The base record addressed to one recipient."""
    data = copy.deepcopy(base.data) if isinstance(base.data, dict) else base.data
    overrides: dict[tuple, Origin] = {}
    problems = list(base.problems)
    if isinstance(data, dict):
        name = str(recipient.fields.get("kinh_gui", ""))
        if not name:  # a row of an address alone: the document would go to nobody in particular
            problems.append(Problem(recipient.origin, "kinh_gui", _("this recipient has no '{column}'").format(
                column=RECIPIENT_KEY)))
        if name:
            data["kinh_gui"] = [name]
            overrides = {("kinh_gui",): recipient.origin, ("kinh_gui", 0): recipient.origin}
        data.setdefault("du_lieu", {})
        if isinstance(data["du_lieu"], dict):
            data["du_lieu"]["nguoi_nhan"] = dict(recipient.fields)
    return RawRecord(data, None, f"{base.label}@{recipient.row}", base.index, problems,
                     locate=lambda: {**base.origins, **overrides})
