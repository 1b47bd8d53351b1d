"""The reporting period of a list page: ?from=YYYY-MM-DD&to=YYYY-MM-DD, by default the
current quarter up to today. A malformed or implausible date is `query.BadParameter` (400)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from hoso.lib import query


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def from_query(params: Mapping[str, str], today: dt.date) -> tuple[dt.date, dt.date]:
    return query.day(params, "from", quarter_start(today)), query.day(params, "to", today)
