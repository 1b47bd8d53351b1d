"""Indicators of petitions (đơn thư). The petitioner's identity is sealed: never a column."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoso.access.policy import Action
from hoso.lib.periods import Period
from hoso.petitions.models import Kind, Outcome, Petition, Reason, State
from hoso.reports.indicators import PETITIONS, Indicator, register

COLUMNS = (
    (_("reference"), lambda p: p.reference),
    (_("received on"), lambda p: p.received_on),
    (_("kind"), lambda p: p.get_kind_display()),
    (_("state"), lambda p: p.get_state_display()),
    (_("due by"), lambda p: p.due_on),
)


def _rows(user: Any) -> QuerySet[Petition]:
    return Petition.objects.visible_to(user).select_related("incoming")


def received(user: Any, period: Period) -> QuerySet[Petition]:
    return _rows(user).filter(received_on__range=(period.start, period.end))


def not_handled(user: Any, period: Period) -> QuerySet[Petition]:
    """Received in the period and closed without handling, with the reason recorded."""
    closed = Q(state=State.NOT_HANDLED) | Q(state=State.CLOSED, reason__gt="")
    return received(user, period).filter(closed)


def forwarded(user: Any, period: Period) -> QuerySet[Petition]:
    return received(user, period).exclude(forwarded_to="")


def accepted(user: Any, period: Period) -> QuerySet[Petition]:
    return _rows(user).filter(accepted_on__range=(period.start, period.end))


def concluded(user: Any, period: Period) -> QuerySet[Petition]:
    return _rows(user).filter(concluded_on__range=(period.start, period.end))


def overdue(user: Any, period: Period) -> QuerySet[Petition]:
    """Accepted by the end of the period, not concluded nor closed by then, the time limit
    (as now recorded, after extensions) passed before that day, the clock not paused."""
    end = period.end
    return (
        _rows(user)
        .filter(accepted_on__lte=end, due_on__lt=end, paused_since__isnull=True)
        .exclude(concluded_on__lte=end)
        .exclude(closed_on__lte=end)
    )


def _indicator(code: str, label: Any, definition: Any, records: Any, **kw: Any) -> Indicator:
    return Indicator(
        code=code,
        section=PETITIONS,
        label=label,
        definition=definition,
        action=Action.PETITION_VIEW,
        records=records,
        path="organization__path",
        columns=COLUMNS,
        link=lambda p: reverse("petition-detail", args=[p.pk]),
        **kw,
    )


def register_all() -> None:
    kinds = {"by": "kind", "categories": lambda: dict(Kind.choices)}
    register(
        _indicator(
            "petitions.received",
            _("Petitions received"),
            _("Petitions received in the period, by kind (blank: not classified yet)."),
            received,
            **kinds,
        ),
        _indicator(
            "petitions.not_handled",
            _("Petitions not handled"),
            _("Petitions received in the period and closed without handling, by the reason."),
            not_handled,
            by="reason",
            categories=lambda: dict(Reason.choices),
        ),
        _indicator(
            "petitions.forwarded",
            _("Petitions forwarded"),
            _("Petitions received in the period and forwarded to the competent body."),
            forwarded,
        ),
        _indicator(
            "petitions.accepted",
            _("Petitions accepted for handling"),
            _("Petitions accepted for handling in the period, by kind."),
            accepted,
            **kinds,
        ),
        _indicator(
            "petitions.concluded",
            _("Petitions concluded"),
            _("Petitions whose conclusion was signed in the period, by the outcome recorded."),
            concluded,
            by="outcome",
            categories=lambda: dict(Outcome.choices),
        ),
        _indicator(
            "petitions.overdue",
            _("Petitions overdue at the end of the period"),
            _(
                "Petitions accepted by the end of the period and neither concluded nor closed"
                " by then, whose time limit passed before that day (clock not paused)."
            ),
            overdue,
            **kinds,
        ),
    )
