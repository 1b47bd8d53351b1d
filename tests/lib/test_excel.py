"""The one .xlsx writer: text is never a formula, numbers and dates stay typed."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from hoso.lib import excel

# Every lead that a spreadsheet may take as the start of a formula (OWASP CSV injection),
# plus the same after leading blanks, the full-width forms, and strings openpyxl would
# otherwise store as an error value.
DANGEROUS = [
    "=cmd|' /C calc'!A0",
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    '\u00a0=HYPERLINK("http://x")',
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
    "=",
    "-",
    "#N/A",
    "#REF!",
]


def write_and_read(values: list[Any]) -> list[Any]:
    content = excel.write_table("t", [("v", lambda v: v)], values)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [row[0] for row in sheet.iter_rows(min_row=2)]


@pytest.mark.parametrize("text", DANGEROUS)
def test_dangerous_text_is_written_as_text(text: str) -> None:
    (cell,) = write_and_read([text])
    assert cell.data_type == "s"
    assert cell.value == text  # faithful: no apostrophe added to the visible text
    assert cell.quotePrefix  # and Excel keeps it text if the cell is edited


def test_no_formula_anywhere_in_the_file() -> None:
    content = excel.write_table("t", [("a", lambda v: v), ("b", lambda v: v)], DANGEROUS)
    xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml and b"<f " not in xml


def test_plain_text_numbers_dates_and_empty_cells_keep_their_types() -> None:
    cells = write_and_read(
        [
            "Nguyễn Văn An",
            "001080012345",
            42,
            2.5,
            Decimal("3.25"),
            -7,
            dt.date(2026, 5, 4),
            dt.datetime(2026, 5, 4, 8, 30),
            dt.datetime(2026, 5, 4, 1, 30, tzinfo=dt.UTC),
            None,
            True,
        ]
    )
    text, digits, whole, real, decimal, negative, day, moment, aware, empty, yes = cells
    assert (text.data_type, text.value, text.quotePrefix) == ("s", "Nguyễn Văn An", False)
    assert (digits.data_type, digits.value) == ("s", "001080012345")
    assert [c.data_type for c in (whole, real, decimal, negative)] == ["n"] * 4
    assert [c.value for c in (whole, real, decimal, negative)] == [42, 2.5, 3.25, -7]
    assert day.is_date and day.value == dt.datetime(2026, 5, 4)
    assert day.number_format == "dd/mm/yyyy"
    assert moment.is_date and moment.value == dt.datetime(2026, 5, 4, 8, 30)
    # Excel has no time zones: an aware time is written as the office's local time.
    local = timezone.localtime(dt.datetime(2026, 5, 4, 1, 30, tzinfo=dt.UTC))
    assert aware.value == local.replace(tzinfo=None)
    assert (yes.data_type, yes.value) == ("b", True)
    assert empty.value is None


def test_lazy_text_and_control_characters() -> None:
    lazy, pasted = write_and_read([gettext_lazy("Required."), "Trích\x07 yếu\x00"])
    assert lazy.data_type == "s" and lazy.value
    # XML cannot carry control codes: they are dropped rather than failing the whole export.
    assert pasted.value == "Trích yếu"
