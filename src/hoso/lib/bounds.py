"""The plausible range of what people type in: years, dates, counts, record ids.

One place, so that a form, an API field and a query parameter refuse the same values. Beyond
these a value is a typing error (9999-12-31, 99,999,999,999 copies), and some would break
later: Python dates end at year 9999, a PostgreSQL smallint at 32,767, any id at 2**63-1.
"""

from __future__ import annotations

import datetime as dt

# Row ids are signed 64-bit integers on every supported database; a larger number cannot be
# bound as a query parameter on SQLite (OverflowError) and is no record anywhere.
MAX_ID = 2**63 - 1

# Years a page can be asked for (registers, calendar, reports).
YEAR_MIN, YEAR_MAX = 1900, 2100

# Dates typed into a form: from the oldest births on record, up to a year ahead (a planned trip,
# a term that starts next year). Dates of birth are never in the future.
EARLIEST = dt.date(1900, 1, 1)
# A Party document (outgoing or incoming register) is not older than the Party (3 Feb 1930).
EARLIEST_DOCUMENT = dt.date(1930, 1, 1)
FUTURE = dt.timedelta(days=366)

# Paper copies of one document, and pages of one dossier paper.
MAX_COPIES = 1000
MAX_PAGES = 2000


def date_range(
    today: dt.date, earliest: dt.date = EARLIEST, future: dt.timedelta = FUTURE
) -> tuple[dt.date, dt.date]:
    return earliest, today + future
