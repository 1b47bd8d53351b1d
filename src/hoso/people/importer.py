"""Import members from an Excel file: validate every row, then insert all of them or none.

1. Read the sheet through `hoso.lib.xlsxread`, which refuses a decompression bomb or an
   oversized sheet before unpacking it and streams the rows; map the header row to the
   template's columns.
2. Validate each cell; collect (row, column, message) errors in the user's language.
3. Look for duplicate citizen IDs inside the file and against the database.
4. Rows are checked and written a batch at a time inside one transaction, so memory does not
   grow with the file; any error (or a refusal) rolls the transaction back, so a file with an
   error imports nothing. One audit event for a file imported.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoso.access import policy
from hoso.access.models import User
from hoso.lib import excel, vntext, xlsxread
from hoso.orgs.models import Organization
from hoso.people.models import DatePrecision, MemberStatus, Person

Refused = xlsxread.Refused  # the file is not read at all (not a workbook, over a limit)
MAX_ERRORS = 1000  # enough to fix a file; more would only slow the report down
CHUNK = 5000


class Invalid(ValueError):
    """A cell that cannot be read; the message says why, in the user's language."""


def _text(value: Any, limit: int) -> str:
    text = vntext.clean(str(value)) if value is not None else ""
    if len(text) > limit:
        raise Invalid(_("At most %(n)d characters.") % {"n": limit})
    return text


