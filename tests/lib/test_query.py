"""Typed request parameters (`hoso.lib.query`): defaults, bounds, and a clear refusal."""

from __future__ import annotations

import datetime as dt

import pytest

from hoso.lib import query
from hoso.lib.bounds import MAX_ID


def test_missing_or_empty_gives_the_default() -> None:
    assert query.year({}, default=2026) == 2026
    assert query.year({"year": " "}, default=2026) == 2026
    assert query.day({"from": ""}, "from", dt.date(2026, 1, 1)) == dt.date(2026, 1, 1)
    assert query.record_id({}, "member") is None


def test_values_within_bounds_are_read() -> None:
    assert query.year({"year": "2025"}, default=0) == 2025
    assert query.integer({"quarter": "4"}, "quarter", 1, low=1, high=4) == 4
    assert query.day({"to": "2026-03-31"}, "to", dt.date.min) == dt.date(2026, 3, 31)
    assert query.record_id({"member": str(MAX_ID)}, "member") == MAX_ID


@pytest.mark.parametrize("text", ["99999", "-5", "1899", "2101", "abc", "20 25", "1e3", "٢٠٢٥"])
def test_a_bad_year_is_refused_with_its_name(text: str) -> None:
    with pytest.raises(query.BadParameter) as refused:
        query.year({"year": text}, default=2026)
    assert refused.value.name == "year" and "1900" in str(refused.value)


@pytest.mark.parametrize("text", ["9999-12-31", "0001-01-01", "2026-02-30", "yesterday", "2026"])
def test_a_bad_date_is_refused(text: str) -> None:
    with pytest.raises(query.BadParameter):
        query.day({"from": text}, "from", dt.date(2026, 1, 1))


@pytest.mark.parametrize("text", [str(MAX_ID + 1), "99999999999999999999", "-1", "0", "1.5", "x"])
def test_a_bad_record_id_is_refused(text: str) -> None:
    assert query.as_id(text) is None
    with pytest.raises(query.BadParameter):
        query.record_id({"member": text}, "member")


def test_the_path_converter_matches_64_bit_ids_only() -> None:
    converter = query.IdConverter()
    assert converter.to_python(str(MAX_ID)) == MAX_ID
    for text in (str(MAX_ID + 1), "0"):
        with pytest.raises(ValueError):
            converter.to_python(text)
