"""The reporting period of a list page: ?from=YYYY-MM-DD&to=YYYY-MM-DD, by default the
current quarter up to today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def from_query(params: Mapping[str, str], today: dt.date) -> tuple[dt.date, dt.date]:
    def read(name: str, default: dt.date) -> dt.date:
        try:
            return dt.date.fromisoformat(params.get(name, ""))
        except ValueError:
            return default

    return read("from", quarter_start(today)), read("to", today)