def _date(value: Any) -> tuple[dt.date | None, str]:
    """A date as Excel gives it, or as typed: dd/mm/yyyy, mm/yyyy or yyyy (with its precision)."""
    if value in (None, ""):
        return None, DatePrecision.DAY
    if isinstance(value, dt.datetime):
        return value.date(), DatePrecision.DAY
    if isinstance(value, dt.date):
        return value, DatePrecision.DAY
    text = str(value).strip()
    if isinstance(value, int | float) or re.fullmatch(r"\d{4}", text):
        year = int(float(text))
        if 1900 <= year <= 2100:
            return dt.date(year, 1, 1), DatePrecision.YEAR
    for pattern, precision in (
        (r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", DatePrecision.DAY),
        (r"(\d{1,2})[/.-](\d{4})", DatePrecision.MONTH),
    ):
        match = re.fullmatch(pattern, text)
        if match:
            parts = [int(p) for p in match.groups()]
            day, month, year = parts if len(parts) == 3 else (1, *parts)
            try:
                return dt.date(year, month, day), precision
            except ValueError:
                break
    raise Invalid(_("Not a date: write dd/mm/yyyy, mm/yyyy or yyyy."))


def _plain_date(value: Any) -> dt.date | None:
    day, precision = _date(value)
    if day is not None and precision != DatePrecision.DAY:
        raise Invalid(_("Give the full date (dd/mm/yyyy)."))
    return day


def _sex(value: Any) -> str:
    text = vntext.fold(str(value or ""))
    if text in {"nam", "m", "male"}:
        return "M"
    if text in {"nu", "f", "female"}:
        return "F"
    raise Invalid(_("Write Nam or Nữ."))


def _digits(size: int, label: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if value in (None, ""):
            return ""
        text = str(value).strip()
        if isinstance(value, int | float):  # Excel dropped the leading zeros
            text = f"{int(value):0{size}d}"
        if not re.fullmatch(rf"\d{{{size}}}", text):
            raise Invalid(_("%(label)s has exactly %(n)d digits.") % {"label": label, "n": size})
        return text

    return parse


STATUS_WORDS = {
    "du bi": MemberStatus.PROBATIONARY,
    "chinh thuc": MemberStatus.OFFICIAL,
    "probationary": MemberStatus.PROBATIONARY,
    "official": MemberStatus.OFFICIAL,
}


def _status(value: Any) -> str:
    status = STATUS_WORDS.get(vntext.fold(str(value or "")))
    if status is None:
        raise Invalid(_("Write Dự bị or Chính thức."))
    return status


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    parse: Callable[[Any], Any]
    required: bool = False


COLUMNS = [
    Column("Họ", "family_name", lambda v: _text(v, 64), True),
    Column("Chữ đệm", "middle_name", lambda v: _text(v, 64)),
    Column("Tên", "given_name", lambda v: _text(v, 64), True),
    Column("Giới tính", "sex", _sex, True),
    Column("Ngày sinh", "birth", _date, True),
    Column("Quê quán", "home_town", lambda v: _text(v, 255)),
    Column("Nơi thường trú", "residence", lambda v: _text(v, 255)),
    Column("Dân tộc", "ethnicity", lambda v: _text(v, 64)),
    Column("Tôn giáo", "religion", lambda v: _text(v, 64)),
    Column("Số CCCD", "citizen_id", _digits(12, "Số CCCD")),
    Column("Số CMND", "old_id", _digits(9, "Số CMND")),
    Column("Ngày vào Đảng", "admitted_on", _plain_date, True),
    Column("Ngày chính thức", "official_on", _plain_date),
    Column("Số thẻ đảng viên", "card_number", lambda v: _text(v, 32)),
    Column("Số lý lịch", "resume_number", lambda v: _text(v, 32)),
    Column("Trạng thái", "status", _status, True),
    Column("Ký hiệu chi bộ", "org_code", lambda v: _text(v, 32).upper()),
]


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Report:
    rows: int = 0
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    truncated: bool = False

    def add(self, row: int, column: str, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, str(message)))
        else:
            self.truncated = True

    def sort(self) -> None:
        """Errors in row order, each row's in column order (a batch's checks of the whole
        file, such as duplicates against the database, come after its cells' errors)."""
        order = {c.header: i for i, c in enumerate(COLUMNS)}
        self.errors.sort(key=lambda e: (e.row, order.get(e.column, len(order))))


TEMPLATE_EXAMPLE = [
    "Nguyễn",
    "Văn",
    "An",
    "Nam",
    "15/08/1980",
    "xã Hòa Bình, Hà Nội",
    "",
    "Kinh",
    "Không",
    "001080012345",
    "",
    "19/05/2005",
    "19/05/2006",
    "0123456",
    "LL01",
    "Chính thức",
    "",
]


def template() -> bytes:
    """The header row (required columns marked *) and one example row, by the shared writer."""
    columns = [
        (c.header + (" *" if c.required else ""), operator.itemgetter(i))
        for i, c in enumerate(COLUMNS)
    ]
    return excel.write_table("Danh sách đảng viên", columns, [TEMPLATE_EXAMPLE])


def _rows(
    handle: IO[bytes],
    report: Report,
    limits: xlsxread.Limits,
    columns: Sequence[Column] = COLUMNS,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The non-blank rows after the header row, by column key (another importer, such as the
    cadre list's, passes its own columns)."""
    headers = {vntext.fold(c.header): c for c in columns}
    lines = xlsxread.rows(handle, limits)
    first = next(lines, None)
    header = first[1] if first is not None and first[0] == 1 else []
    mapping = {i: headers.get(vntext.fold(str(h or "")).rstrip(" *")) for i, h in enumerate(header)}
    missing = [c.header for c in columns if c.required and c not in mapping.values()]
    if missing:
        report.add(1, ", ".join(missing), _("Required column missing from the header row."))
        return
    for number, values in lines:
        if not any(v not in (None, "") for v in values):
            continue  # blank lines are common at the end of sheets
        report.rows += 1
        yield (
            number,
            {
                col.key: values[i]
                for i, col in mapping.items()
                if col is not None and i < len(values)
            },
        )


def _batches(
    lines: Iterable[tuple[int, dict[str, Any]]],
) -> Iterator[list[tuple[int, dict[str, Any]]]]:
    iterator = iter(lines)
    while batch := list(itertools.islice(iterator, CHUNK)):
        yield batch


def _parse(
    number: int, raw: dict[str, Any], report: Report, columns: Sequence[Column] = COLUMNS
) -> dict[str, Any] | None:
    row, ok = read_row(number, raw, report, columns)
    return row if ok else None


def read_row(
    number: int, raw: dict[str, Any], report: Report, columns: Sequence[Column] = COLUMNS
) -> tuple[dict[str, Any], bool]:
    """(the cells that could be read, whether all could): every cell's error is reported,
    and the caller can still check the rest of the row (one pass shows every error)."""
    row: dict[str, Any] = {}
    ok = True
    for column in columns:
        value = raw.get(column.key)
        if value in (None, "") and column.required:
            report.add(number, column.header, _("Required."))
            ok = False
            continue
        try:
            row[column.key] = column.parse(value)
        except Invalid as exc:
            report.add(number, column.header, str(exc))
            ok = False
    return row, ok


def check_dates(number: int, row: dict[str, Any], report: Report, today: dt.date) -> None:
    """What one row's dates must agree on (cells that could not be read are left out)."""
    born = (row.get("birth") or (None, ""))[0]
    admitted, official = row.get("admitted_on"), row.get("official_on")
    status = row.get("status")

    def error(header: str, message: str) -> None:
        report.add(number, header, message)

    if born and born > today:
        error("Ngày sinh", _("This date cannot be in the future."))
    if admitted and admitted > today:
        error("Ngày vào Đảng", _("This date cannot be in the future."))
    elif admitted and born and admitted <= born:
        error("Ngày vào Đảng", _("The admission date must come after the birth date."))
    if official and official > today:
        error("Ngày chính thức", _("This date cannot be in the future."))
    elif official and admitted and official <= admitted:
        error("Ngày chính thức", _("Official membership comes after the admission date."))
    if status == MemberStatus.OFFICIAL and "official_on" in row and not official:
        error("Ngày chính thức", _("An official member needs the date of official membership."))
    if status == MemberStatus.PROBATIONARY and official:
        error("Ngày chính thức", _("A probationary member has no official date yet."))


def _check_organizations(
    parsed: list[tuple[int, dict[str, Any]]], default: Organization, actor: User, report: Report
) -> None:
    codes = {row["org_code"] for _, row in parsed if row.get("org_code")}
    allowed = {
        o.code: o
        for o in Organization.objects.visible_to(actor, policy.Action.MEMBER_MANAGE).filter(
            code__in=codes, path__startswith=default.path, valid_to__isnull=True
        )
    }
    for number, row in parsed:
        if "org_code" not in row:
            continue  # its cell could not be read: already reported
        code = row.pop("org_code")
        row["organization"] = allowed.get(code) if code else default
        if row["organization"] is None:
            report.add(
                number,
                "Ký hiệu chi bộ",
                _("Unknown organization, closed, or outside %(org)s.") % {"org": default.name},
            )


def _check_duplicates(
    parsed: list[tuple[int, dict[str, Any]]], seen: dict[str, int], report: Report
) -> None:
    """Citizen IDs met twice in the file, or already in the database. `seen` holds the rows of
    the batches before (already written, in this transaction, when they had no error)."""
    new = []
    for number, row in parsed:
        cid = row.get("citizen_id")
        if cid and cid in seen:
            report.add(number, "Số CCCD", _("Same citizen ID as row %(row)d.") % {"row": seen[cid]})
        elif cid:
            seen[cid] = number
            new.append(cid)
    taken = Person.objects.filter(citizen_id__in=new)
    for cid in taken.values_list("citizen_id", flat=True):
        if cid is not None:
            report.add(seen[cid], "Số CCCD", _("This citizen ID is already recorded in hoso."))


COLUMN_HELP = gettext_lazy(
    "Columns marked * are required. Dates as dd/mm/yyyy; a birth date may be mm/yyyy or yyyy. "
    "Sex: Nam or Nữ. Status: Dự bị or Chính thức. Leave the cell code empty to import into "
    "the chosen organization."
)
