"""Quarterly reconciliation of member counts (đối chiếu số lượng đảng viên).

The count at a date is derived from today's members and the recorded events after that date:
count(D) = current members − those who came in after D + those who went out after D.
The current members are read from the exact member aggregates (people/aggregates.py).
Temporary transfers move activity, not membership, and are left out. Rows for each unit
directly below the chosen organization are compared with the count each unit reported: typed
on the page, or frozen in the periodic report it submitted (people.hooks.REPORTED_COUNTS).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Substr

from hoso.orgs.models import Organization
from hoso.people import aggregates, hooks
from hoso.people.models import ACTIVE_STATUSES, Dimension, EventKind, MemberEvent, ReportedCount

IN = (EventKind.ADMISSION, EventKind.TRANSFER_IN)
OUT = (EventKind.TRANSFER_OUT, EventKind.DEATH, EventKind.LEFT)


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def count_at(org: Organization, day: dt.date) -> int:
    now = aggregates.in_party(org)  # today's members: the exact counts, not a scan
    later = MemberEvent.objects.filter(
        organization__path__startswith=org.path, date__gt=day, temporary=False
    ).aggregate(came=Count("id", filter=Q(kind__in=IN)), went=Count("id", filter=Q(kind__in=OUT)))
    return int(now - later["came"] + later["went"])


@dataclass
class Row:
    org: Organization
    start: int
    admitted: int
    came_in: int
    went_out: int
    died: int
    left: int
    end: int
    reported: int | None

    @property
    def balanced(self) -> bool:
        moved = self.admitted + self.came_in - self.went_out - self.died - self.left
        return self.start + moved == self.end

    @property
    def discrepancy(self) -> int | None:
        return None if self.reported is None else self.reported - self.end


def reconcile(parent: Organization, year: int, quarter: int) -> list[Row]:
    """The rows of `parent` and of each unit directly below it, in a fixed number of queries
    whatever the units: today's members from the exact aggregates (one read), and the events
    since the quarter began counted by unit, kind and part of time in one grouped statement."""
    start, end = quarter_bounds(year, quarter)
    units = [parent, *Organization.objects.get_children(parent)]
    reported = dict(
        ReportedCount.objects.filter(
            organization__in=units, year=year, quarter=quarter
        ).values_list("organization_id", "count")
    )
    for source in hooks.REPORTED_COUNTS:
        reported.update(source(units, year, quarter))
    by_status = aggregates.counts_of([unit.pk for unit in units], Dimension.STATUS)
    since = _events_since(parent, units, start, end)
    rows = []
    for unit in units:
        now = sum(by_status.get(unit.pk, {}).get(status, 0) for status in ACTIVE_STATUSES)
        moves = since.get(unit.path, {})
        during = {kind: n for (kind, part), n in moves.items() if part == "during"}
        after = {kind: n for (kind, part), n in moves.items() if part == "after"}
        rows.append(
            Row(
                unit,
                _before(now, during, after),
                during.get(EventKind.ADMISSION, 0),
                during.get(EventKind.TRANSFER_IN, 0),
                during.get(EventKind.TRANSFER_OUT, 0),
                during.get(EventKind.DEATH, 0),
                during.get(EventKind.LEFT, 0),
                _before(now, after),
                reported.get(unit.pk),
            )
        )
    return rows


def _before(now: int, *later: dict[str, int]) -> int:
    """The count before the events `later`: today's, less what came in since, plus what went."""
    came = sum(part.get(kind, 0) for part in later for kind in IN)
    went = sum(part.get(kind, 0) for part in later for kind in OUT)
    return now - came + went


def _events_since(
    parent: Organization, units: list[Organization], start: dt.date, end: dt.date
) -> dict[str, dict[tuple[str, str], int]]:
    """{unit path: {(kind, "during" | "after" the quarter): events}} of the events from
    `start` on (temporary transfers left out), for the parent and each unit below it: one
    statement, grouped by the path of the unit below `parent` that each event falls under."""
    below = len(units[1].path) if len(units) > 1 else len(parent.path)
    grouped = (
        MemberEvent.objects.filter(
            organization__path__startswith=parent.path, date__gte=start, temporary=False
        )
        .annotate(unit=Substr("organization__path", 1, below))
        .values("unit", "kind")
        .annotate(
            during=Count("id", filter=Q(date__lte=end)), after=Count("id", filter=Q(date__gt=end))
        )
    )
    found: dict[str, dict[tuple[str, str], int]] = {}
    for row in grouped:
        for path in {parent.path, row["unit"]}:  # the parent counts every unit's
            counted = found.setdefault(path, {})
            for part in ("during", "after"):
                key = (row["kind"], part)
                counted[key] = counted.get(key, 0) + row[part]
    return found
