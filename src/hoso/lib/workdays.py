"""Deadlines in working days or calendar days.

A working day is a weekday that is not a public holiday, or a weekend day that the government
turned into a working day (a substituted day, "làm bù"). The holidays themselves are data
(hoso.workcal), passed in as a `Calendar`; this module only computes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

MAX_SPAN_DAYS = 3660  # a period longer than ten years is a data error, not a deadline


class Unit(StrEnum):
    WORKING = "working"
    CALENDAR = "calendar"


@dataclass(frozen=True)
class Period:
    """An amount of days and whether they are working or calendar days."""

    days: int
    unit: Unit

    def __post_init__(self) -> None:
        if self.days < 0:
            raise ValueError("a period cannot be negative")

    def __str__(self) -> str:
        kind = "working" if self.unit is Unit.WORKING else "calendar"
        return f"{self.days} {kind} days"


@dataclass(frozen=True)
class Calendar:
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    working_weekend_days: frozenset[dt.date] = field(default_factory=frozenset)
    weekend: frozenset[int] = frozenset({5, 6})  # Saturday, Sunday

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.working_weekend_days:
            return True
        return day.weekday() not in self.weekend and day not in self.holidays


def due_date(start: dt.date, period: Period, calendar: Calendar) -> dt.date:
    """The last day of `period` counted from the day after `start`.

    Calendar days: start + n. Working days: the n-th working day after start (0 days: start).
    """
    if period.unit is Unit.CALENDAR:
        return start + dt.timedelta(days=period.days)
    day, counted = start, 0
    while counted < period.days:
        day += dt.timedelta(days=1)
        if (day - start).days > MAX_SPAN_DAYS:
            raise ValueError("no working days found: check the holiday calendar")
        if calendar.is_working_day(day):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date, calendar: Calendar) -> int:
    """Working days in (start, end]: how many working days of a period have been used."""
    if end <= start:
        return 0
    if (end - start).days > MAX_SPAN_DAYS:
        raise ValueError("span too long")
    return sum(
        calendar.is_working_day(start + dt.timedelta(days=i))
        for i in range(1, (end - start).days + 1)
    )


def extend(
    due: dt.date, paused_from: dt.date, resumed_on: dt.date, unit: Unit, calendar: Calendar
) -> dt.date:
    """Move a due date by the length of a pause, counted in the period's own unit."""
    if unit is Unit.CALENDAR:
        return due + (resumed_on - paused_from)
    lost = working_days_between(paused_from, resumed_on, calendar)
    return due_date(due, Period(lost, Unit.WORKING), calendar)
