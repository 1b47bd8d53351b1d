"""Deadlines against the calendar stored in the database."""

from __future__ import annotations

import datetime as dt

from hoso.lib.workdays import Calendar, Period, due_date
from hoso.workcal.models import SpecialDay


def calendar_around(start: dt.date, years: int = 2) -> Calendar:
    """The calendar from `start` to `years` years later (deadlines are shorter than that)."""
    end = start.replace(year=start.year + years, month=12, day=31)
    days = SpecialDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind")
    holidays = frozenset(d for d, kind in days if kind == SpecialDay.Kind.HOLIDAY)
    working = frozenset(d for d, kind in days if kind == SpecialDay.Kind.WORKING)
    return Calendar(holidays=holidays, working_weekend_days=working)


def deadline(start: dt.date, period: Period) -> dt.date:
    return due_date(start, period, calendar_around(start))
