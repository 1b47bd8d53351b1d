"""Trips, long stays abroad and foreign relations recorded since an earlier conclusion, for
re-vetting by difference (vetting/difference.py); registered from TravelConfig.ready()."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from hoso.access.models import User
from hoso.people.models import Person
from hoso.travel.models import Relation, Stay, StayState, Trip
from hoso.vetting.difference import Section, section


@section(40)
def trips_and_relations(person: Person, member: Any, user: User, day: dt.date) -> Section:
    if member is None:
        return _("Trips abroad and foreign relations"), []
    trips = Trip.objects.filter(member=member).filter(
        Q(requested_on__gte=day) | Q(decision_date__gte=day)
    )
    relations = Relation.objects.filter(member=member, declared_on__gte=day)
    return _("Trips abroad and foreign relations"), [
        (
            t.decision_date or t.requested_on,
            f"{t.countries} ({t.get_purpose_display()}), {t.get_state_display()}",
        )
        for t in trips
    ] + [
        (r.declared_on, f"{r.get_kind_display()}: {r.person_name} ({r.country})") for r in relations
    ]


@section(45)
def long_stays(person: Person, member: Any, user: User, day: dt.date) -> Section:
    """Stays that began, were recorded or ended since the day (not those cancelled)."""
    title = _("Long stays abroad (work, study)")
    if member is None:
        return title, []
    stays = (
        Stay.objects.filter(member=member)
        .exclude(state=StayState.CANCELLED)
        .filter(Q(since__gte=day) | Q(created_at__date__gte=day) | Q(returned_on__gte=day))
    )
    rows = []
    for s in stays.order_by("since", "id"):
        text = (
            f"{s.get_kind_display()}: {s.country}, {s.place} ({s.decision_number},"
            f" {s.decision_issuer}); {s.managing_body}"
        )
        back = (
            _("returned %(day)s") % {"day": f"{s.returned_on:%d/%m/%Y}"}
            if s.returned_on
            else (_("planned return %(day)s") % {"day": f"{s.planned_return:%d/%m/%Y}"})
        )
        rows.append((s.since, f"{text}; {back}"))
    return title, rows
