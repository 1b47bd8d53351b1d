from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hoso.lib.workdays import Calendar, Period, Unit, due_date, extend, working_days_between

D = dt.date
# Tết Ất Tỵ 2025 as announced: 25/01 to 02/02 off (weekdays 27-31/01 are the holidays).
TET_2025 = frozenset(D(2025, 1, d) for d in range(27, 32))
CAL = Calendar(
    holidays=TET_2025 | {D(2025, 4, 30), D(2025, 5, 1), D(2025, 5, 2)},
    working_weekend_days=frozenset({D(2025, 4, 26)}),
)


def test_calendar_days_ignore_holidays() -> None:
    assert due_date(D(2025, 1, 24), Period(10, Unit.CALENDAR), CAL) == D(2025, 2, 3)


def test_working_days_skip_weekends_and_tet() -> None:
    # Friday 24/01 + 1 working day: the office reopens on Monday 03/02 after Tết.
    assert due_date(D(2025, 1, 24), Period(1, Unit.WORKING), CAL) == D(2025, 2, 3)
    assert due_date(D(2025, 1, 24), Period(5, Unit.WORKING), CAL) == D(2025, 2, 7)


def test_substituted_saturday_counts() -> None:
    # Friday 25/04 + 1: Saturday 26/04 is a working day (it replaces Friday 02/05).
    assert due_date(D(2025, 4, 25), Period(1, Unit.WORKING), CAL) == D(2025, 4, 26)
    assert due_date(D(2025, 4, 29), Period(1, Unit.WORKING), CAL) == D(2025, 5, 5)


def test_zero_days_is_the_start() -> None:
    assert due_date(D(2025, 3, 3), Period(0, Unit.WORKING), CAL) == D(2025, 3, 3)


def test_pause_moves_the_due_date_by_lost_working_days() -> None:
    due = due_date(D(2025, 1, 20), Period(10, Unit.WORKING), CAL)
    assert due == D(2025, 2, 10)
    # Paused over Tết, from Thursday 23/01 to Tuesday 04/02: 23, 24 (Thu, Fri), 3, 4 Feb lost.
    assert working_days_between(D(2025, 1, 22), D(2025, 2, 4), CAL) == 4
    assert extend(due, D(2025, 1, 22), D(2025, 2, 4), Unit.WORKING, CAL) == D(2025, 2, 14)
    assert extend(due, D(2025, 1, 22), D(2025, 2, 4), Unit.CALENDAR, CAL) == D(2025, 2, 23)


def test_negative_period_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        Period(-1, Unit.WORKING)


def test_calendar_without_working_days_fails_loudly() -> None:
    never = Calendar(weekend=frozenset(range(7)))
    with pytest.raises(ValueError, match="no working days"):
        due_date(D(2025, 1, 1), Period(1, Unit.WORKING), never)


@given(st.dates(D(2024, 1, 1), D(2027, 12, 31)), st.integers(0, 200))
def test_due_date_is_a_working_day_and_counts_exactly(start: dt.date, n: int) -> None:
    due = due_date(start, Period(n, Unit.WORKING), CAL)
    assert working_days_between(start, due, CAL) == n
    if n:
        assert CAL.is_working_day(due)
