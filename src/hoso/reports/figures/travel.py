"""Indicators of members' travel abroad."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoso.access.policy import Action
from hoso.lib.periods import Period
from hoso.reports.indicators import TRAVEL, Indicator, register
from hoso.travel.models import Purpose, Trip

COLUMNS = (
    (_("member"), lambda t: t.member.person.full_name),
    (_("purpose"), lambda t: t.get_purpose_display()),
    (_("countries"), lambda t: t.countries),
    (_("planned departure"), lambda t: t.planned_from),
    (_("planned return"), lambda t: t.planned_to),
    (_("state"), lambda t: t.get_state_display()),
)


def _rows(user: Any) -> QuerySet[Trip]:
    return Trip.objects.visible_to(user).select_related("member__person")


def approved(user: Any, period: Period) -> QuerySet[Trip]:
    """Trips approved by decisions dated in the period."""
    return _rows(user).filter(approved=True, decision_date__range=(period.start, period.end))


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


def _indicator(code: str, label: Any, definition: Any, records: Any) -> Indicator:
    return Indicator(
        code=code,
        section=TRAVEL,
        label=label,
        definition=definition,
        action=Action.TRAVEL_VIEW,
        records=records,
        path="organization__path",
        by="purpose",
        categories=lambda: dict(Purpose.choices),
        columns=COLUMNS,
        link=lambda t: reverse("trip-detail", args=[t.pk]),
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
