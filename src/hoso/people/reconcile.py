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

from hoso.orgs.models import Organization
from hoso.people import aggregates, hooks
from hoso.people.models import EventKind, MemberEvent, ReportedCount

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
    start, end = quarter_bounds(year, quarter)
    units = [parent, *Organization.objects.get_children(parent)]
    reported = dict(
        ReportedCount.objects.filter(
            organization__in=units, year=year, quarter=quarter
        ).values_list("organization_id", "count")
    )
    for source in hooks.REPORTED_COUNTS:
        reported.update(source(units, year, quarter))
    rows = []
    for unit in units:
        moves = (
            MemberEvent.objects.filter(
                organization__path__startswith=unit.path,
                date__gte=start,
                date__lte=end,
                temporary=False,
            )
            .values("kind")
            .annotate(n=Count("id"))
        )
        counted = {m["kind"]: m["n"] for m in moves}
        rows.append(
            Row(
                unit,
                count_at(unit, start - dt.timedelta(days=1)),
                counted.get(EventKind.ADMISSION, 0),
                counted.get(EventKind.TRANSFER_IN, 0),
                counted.get(EventKind.TRANSFER_OUT, 0),
                counted.get(EventKind.DEATH, 0),
                counted.get(EventKind.LEFT, 0),
                count_at(unit, end),
                reported.get(unit.pk),
            )
        )
    return rows
