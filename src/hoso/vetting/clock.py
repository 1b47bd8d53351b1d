"""The time limit of a case: due date, pauses, forecast of breaches."""

from __future__ import annotations

import datetime as dt

from hoso.lib.workdays import Period, Unit
from hoso.vetting.models import CaseTypeVersion
from hoso.vetting.models.cases import CaseQuerySet
from hoso.workcal.service import deadline


class ClockError(ValueError):
    pass


def due_from(version: CaseTypeVersion, received_on: dt.date) -> dt.date:
    return deadline(received_on, version.period)


def breaching(cases: CaseQuerySet, today: dt.date, days: int = 7) -> CaseQuerySet:
    """Open, running cases whose time limit falls within the next `days` days."""
    return cases.open().filter(
        paused_since__isnull=True,
        due_on__gte=today,
        due_on__lte=today + dt.timedelta(days=days),
    )


def overdue(cases: CaseQuerySet, today: dt.date) -> CaseQuerySet:
    return cases.open().filter(paused_since__isnull=True, due_on__lt=today)


def periods() -> list[Period]:
    """The time limits of every case type (each version: an open case keeps its own), of a
    verification request's reply and of a request for verification help (workcal.horizons)."""
    from hoso.vetting.models import HelpRule

    found = [
        Period(days, Unit(unit))
        for days, unit in CaseTypeVersion.objects.values_list("period_days", "period_unit")
    ]
    found += [
        Period(d, Unit.WORKING)
        for d in CaseTypeVersion.objects.values_list("reply_days", flat=True)
    ]
    found += [Period(d, Unit.WORKING) for d in HelpRule.objects.values_list("days", flat=True)]
    return found
