"""Clock actions (the reads stay in hoso.vetting.clock)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from hoso.access.models import User
from hoso.lib.workdays import Unit, extend
from hoso.vetting.clock import ClockError
from hoso.vetting.models import Case, Pause
from hoso.workcal.service import calendar_around


def pause(case: Case, on: dt.date, reason: str, by: User) -> Pause:
    """Stop the clock (the caller saves the case and writes the audit event)."""
    if not case.version.pausable:
        raise ClockError(_("The time limit of this type of case cannot be paused."))
    if case.paused_since is not None:
        raise ClockError(_("The clock is already paused."))
    if not reason.strip():
        raise ClockError(_("Give the reason for the pause."))
    case.paused_since = on
    case.alert_version += 1  # a claim the worker made on the running clock is void
    return Pause.objects.create(
        case=case, started_on=on, reason=reason.strip(), due_before=case.due_on, started_by=by
    )


def resume(case: Case, on: dt.date) -> Pause:
    """Restart the clock: the due date moves by the paused time, in the period's own unit."""
    if case.paused_since is None:
        raise ClockError(_("The clock is not paused."))
    if on < case.paused_since:
        raise ClockError(_("The clock cannot restart before it stopped."))
    current = case.pauses.get(ended_on__isnull=True)
    unit = Unit(case.version.period_unit)
    case.due_on = extend(
        case.due_on, case.paused_since, on, unit, calendar_around(case.paused_since)
    )
    case.paused_since = None
    case.alert_version += 1  # the due date moved: a claim on the old one is void
    current.ended_on, current.due_after = on, case.due_on
    current.save(update_fields=["ended_on", "due_after"])
    return current
