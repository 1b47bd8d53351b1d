"""The background worker: claims due and overdue items and notifies the people on them.

Claiming is a compare-and-swap on the item's `alert_version`: a worker notifies only if its
UPDATE ... WHERE alert_version = <seen> changed the row, inside the same transaction as the
notifications. A second worker that saw the same version updates nothing (PostgreSQL re-reads
the row after the first commit), so two workers never notify the same fact twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from hoso.access.models import User
from hoso.notices.service import notify
from hoso.vetting.models import Case, RequestState, VerificationRequest

WARN_DAYS = 3  # a case "due soon" this many days before its time limit
DUE_SOON, OVERDUE = 1, 2


@dataclass
class Pass:
    claimed: int = 0
    notifications: int = 0


def _stage(due_on: dt.date, today: dt.date) -> int:
    if due_on < today:
        return OVERDUE
    if due_on <= today + dt.timedelta(days=WARN_DAYS):
        return DUE_SOON
    return 0


def _people(case: Case) -> set[User]:
    people = {member.user for member in case.team.select_related("user")}
    if case.assignee is not None:
        people.add(case.assignee)
    return {u for u in people if u.is_active}


def _claim(
    model: type[Case] | type[VerificationRequest], pk: int, seen: int, **changes: object
) -> bool:
    rows = model.objects.filter(pk=pk, alert_version=seen).update(alert_version=seen + 1, **changes)
    return rows == 1


def _cases(today: dt.date, result: Pass) -> None:
    horizon = today + dt.timedelta(days=WARN_DAYS)
    not_yet = Q(alert_due_on__isnull=True) | ~Q(alert_due_on=F("due_on")) | Q(alert_stage__lt=1)
    not_yet |= Q(alert_stage__lt=OVERDUE, due_on__lt=today)
    candidates = Case.objects.open().filter(not_yet, paused_since__isnull=True, due_on__lte=horizon)
    for case in candidates.select_related("assignee").iterator():
        stage = _stage(case.due_on, today)
        done = case.alert_stage if case.alert_due_on == case.due_on else 0
        if stage <= done:
            continue
        with transaction.atomic():
            if not _claim(
                Case, case.pk, case.alert_version, alert_stage=stage, alert_due_on=case.due_on
            ):
                continue
            text = (_("Case %(n)s is overdue (due %(day)s).") if stage == OVERDUE
                    else _("Case %(n)s is due on %(day)s."))  # fmt: skip
            result.claimed += 1
            result.notifications += notify(
                _people(case),
                f"case:{case.pk}:{stage}:{case.due_on.isoformat()}",
                text % {"n": case.pk, "day": case.due_on.strftime("%d/%m/%Y")},
                reverse("case-detail", args=[case.pk]),
            )


def _requests(today: dt.date, result: Pass) -> None:
    candidates = VerificationRequest.objects.filter(
        state=RequestState.OPEN, due_on__lt=today, alert_stage__lt=OVERDUE
    ).select_related("case", "case__assignee", "document")
    for vr in candidates.iterator():
        with transaction.atomic():
            if not _claim(VerificationRequest, vr.pk, vr.alert_version, alert_stage=OVERDUE):
                continue
            result.claimed += 1
            result.notifications += notify(
                _people(vr.case),
                f"request:{vr.pk}:overdue",
                _("No reply yet to request %(ref)s (due %(day)s).")
                % {"ref": vr.document.reference, "day": vr.due_on.strftime("%d/%m/%Y")},
                reverse("case-detail", args=[vr.case_id]),
            )


def run_once(today: dt.date) -> Pass:
    result = Pass()
    _cases(today, result)
    _requests(today, result)
    return result
