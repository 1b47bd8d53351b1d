"""Reporting periods.

Two uses:
- a list page's counts: ?from=YYYY-MM-DD&to=YYYY-MM-DD, by default the current quarter up to
  today (`from_query`);
- a periodic report's period (`Period`): a month, a quarter, the first six or nine months, a
  year, or any range of days, named by a key such as "2026-9m" that a URL carries.

A report's period may close on a cut-off day rather than at the end of a month (many reporting
regimes count from the 15th of the month before to the 14th of the period's last month):
with `cutoff` = 14, the third quarter of 2026 runs from 15/06/2026 to 14/09/2026. With 0 (the
default) periods follow the calendar. A malformed or implausible value is `query.BadParameter`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from hoso.lib import query

# Kinds of period and the months they cover within the year: (first month, months) per number.
MONTH, QUARTER, HALF, NINE, YEAR, RANGE = "m", "q", "h", "9m", "y", "range"
KINDS = (MONTH, QUARTER, HALF, NINE, YEAR, RANGE)
_KEY = re.compile(r"^(\d{4})(?:-(m)(\d{1,2})|-(q)([1-4])|-(h)([12])|-(9m))?$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def from_query(params: Mapping[str, str], today: dt.date) -> tuple[dt.date, dt.date]:
    return query.day(params, "from", quarter_start(today)), query.day(params, "to", today)


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int = 0  # month 1-12, quarter 1-4, half 1-2; 0 for nine months, a year, a range
    cutoff: int = 0  # day of the month the period closes on; 0: the month's last day
    first: dt.date | None = None  # a range's own days
    last: dt.date | None = None

    @property
    def months(self) -> tuple[int, int]:
        """First month and number of months of a calendar period."""
        return {
            MONTH: (self.number, 1),
            QUARTER: (3 * self.number - 2, 3),
            HALF: (6 * self.number - 5, 6),
            NINE: (1, 9),
            YEAR: (1, 12),
        }[self.kind]

    @property
    def start(self) -> dt.date:
        if self.kind == RANGE:
            assert self.first is not None
            return self.first
        month, _ = self.months
        if not self.cutoff:
            return dt.date(self.year, month, 1)
        before = _add_months(dt.date(self.year, month, 1), -1)
        return dt.date(before.year, before.month, self.cutoff) + dt.timedelta(days=1)

    @property
    def end(self) -> dt.date:
        if self.kind == RANGE:
            assert self.last is not None
            return self.last
        month, months = self.months
        last_month = _add_months(dt.date(self.year, month, 1), months - 1)
        if self.cutoff:
            return last_month.replace(day=self.cutoff)
        return _add_months(last_month, 1) - dt.timedelta(days=1)

    @property
    def key(self) -> str:
        if self.kind == RANGE:
            return f"{self.start.isoformat()}..{self.end.isoformat()}"
        suffix = {MONTH: f"-m{self.number:02d}", QUARTER: f"-q{self.number}"}.get(self.kind)
        suffix = suffix or {HALF: f"-h{self.number}", NINE: "-9m", YEAR: ""}[self.kind]
        return f"{self.year}{suffix}"

    @property
    def label(self) -> str:
        from django.utils.translation import gettext as _

        if self.kind == RANGE:
            return _("from %(start)s to %(end)s") % {
                "start": f"{self.start:%d/%m/%Y}",
                "end": f"{self.end:%d/%m/%Y}",
            }
        roman = ("", "I", "II", "III", "IV")
        names = {
            MONTH: _("month %(n)s of %(year)s"),
            QUARTER: _("quarter %(roman)s of %(year)s"),
            HALF: _("first six months of %(year)s")
            if self.number == 1
            else _("last six months of %(year)s"),
            NINE: _("nine months of %(year)s"),
            YEAR: _("year %(year)s"),
        }
        values = {"n": self.number, "roman": roman[self.number % 5], "year": self.year}
        return names[self.kind] % values

    def previous_year(self) -> Period:
        """The same period one year earlier (the comparison of a periodic report)."""
        if self.kind == RANGE:
            assert self.first is not None and self.last is not None
            return replace(self, first=_year_before(self.first), last=_year_before(self.last))
        return replace(self, year=self.year - 1)


def parse(key: str, *, cutoff: int = 0, name: str = "period") -> Period:
    """The period a key names: "2026" (year), "2026-9m", "2026-h1", "2026-q3", "2026-m07", or
    "2026-01-01..2026-02-15" (a range of days)."""
    from django.utils.translation import gettext as _

    key = key.strip()
    period = _parse_range(key) or _parse_calendar(key, cutoff)
    if period is None or not query.DAY_MIN <= period.start <= period.end <= query.DAY_MAX:
        raise query.BadParameter(
            name,
            _(
                "“%(name)s” must name a period: 2026 (a year), 2026-9m (nine months), 2026-h1"
                " (six months), 2026-q3 (a quarter), 2026-m07 (a month) or"
                " 2026-01-01..2026-02-15 (a range of days)."
            )
            % {"name": name},
        )
    return period


def from_params(params: Mapping[str, str], today: dt.date, *, cutoff: int = 0) -> Period:
    """?period=KEY, by default the current quarter (the period that contains today)."""
    key = params.get("period", "")
    if not key:
        return containing(today, QUARTER, cutoff=cutoff)
    return parse(key, cutoff=cutoff)


def containing(day: dt.date, kind: str, *, cutoff: int = 0) -> Period:
    """The period of `kind` (month, quarter, half, year) that contains `day`."""
    year, month = day.year, day.month
    if cutoff and day.day > cutoff:  # after the cut-off the next month's period has begun
        nxt = _add_months(day.replace(day=1), 1)
        year, month = nxt.year, nxt.month
    number = {MONTH: month, QUARTER: (month + 2) // 3, HALF: (month + 5) // 6}.get(kind, 0)
    return Period(kind, year, number, cutoff)


def _parse_calendar(key: str, cutoff: int) -> Period | None:
    match = _KEY.match(key)
    if not match:
        return None
    year = int(match.group(1))
    kinds = [(MONTH, match.group(3)), (QUARTER, match.group(5)), (HALF, match.group(7))]
    for kind, number in kinds:
        if number is not None:
            if kind == MONTH and not 1 <= int(number) <= 12:
                return None
            return Period(kind, year, int(number), cutoff)
    return Period(NINE if match.group(8) else YEAR, year, 0, cutoff)


def _parse_range(key: str) -> Period | None:
    match = _RANGE.match(key)
    if not match:
        return None
    try:
        first, last = (dt.date.fromisoformat(g) for g in match.groups())
    except ValueError:
        return None
    return Period(RANGE, last.year, first=first, last=last)


def _add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
