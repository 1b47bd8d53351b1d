"""What falls due in travel, for the worker (notices/due.py): the written report after a trip
abroad, due a configured number of working days after the return (TravelRule); and the return
of a member from a long stay abroad, once its planned date has passed with no return recorded
(told once; a corrected planned return is a new date, told again when it passes). Registered
from TravelConfig.ready().

Those told are the accounts that may act on the trip (travel.manage) nearest to the member's
organization: `access.policy.responsible`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.lib import vntext
from hoso.lib.workdays import Period, Unit
from hoso.notices.due import OVERDUE, Item, Source
from hoso.travel.models import Stay, StayState, Trip, TripState

_NAME = ("member__person__family_name", "member__person__middle_name", "member__person__given_name")


def _returned(today: dt.date) -> QuerySet[Any]:
    return Trip.objects.filter(state=TripState.RETURNED, report_due_on__isnull=False)


def _text(item: Item) -> str:
    text = (
        _("The report on the trip abroad of %(name)s is overdue (due %(day)s).")
        if item.stage == OVERDUE
        else _("The report on the trip abroad of %(name)s is due by %(day)s.")
    )
    name = vntext.Name(*(item.row[part] for part in _NAME)).full
    return text % {"name": name, "day": item.due.strftime("%d/%m/%Y")}


REPORTS = Source(
    name="trip-report",
    model=Trip,
    deadline=F("report_due_on"),
    candidates=_returned,
    recipients=lambda items: policy.responsible(
        policy.Action.TRAVEL_MANAGE,
        {item.pk: (item.row["organization__path"], 0) for item in items},
    ),
    text=_text,
    url=lambda item: reverse("trip-detail", args=[item.pk]),
    fields=("organization__path", *_NAME),
)


def _abroad(today: dt.date) -> QuerySet[Any]:
    return Stay.objects.filter(state=StayState.ABROAD)


def _stay_text(item: Item) -> str:
    name = vntext.Name(*(item.row[part] for part in _NAME)).full
    return _("%(name)s was due back from %(country)s on %(day)s; no return is recorded.") % {
        "name": name,
        "country": item.row["country"],
        "day": item.due.strftime("%d/%m/%Y"),
    }


STAY_RETURNS = Source(
    name="stay-return",
    model=Stay,
    deadline=F("planned_return"),
    candidates=_abroad,
    recipients=lambda items: policy.responsible(
        policy.Action.TRAVEL_MANAGE,
        {item.pk: (item.row["organization__path"], 0) for item in items},
    ),
    text=_stay_text,
    url=lambda item: reverse("stay-detail", args=[item.pk]),
    fields=("organization__path", "country", *_NAME),
    warn_days=None,  # overdue only: the planned return is a plan, not a time limit
)


def periods() -> list[Period]:
    """The report's and the passport's time limits after a return (workcal.horizons)."""
    from hoso.travel.models import TravelRule

    rows = TravelRule.objects.values_list("report_days", "passport_days")
    return [Period(d, Unit.WORKING) for pair in rows for d in pair]
