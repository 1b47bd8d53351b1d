"""Reading a year of the working-day calendar from a file (CSV or Excel .xlsx).

One row a day: its date, its kind (ngày nghỉ lễ, nghỉ bù, làm bù) and its name, under a header
row. Every row is checked and every error of every row is reported at once (row numbers as
the spreadsheet shows them); the caller writes nothing unless there is no error
(workcal.actions.import_year).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoso.lib import excel, vntext, xlsxread
from hoso.workcal.models import SpecialDay

Refused = xlsxread.Refused
MAX_ROWS = 200  # a year has some twenty special days; more is not a calendar
MAX_ERRORS = 500
NAME_LIMIT = 200

# The header of each column as the template writes it; headers are matched without accents.
DATE, KIND, NAME = gettext_lazy("Date"), gettext_lazy("Kind"), gettext_lazy("Name")

# Kind as written in the file (folded: lower case, no accents) -> the kind stored. A day off in
# lieu (nghỉ bù) is a day off like a holiday; a substituted working day (làm bù) is worked.
HOLIDAY_WORDS = ("nghi le", "ngay nghi le", "le", "holiday", "public holiday")
DAY_OFF_WORDS = ("nghi bu", "ngay nghi bu", "nghi", "day off", "day off in lieu")
WORKING_WORDS = ("lam bu", "ngay lam bu", "working", "working day", "substituted working day")
KINDS = {
    **{w: SpecialDay.Kind.HOLIDAY for w in HOLIDAY_WORDS + DAY_OFF_WORDS},
    **{w: SpecialDay.Kind.WORKING for w in WORKING_WORDS},
}
# The headers accepted for each column (folded), in Vietnamese and English.
HEADERS = {
    "date": ("ngay", "date"),
    "kind": ("loai", "loai ngay", "kind"),
    "name": ("ten", "ten ngay", "name", "ghi chu"),
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class Day:
    row: int
    date: dt.date
    kind: str
    name: str


@dataclass
class Report:
    year: int
    days: list[Day] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    truncated: bool = False
    replaced: int = 0  # the days of the year recorded before, replaced by the file's

    def add(self, row: int, column: Any, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, str(column), str(message)))
        else:
            self.truncated = True

    @property
    def holidays(self) -> int:
        return sum(d.kind == SpecialDay.Kind.HOLIDAY for d in self.days)

    @property
    def working(self) -> int:
        return sum(d.kind == SpecialDay.Kind.WORKING for d in self.days)


def read(handle: IO[bytes], filename: str, year: int) -> Report:
    """The file's days, checked against `year`. Raises Refused when the file is not read at all
    (neither CSV nor a workbook, too many rows)."""
    report = Report(year)
    lines = _xlsx_rows(handle) if filename.lower().endswith(".xlsx") else _csv_rows(handle)
    first = next(lines, None)
    columns = _columns(first[1] if first else [])
    missing = [
        str(label)
        for key, label in (("date", DATE), ("kind", KIND), ("name", NAME))
        if key not in columns
    ]
    if missing:
        report.add(
            first[0] if first else 1,
            ", ".join(missing),
            _("Required column missing from the header row."),
        )
        return report
    seen: dict[dt.date, int] = {}
    count = 0
    for number, values in lines:
        if not any(str(v).strip() for v in values if v is not None):
            continue  # blank lines at the end of sheets
        count += 1
        if count > MAX_ROWS:
            raise Refused(
                _("The file has more than %(n)d rows: it is not a year's calendar.")
                % {"n": MAX_ROWS}
            )
        cells = {key: values[i] if i < len(values) else None for key, i in columns.items()}
        _check_row(number, cells, report, seen)
    if not count and not report.errors:
        report.add(2, "", _("The file has no day rows."))
    report.errors.sort(key=lambda e: e.row)
    return report


def _check_row(
    number: int, cells: dict[str, Any], report: Report, seen: dict[dt.date, int]
) -> None:
    """Every cell of the row checked, so that one pass reports all its errors."""
    date = kind = None
    try:
        date = _date(cells["date"])
    except ValueError as exc:
        report.add(number, DATE, str(exc))
    if date is not None and date.year != report.year:
        report.add(
            number,
            DATE,
            _("The date %(date)s is not in %(year)d.")
            % {"date": f"{date:%d/%m/%Y}", "year": report.year},
        )
        date = None
    if date is not None and date in seen:
        report.add(
            number,
            DATE,
            _("The date %(date)s is already on row %(row)d.")
            % {"date": f"{date:%d/%m/%Y}", "row": seen[date]},
        )
        date = None
    elif date is not None:
        seen[date] = number
    written = vntext.clean(str(cells["kind"] or ""))
    kind = KINDS.get(vntext.fold(written))
    if kind is None:
        report.add(
            number,
            KIND,
            _("Unknown kind “%(kind)s”: write nghỉ lễ, nghỉ bù or làm bù.") % {"kind": written},
        )
    name = vntext.clean(str(cells["name"] or ""))
    if not name:
        report.add(number, NAME, _("The name of the day is missing."))
    elif len(name) > NAME_LIMIT:
        report.add(number, NAME, _("At most %(n)d characters.") % {"n": NAME_LIMIT})
    elif excel.looks_like_formula(name):
        report.add(number, NAME, _("A name cannot start with = + - or @."))
    if date is not None and kind == SpecialDay.Kind.WORKING and date.weekday() < 5:
        report.add(
            number,
            KIND,
            _(
                "%(date)s is a weekday: only a Saturday or a Sunday can be a "
                "substituted working day."
            )
            % {"date": f"{date:%d/%m/%Y}"},
        )
    elif date is not None and kind is not None and name and len(name) <= NAME_LIMIT:
        report.days.append(Day(number, date, kind, name))


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not text:
        raise ValueError(_("The date is missing."))
    for pattern, order in (
        (r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", "dmy"),
        (r"(\d{4})-(\d{1,2})-(\d{1,2})", "ymd"),
    ):
        match = re.fullmatch(pattern, text)
        if match:
            parts = dict(zip(order, map(int, match.groups()), strict=True))
            try:
                return dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                break
    raise ValueError(_("“%(text)s” is not a date: write dd/mm/yyyy.") % {"text": text})


def _columns(header: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, heading in enumerate(header):
        folded = vntext.fold(str(heading or "")).rstrip(" *")
        for key, names in HEADERS.items():
            if folded in names and key not in found:
                found[key] = i
    return found


def _xlsx_rows(handle: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    yield from xlsxread.rows(handle, xlsxread.Limits.from_settings())


def _csv_rows(handle: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    raw = handle.read(1 << 20)
    if handle.read(1):
        raise Refused(_("The file is larger than 1 MB: it is not a year's calendar."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused(
            _(
                "The file is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8: save it "
                "as .xlsx, or as CSV UTF-8, and try again."
            )
        ) from None
    try:
        dialect: Any = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for number, values in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        yield number, list(values)


# The days fixed by the Labour Code (art. 112) in every year; Tết, Giỗ Tổ Hùng Vương and the
# days in lieu or substituted follow the lunar calendar and each year's notice.
FIXED = (
    (1, 1, "Tết Dương lịch"),
    (4, 30, "Ngày Giải phóng miền Nam"),
    (5, 1, "Ngày Quốc tế Lao động"),
    (9, 2, "Quốc khánh"),
)


def example_rows(year: int) -> list[tuple[dt.date, str, str]]:
    return [(dt.date(year, m, d), "nghỉ lễ", name) for m, d, name in FIXED]


def template(year: int) -> bytes:
    """The Excel template of `year`: the header row and its fixed holidays, to complete."""
    return excel.write_table(
        str(_("Working-day calendar")),
        [(str(DATE), lambda r: r[0]), (str(KIND), lambda r: r[1]), (str(NAME), lambda r: r[2])],
        example_rows(year),
    )


def template_csv(year: int) -> bytes:
    """The same as CSV (UTF-8 with a byte order mark, which Excel needs to read the accents)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(DATE), str(KIND), str(NAME)])
    for day, kind, name in example_rows(year):
        writer.writerow([f"{day:%d/%m/%Y}", kind, name])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
