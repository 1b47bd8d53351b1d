"""Excel (.xlsx) output with openpyxl's streaming writer: constant memory for long lists."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_table(
    title: str, columns: list[tuple[str, Callable[[Any], Any]]], rows: Iterable[Any]
) -> bytes:
    """One sheet: a bold header row, then one row per item, each cell from its column's getter."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])  # Excel's limit on sheet names
    header = []
    for name, _ in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([getter(row) for _, getter in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
