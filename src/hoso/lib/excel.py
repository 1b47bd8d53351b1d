"""Excel (.xlsx) output: the one writer of every workbook hoso produces (list exports, registers,
books, the import template), with openpyxl's streaming writer: constant memory for long lists.

Each value becomes a typed cell: numbers are numbers, dates are dates (shown dd/mm/yyyy), None
is an empty cell, and text is always text — never a formula, whatever it starts with.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What makes a spreadsheet read text as a formula (OWASP, "CSV injection"): a first character
# = + - @, also after leading blanks (LibreOffice and Excel trim them when a cell is re-entered
# or a sheet is saved as CSV and opened again), their full-width forms (taken as formula leads
# by East Asian input modes), and a leading tab or carriage return.
FORMULA_LEADS = frozenset("=+-@＝＋－＠")
CONTROL_LEADS = ("\t", "\r")
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
PASSED_AS_IS = (bool, int, float, Decimal, dt.time, dt.timedelta)  # openpyxl types them


def looks_like_formula(text: str) -> bool:
    stripped = text.lstrip()
    return text.startswith(CONTROL_LEADS) or (stripped[:1] in FORMULA_LEADS)


def cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """What to append for one value: the value itself when openpyxl types it right, else a cell.

    openpyxl stores a string starting with "=" as a formula and "#N/A" as an error value.
    Such text, and any text with a formula lead, is written as an explicit string cell
    (data type "s": Excel and LibreOffice show it and never evaluate it) with the quotePrefix
    style — what Excel itself records when someone types '=1+1 — so the cell stays text even
    when a user edits it, while the visible text is exactly the recorded text. Prefixing an
    apostrophe instead would change the text: the apostrophe would show, and be re-imported.
    """
    if value is None or isinstance(value, PASSED_AS_IS):
        return value
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):  # Excel has no time zones: the office's local time
            value = timezone.localtime(value).replace(tzinfo=None)
        return _formatted(sheet, value, DATETIME_FORMAT)
    if isinstance(value, dt.date):
        return _formatted(sheet, value, DATE_FORMAT)
    # Characters XML cannot carry (control codes pasted into a text field) would make openpyxl
    # refuse the whole export; they are invisible, so dropping them keeps the text as shown.
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if looks_like_formula(text) or text in ERROR_CODES:
        return _forced_text(sheet, text)
    return text


def _formatted(sheet: WriteOnlyWorksheet, value: dt.date, number_format: str) -> Cell:
    typed = WriteOnlyCell(sheet, value=value)
    typed.number_format = number_format
    return typed


def _forced_text(sheet: WriteOnlyWorksheet, text: str) -> Cell:
    text_cell = WriteOnlyCell(sheet, value=text)
    text_cell.data_type = "s"  # after the value: openpyxl has just guessed "f" or "e"
    text_cell.quotePrefix = True
    return text_cell


def write_table(
    title: str, columns: Sequence[tuple[str, Callable[[Any], Any]]], rows: Iterable[Any]
) -> bytes:
    """One sheet: a bold header row, then one row per item, each cell from its column's getter."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])  # Excel's limit on sheet names
    sheet.append(_header(sheet, [name for name, _ in columns], Font(bold=True)))
    for row in rows:
        sheet.append([cell(sheet, getter(row)) for _, getter in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _header(sheet: WriteOnlyWorksheet, names: Sequence[str], bold: Font) -> list[Any]:
    header = []
    for name in names:
        heading = cell(sheet, name)
        if not isinstance(heading, Cell):
            heading = WriteOnlyCell(sheet, value=heading)
        heading.font = bold
        header.append(heading)
    return header


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: a few lines naming what it is (period, scope), then a bold
    header row frozen in place, then the rows."""

    title: str
    preamble: Sequence[Sequence[Any]]
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]


def write_sheets(sheets: Iterable[Sheet]) -> bytes:
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for number, spec in enumerate(sheets, start=1):
        # Excel's limit is 31 characters and names must be unique in the book.
        sheet = book.create_sheet(f"{number}. {spec.title}"[:31])
        sheet.freeze_panes = f"A{len(spec.preamble) + 2}"
        for line in spec.preamble:
            sheet.append([cell(sheet, value) for value in line])
        sheet.append(_header(sheet, spec.headers, bold))
        for row in spec.rows:
            sheet.append([cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
