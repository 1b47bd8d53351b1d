"""The background worker: claims due and overdue items and notifies the people on them.

Claiming is a compare-and-swap on the item's `alert_version`: a worker notifies only if its
UPDATE ... WHERE alert_version = <seen> changed the row, inside the same transaction as the
notifications. A second worker that saw the same version updates nothing (PostgreSQL re-reads
the row after the first commit), so two workers never notify the same fact twice. Items are
claimed in batches, in id order (so two workers lock rows in the same order and never
deadlock), one transaction per batch: a backlog costs one commit per batch, not per item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from hoso.access.models import User
from hoso.notices.models import Notification
from hoso.notices.service import build
from hoso.vetting.models import Case, RequestState, VerificationRequest

WARN_DAYS = 3  # a case "due soon" this many days before its time limit
DUE_SOON, OVERDUE = 1, 2
BATCH = 500


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
    people = {member.user for member in case.team.all()}
    if case.assignee is not None:
        people.add(case.assignee)
    return {u for u in people if u.is_active}


def _claim(model: Any, pk: int, seen: int, **changes: object) -> bool:
    rows = model.objects.filter(pk=pk, alert_version=seen).update(alert_version=seen + 1, **changes)
    return bool(rows == 1)


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _cases(today: dt.date, result: Pass) -> None:
    horizon = today + dt.timedelta(days=WARN_DAYS)
    not_yet = Q(alert_due_on__isnull=True) | ~Q(alert_due_on=F("due_on")) | Q(alert_stage__lt=1)
    not_yet |= Q(alert_stage__lt=OVERDUE, due_on__lt=today)
    candidates = Case.objects.open().filter(not_yet, paused_since__isnull=True, due_on__lte=horizon)
    ids = list(candidates.order_by("pk").values_list("pk", flat=True))
    for batch in _batches(ids):
        cases = (
            Case.objects.filter(pk__in=batch)
            .select_related("assignee")
            .prefetch_related("team__user")
            .order_by("pk")
        )
        with transaction.atomic():
            notices: list[Notification] = []
            for case in cases:
                stage = _stage(case.due_on, today)
                done = case.alert_stage if case.alert_due_on == case.due_on else 0
                if stage <= done or not _claim(
                    Case, case.pk, case.alert_version, alert_stage=stage, alert_due_on=case.due_on
                ):
                    continue
                result.claimed += 1
                text = (
                    _("Case %(n)s is overdue (due %(day)s).")
                    if stage == OVERDUE
                    else _("Case %(n)s is due on %(day)s.")
                )
                notices += build(
                    _people(case),
                    f"case:{case.pk}:{stage}:{case.due_on.isoformat()}",
                    text % {"n": case.pk, "day": case.due_on.strftime("%d/%m/%Y")},
                    reverse("case-detail", args=[case.pk]),
                )
            Notification.objects.bulk_create(notices)
            result.notifications += len(notices)


def _requests(today: dt.date, result: Pass) -> None:
    candidates = VerificationRequest.objects.filter(
        state=RequestState.OPEN, due_on__lt=today, alert_stage__lt=OVERDUE
    )
    ids = list(candidates.order_by("pk").values_list("pk", flat=True))
    for batch in _batches(ids):
        requests = (
            VerificationRequest.objects.filter(pk__in=batch)
            .select_related("case__assignee", "document")
            .prefetch_related("case__team__user")
            .order_by("pk")
        )
        with transaction.atomic():
            notices: list[Notification] = []
            for vr in requests:
                if not _claim(VerificationRequest, vr.pk, vr.alert_version, alert_stage=OVERDUE):
                    continue
                result.claimed += 1
                notices += build(
                    _people(vr.case),
                    f"request:{vr.pk}:overdue",
                    _("No reply yet to request %(ref)s (due %(day)s).")
                    % {"ref": vr.document.reference, "day": vr.due_on.strftime("%d/%m/%Y")},
                    reverse("case-detail", args=[vr.case_id]),
                )
            Notification.objects.bulk_create(notices)
            result.notifications += len(notices)


def run_once(today: dt.date) -> Pass:
    result = Pass()
    _cases(today, result)
    _requests(today, result)
    return result
