"""Changes to the working-day calendar: installation-wide administrators only, audited."""

from __future__ import annotations

from django import forms
from django.db import transaction

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.workcal.models import SpecialDay


def save_day(actor: User, form: forms.ModelForm[SpecialDay], op: str) -> SpecialDay:
    """A holiday or substituted day added or changed, from a validated form."""
    policy.require_national(actor, policy.Action.CONFIG_MANAGE)
    with transaction.atomic():
        day = form.save()
        record(
            events.CALENDAR_CHANGED.code,
            actor=actor,
            obj=day,
            details={
                "op": op,
                "date": day.date.isoformat(),
                "kind": day.kind,
                "name": day.name,
                "confirmed": day.confirmed,
            },
        )
    return day


def remove_day(actor: User, day: SpecialDay) -> None:
    policy.require_national(actor, policy.Action.CONFIG_MANAGE)
    with transaction.atomic():
        record(
            events.CALENDAR_CHANGED.code,
            actor=actor,
            obj=day,
            details={"op": "removed", "date": day.date.isoformat(), "name": day.name},
        )
        day.delete()
