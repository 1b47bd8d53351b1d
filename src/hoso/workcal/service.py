"""Deadlines against the calendar stored in the database.

The calendar is complete only for its covered years (`CoveredYear`: shipped 2025–2027, then one
per imported year). A deadline counted into a year that is not covered is still computed, on
weekends only, but it is provisional: `due` says so, the pages mark it (the `provisional` tag)
and the worker tells the administrators before the deadlines of the day reach such a year.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass

from hoso.lib.workdays import Calendar, Period, Unit, due_date
from hoso.workcal.horizons import HORIZONS
from hoso.workcal.models import CoveredYear, SpecialDay

logger = logging.getLogger(__name__)

# A working-day period is at most this many calendar days longer than 7/5 of its length: the
# longest run of days off in a year (Tết, up to nine days with its weekends).
HOLIDAY_MARGIN_DAYS = 14
# The horizon when no app has told its longest deadline (workcal.horizons).
DEFAULT_HORIZON_DAYS = 60


@dataclass(frozen=True)
class Due:
    """A computed due date; `provisional` when it was counted through a year whose holidays
    are not recorded (`uncovered`: those years), so that later holidays may move it."""

    on: dt.date
    uncovered: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.uncovered)


def covered_years() -> frozenset[int]:
    return frozenset(CoveredYear.objects.values_list("year", flat=True))


def last_covered_year() -> int | None:
    years = covered_years()
    return max(years) if years else None


def uncovered(
    start: dt.date, end: dt.date, covered: frozenset[int] | None = None
) -> tuple[int, ...]:
    """The years from `start` to `end` (inclusive) whose calendar is not recorded."""
    years = covered_years() if covered is None else covered
    return tuple(y for y in range(start.year, end.year + 1) if y not in years)


def calendar_around(start: dt.date, years: int = 2) -> Calendar:
    """The calendar from `start` to `years` years later (deadlines are shorter than that)."""
    end = start.replace(year=start.year + years, month=12, day=31)
    days = SpecialDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind")
    holidays = frozenset(d for d, kind in days if kind == SpecialDay.Kind.HOLIDAY)
    working = frozenset(d for d, kind in days if kind == SpecialDay.Kind.WORKING)
    return Calendar(holidays=holidays, working_weekend_days=working)


def due(start: dt.date, period: Period) -> Due:
    """The due date of `period` from `start`, and whether it is provisional. A calendar-day
    period does not depend on holidays: never provisional."""
    on = due_date(start, period, calendar_around(start))
    if period.unit is Unit.CALENDAR or period.days == 0:
        return Due(on)
    # The days counted are those after `start`, up to `on`.
    missing = uncovered(start + dt.timedelta(days=1), on)
    if missing:
        logger.warning(
            "deadline %s from %s counted on weekends only: no working-day calendar for %s",
            period,
            start.isoformat(),
            ", ".join(map(str, missing)),
        )
    return Due(on, missing)


def deadline(start: dt.date, period: Period) -> dt.date:
    """The due date alone (as stored on the records); `due` tells whether it is provisional."""
    return due(start, period).on


def span_days(period: Period) -> int:
    """The most calendar days `period` can take."""
    if period.unit is Unit.CALENDAR:
        return period.days
    return math.ceil(period.days * 7 / 5) + HOLIDAY_MARGIN_DAYS


def horizon_days() -> int:
    """The longest deadline the apps compute, in calendar days."""
    spans = [span_days(p) for periods in HORIZONS.values() for p in periods()]
    return max(spans, default=DEFAULT_HORIZON_DAYS)


@dataclass(frozen=True)
class Gap:
    """The deadlines started today may end in `year`, which is not covered."""

    year: int
    last_covered: int | None
    reaches: dt.date


def coverage_gap(today: dt.date, horizon: int | None = None) -> Gap | None:
    """The first year not covered that a deadline started today can reach, or None."""
    reaches = today + dt.timedelta(days=horizon_days() if horizon is None else horizon)
    covered = covered_years()
    missing = uncovered(today, reaches, covered)
    if not missing:
        return None
    return Gap(missing[0], max(covered) if covered else None, reaches)
