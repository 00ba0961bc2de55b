"""The blank workbook of `vanthu excel-template`: headers, notes and drop-down lists."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from ..ooxml.package import atomic_write
from . import excel_layout as xl

ROWS_WITH_DROPDOWNS = 2000
_HEADER_FONT = Font(name="Times New Roman", bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _sheet(workbook: Workbook, title: str, columns: list[xl.Column], ranges: dict[str, str]) -> None:
    sheet = workbook.create_sheet(title)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if column.note:
            cell.comment = Comment(column.note, "vanthu")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.kind in ("date", "datetime"):
            # Text cells: Excel would otherwise read a typed '02/03/2021' by the computer's
            # regional settings, month first on many; vanthu reads text as dd/mm/yyyy.
            sheet.column_dimensions[letter].number_format = "@"
        cells = f"{letter}2:{letter}{ROWS_WITH_DROPDOWNS + 1}"
        if column.choices:
            # a column of several lines (two authority levels) takes values off the list: warn, not stop
            rule = DataValidation(type="list", formula1=ranges[column.choices], allow_blank=True,
                                  showErrorMessage=True, errorTitle="vanthu",
                                  errorStyle="warning" if column.kind == "lines" else "stop",
                                  error=f"Chọn một giá trị trong danh sách ({column.header})")
            rule.add(cells)
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "B2"


def blank_workbook(profile_keys: tuple[list[str], list[str]] = ([], [])) -> bytes:
    """profile_keys: the agency and signer keys of a profile, for the two key columns' lists."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    choices = workbook.create_sheet(xl.SHEET_CHOICES)
    ranges = {}
    lists = {**xl.CHOICES, "co_quan_ho_so": profile_keys[0] or [""], "nguoi_ky_ho_so": profile_keys[1] or [""]}
    for col, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(col)
        choices.cell(row=1, column=col, value=name)
        for row, value in enumerate(values, start=2):
            choices.cell(row=row, column=col, value=value)
        ranges[name] = f"{quote_sheetname(xl.SHEET_CHOICES)}!${letter}$2:${letter}${len(values) + 1}"
    choices.sheet_state = "hidden"
    _sheet(workbook, xl.SHEET_DOCUMENTS, xl.DOCUMENT_COLUMNS, ranges)
    _sheet(workbook, xl.SHEET_BODY, xl.BODY_COLUMNS, ranges)
    _sheet(workbook, xl.SHEET_LISTS, xl.LIST_COLUMNS, ranges)
    _sheet(workbook, xl.SHEET_APPENDIX, xl.APPENDIX_COLUMNS, ranges)
    _sheet(workbook, xl.SHEET_RECIPIENTS, xl.RECIPIENT_COLUMNS, ranges)
    workbook.move_sheet(xl.SHEET_CHOICES, offset=len(workbook.sheetnames))
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_blank_workbook(path: Path, profile_keys: tuple[list[str], list[str]] = ([], [])) -> None:
    atomic_write(path, blank_workbook(profile_keys))
