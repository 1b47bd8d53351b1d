"""Reporting periods: keys, cut-off days, the same period a year earlier."""

from __future__ import annotations

import datetime as dt

import pytest

from hoso.lib import periods
from hoso.lib.query import BadParameter

D = dt.date


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("2026", D(2026, 1, 1), D(2026, 12, 31)),
        ("2026-9m", D(2026, 1, 1), D(2026, 9, 30)),
        ("2026-h1", D(2026, 1, 1), D(2026, 6, 30)),
        ("2026-h2", D(2026, 7, 1), D(2026, 12, 31)),
        ("2026-q1", D(2026, 1, 1), D(2026, 3, 31)),
        ("2026-q4", D(2026, 10, 1), D(2026, 12, 31)),
        ("2024-m02", D(2024, 2, 1), D(2024, 2, 29)),
        ("2026-01-05..2026-02-15", D(2026, 1, 5), D(2026, 2, 15)),
    ],
)
def test_keys_name_their_days(key: str, start: dt.date, end: dt.date) -> None:
    period = periods.parse(key)
    assert (period.start, period.end) == (start, end)
    assert periods.parse(period.key) == period  # the key round-trips through a URL


def test_a_cutoff_day_closes_periods_mid_month() -> None:
    q3 = periods.parse("2026-q3", cutoff=14)
    assert (q3.start, q3.end) == (D(2026, 6, 15), D(2026, 9, 14))
    year = periods.parse("2026", cutoff=14)
    assert (year.start, year.end) == (D(2025, 12, 15), D(2026, 12, 14))
    nine = periods.parse("2026-9m", cutoff=14)
    assert (nine.start, nine.end) == (D(2025, 12, 15), D(2026, 9, 14))


def test_the_period_containing_a_day_follows_the_cutoff() -> None:
    assert periods.containing(D(2026, 9, 14), periods.QUARTER, cutoff=14).key == "2026-q3"
    assert periods.containing(D(2026, 9, 15), periods.QUARTER, cutoff=14).key == "2026-q4"
    assert periods.containing(D(2026, 12, 20), periods.YEAR, cutoff=14).year == 2027
    assert periods.containing(D(2026, 12, 20), periods.QUARTER).key == "2026-q4"


def test_previous_year_is_the_same_period() -> None:
    assert periods.parse("2026-9m").previous_year().key == "2025-9m"
    leap = periods.parse("2024-02-29..2024-03-31").previous_year()
    assert (leap.start, leap.end) == (D(2023, 2, 28), D(2023, 3, 31))


def test_labels_are_vietnamese_by_default() -> None:
    assert periods.parse("2026-q3").label == "quý III năm 2026"
    assert periods.parse("2026-9m").label == "9 tháng năm 2026"


@pytest.mark.parametrize(
    "key",
    [
        "2026-q5",
        "2026-m13",
        "2026-m00",
        "26",
        "2026-9",
        "2026-02-30..2026-03-01",
        "2026-03-01..2026-02-01",
        "1800",
        "x",
    ],
)
def test_bad_keys_say_what_is_expected(key: str) -> None:
    with pytest.raises(BadParameter) as raised:
        periods.parse(key)
    assert "2026-9m" in str(raised.value)
