"""Indicators of members' travel abroad."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoso.access.policy import Action
from hoso.cadres.models import ManagementCategory
from hoso.lib.periods import Period
from hoso.reports.indicators import TRAVEL, Column, Indicator, register
from hoso.travel.models import Destination, Purpose, Trip

COLUMNS = (
    (_("member"), lambda t: t.member.person.full_name),
    (_("purpose"), lambda t: t.get_purpose_display()),
    (_("countries"), lambda t: t.countries),
    (_("planned departure"), lambda t: t.planned_from),
    (_("planned return"), lambda t: t.planned_to),
    (_("state"), lambda t: t.get_state_display()),
)


def _of_trip(cell: Callable[[Trip], Any]) -> Callable[[Destination], Any]:
    return lambda d: cell(d.trip)


DESTINATION_COLUMNS: tuple[Column, ...] = (
    (_("country"), lambda d: d.country),
    *((header, _of_trip(cell)) for header, cell in COLUMNS),
)


def _rows(user: Any) -> QuerySet[Trip]:
    return Trip.objects.visible_to(user).select_related("member__person")


def approved(user: Any, period: Period) -> QuerySet[Trip]:
    """Trips approved by decisions dated in the period."""
    return _rows(user).filter(approved=True, decision_date__range=(period.start, period.end))


def destinations(user: Any, period: Period) -> QuerySet[Destination]:
    """The countries of the trips approved in the period: a trip to two countries counts
    under each."""
    trips = approved(user, period).values("pk")
    return Destination.objects.filter(trip__in=trips).select_related("trip__member__person")


def categories() -> dict[str, Any]:
    return dict(ManagementCategory.objects.filter(active=True).values_list("code", "name"))


def report_overdue(user: Any, period: Period) -> QuerySet[Trip]:
    """The member's report after the trip was due before the end of the period and had not
    been received by then."""
    end = period.end
    late = Q(report_received_on__isnull=True) | Q(report_received_on__gt=end)
    return _rows(user).filter(report_due_on__lt=end).filter(late)


def passport_overdue(user: Any, period: Period) -> QuerySet[Trip]:
    """The passport was due back before the end of the period and not handed back by then."""
    end = period.end
    late = Q(passport_returned_on__isnull=True) | Q(passport_returned_on__gt=end)
    return _rows(user).filter(passport_due_on__lt=end).filter(late)


def _indicator(code: str, label: Any, definition: Any, records: Any, **by: Any) -> Indicator:
    return Indicator(
        code=code,
        section=TRAVEL,
        label=label,
        definition=definition,
        action=Action.TRAVEL_VIEW,
        records=records,
        path="organization__path",
        columns=COLUMNS,
        link=lambda t: reverse("trip-detail", args=[t.pk]),
        **(by or {"by": "purpose", "categories": lambda: dict(Purpose.choices)}),
    )


def register_all() -> None:
    register(
        _indicator(
            "trips.approved",
            _("Trips abroad approved"),
            _("Trips approved by a decision dated in the period, by purpose."),
            approved,
        ),
        _indicator(
            "trips.approved_by_category",
            _("Trips abroad approved, by the traveller's management category"),
            _(
                "Trips approved by a decision dated in the period, by the management category"
                " (diện quản lý) of the traveller as a cadre today; a traveller who is not a"
                " cadre counts as not recorded."
            ),
            approved,
            by="member__person__cadre__category__code",
            by_label="member__person__cadre__category__name",
            categories=categories,
        ),
        Indicator(
            code="trips.approved_by_country",
            section=TRAVEL,
            label=_("Trips abroad approved, by country"),
            definition=_(
                "Trips approved by a decision dated in the period, by country visited, as"
                " typed on the trip; a trip to two countries counts under each, so the"
                " countries add up to more than the trips."
            ),
            action=Action.TRAVEL_VIEW,
            records=destinations,
            path="trip__organization__path",
            by="country",
            columns=DESTINATION_COLUMNS,
            link=lambda d: reverse("trip-detail", args=[d.trip_id]),
        ),
        _indicator(
            "trips.report_overdue",
            _("Reports after a trip overdue at the end of the period"),
            _("Trips whose report was due before the end of the period and not received then."),
            report_overdue,
        ),
        _indicator(
            "trips.passport_overdue",
            _("Passports not handed back at the end of the period"),
            _("Trips whose passport was due back before the end of the period and was not."),
            passport_overdue,
        ),
    )
