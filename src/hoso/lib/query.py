"""Typed request parameters: years, whole numbers, dates and record ids from a query string
(or a posted form), each within bounds.

A missing or empty parameter gives the default. A value that is there but unusable (not a
number, out of range) raises `BadParameter`, which the web middleware and the API exception
handler answer with 400 and its message: a typed-in `?year=99999` is the caller's mistake,
never a server error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from hoso.lib.bounds import MAX_ID, YEAR_MAX, YEAR_MIN

if TYPE_CHECKING:
    from django.http import QueryDict

# Dates a page can be asked for: Python's date arithmetic (year 1..9999) and the registers
# break outside, and nothing in hoso is dated there.
DAY_MIN, DAY_MAX = dt.date(YEAR_MIN, 1, 1), dt.date(YEAR_MAX, 12, 31)
_DIGITS = re.compile(r"[0-9]{1,19}")


class BadParameter(ValueError):
    """A request parameter that is present but unusable; the message says what is expected."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


def check_text(params: QueryDict) -> None:
    """Refuse a NUL character in any parameter: no text column stores one (PostgreSQL raises
    on it), and no one types it. Run on every query string (web middleware)."""
    from django.utils.translation import gettext as _

    for name, values in params.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            raise BadParameter(
                name, _("“%(name)s” must not contain a NUL character.") % {"name": name}
            )


def _text(params: Mapping[str, str], name: str) -> str:
    return (params.get(name) or "").strip()


def as_id(text: str) -> int | None:
    """The record id written in `text`, or None if it cannot be one (sign, letters, > 2**63-1)."""
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def integer(params: Mapping[str, str], name: str, default: int, *, low: int, high: int) -> int:
    from django.utils.translation import gettext as _

    text = _text(params, name)
    if not text:
        return default
    value = int(text) if re.fullmatch(r"-?[0-9]{1,19}", text) else None
    if value is None or not low <= value <= high:
        raise BadParameter(
            name,
            _("“%(name)s” must be a whole number from %(low)s to %(high)s.")
            % {"name": name, "low": low, "high": high},
        )
    return value


def year(params: Mapping[str, str], default: int, name: str = "year") -> int:
    return integer(params, name, default, low=YEAR_MIN, high=YEAR_MAX)


def day(params: Mapping[str, str], name: str, default: dt.date) -> dt.date:
    from django.utils.translation import gettext as _

    text = _text(params, name)
    if not text:
        return default
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        value = None
    if value is None or not DAY_MIN <= value <= DAY_MAX:
        raise BadParameter(
            name,
            _("“%(name)s” must be a date written YYYY-MM-DD, from %(low)s to %(high)s.")
            % {"name": name, "low": DAY_MIN.isoformat(), "high": DAY_MAX.isoformat()},
        )
    return value


def record_id(params: Mapping[str, str], name: str) -> int | None:
    """The id of a record named by a parameter (`?member=12`), or None if not given."""
    from django.utils.translation import gettext as _

    text = _text(params, name)
    if not text:
        return None
    value = as_id(text)
    if value is None:
        raise BadParameter(name, _("“%(name)s” must be the id of a record.") % {"name": name})
    return value


class IdConverter:
    """The `<id:pk>` path converter: digits that fit a 64-bit row id. Anything larger matches
    no URL, so it answers 404 on every database instead of overflowing on SQLite."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = as_id(value)
        if number is None:
            raise ValueError(value)  # the resolver treats this as "no match"
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)
