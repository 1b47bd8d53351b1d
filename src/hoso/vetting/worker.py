"""The background worker: claims due and overdue items and notifies the people on them.

Claiming is a compare-and-swap on each item's `alert_version`, done a batch at a time:

    UPDATE … SET alert_version = v + 1, alert_claim = <token>, … WHERE id IN (…) AND
    alert_version = v

then the rows carrying this worker's token are the ones it won, and it writes their
notifications in the same transaction. A second worker that read the same version updates
nothing (PostgreSQL re-checks the condition once the first commits; SQLite runs writers one at
a time), so two workers never notify the same fact twice; a unique (user, fact) constraint
backs this up. Every change to a case's state or clock bumps its version too, so a claim made
on what the worker read before the change is void. Batches go in id order, so two workers lock
rows in the same order and cannot deadlock.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from hoso.access.models import User
from hoso.notices.models import Notification
from hoso.vetting.models import Case, RequestState, TeamMember, VerificationRequest

WARN_DAYS = 3  # a case "due soon" this many days before its time limit
DUE_SOON, OVERDUE = 1, 2
BATCH = 1000


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


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _claim(model: Any, wanted: dict[tuple[int, int], list[int]]) -> str:
    """Compare-and-swap each group {(seen version, stage): ids}; returns this claim's token."""
    token = uuid.uuid4().hex
    extra = {"alert_due_on": F("due_on")} if model is Case else {}
    for (seen, stage), ids in wanted.items():
        model.objects.filter(pk__in=ids, alert_version=seen).update(
            alert_version=seen + 1, alert_stage=stage, alert_claim=token, **extra
        )
    return token


def _recipients(case_ids: set[int]) -> dict[int, set[int]]:
    """Active users on each case: the officer in charge and the team."""
    people: dict[int, set[int]] = defaultdict(set)
    for case_id, user_id in Case.objects.filter(
        pk__in=case_ids, assignee__isnull=False
    ).values_list("pk", "assignee_id"):
        people[case_id].add(user_id)
    for case_id, user_id in TeamMember.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "user_id"
    ):
        people[case_id].add(user_id)
    everyone = {u for users in people.values() for u in users}
    active = set(User.objects.filter(pk__in=everyone, is_active=True).values_list("pk", flat=True))
    return {case_id: users & active for case_id, users in people.items()}


def _cases(today: dt.date, result: Pass) -> None:
    horizon = today + dt.timedelta(days=WARN_DAYS)
    not_yet = Q(alert_due_on__isnull=True) | ~Q(alert_due_on=F("due_on")) | Q(alert_stage__lt=1)
    not_yet |= Q(alert_stage__lt=OVERDUE, due_on__lt=today)
    candidates = Case.objects.open().filter(not_yet, paused_since__isnull=True, due_on__lte=horizon)
    ids = list(candidates.order_by("pk").values_list("pk", flat=True))
    for batch in _batches(ids):
        with transaction.atomic():
            wanted: dict[tuple[int, int], list[int]] = defaultdict(list)
            rows = Case.objects.filter(pk__in=batch).order_by("pk")
            for pk, seen, done, alerted_for, due in rows.values_list(
                "pk", "alert_version", "alert_stage", "alert_due_on", "due_on"
            ):
                stage = _stage(due, today)
                if stage > (done if alerted_for == due else 0):
                    wanted[(seen, stage)].append(pk)
            token = _claim(Case, wanted)
            won = list(
                Case.objects.filter(pk__in=batch, alert_claim=token).values_list(
                    "pk", "alert_stage", "due_on"
                )
            )
            people = _recipients({pk for pk, _s, _d in won})
            notices = [
                Notification(
                    user_id=user_id,
                    key=f"case:{pk}:{stage}:{due.isoformat()}",
                    text=_case_text(pk, stage, due),
                    url=reverse("case-detail", args=[pk]),
                )
                for pk, stage, due in won
                for user_id in people.get(pk, ())
            ]
            Notification.objects.bulk_create(notices)
            result.claimed += len(won)
            result.notifications += len(notices)


def _case_text(pk: int, stage: int, due: dt.date) -> str:
    text = (
        _("Case %(n)s is overdue (due %(day)s).")
        if stage == OVERDUE
        else _("Case %(n)s is due on %(day)s.")
    )
    return text % {"n": pk, "day": due.strftime("%d/%m/%Y")}


def _requests(today: dt.date, result: Pass) -> None:
    candidates = VerificationRequest.objects.filter(
        state=RequestState.OPEN, due_on__lt=today, alert_stage__lt=OVERDUE
    )
    ids = list(candidates.order_by("pk").values_list("pk", flat=True))
    for batch in _batches(ids):
        with transaction.atomic():
            wanted: dict[tuple[int, int], list[int]] = defaultdict(list)
            for pk, seen in (
                VerificationRequest.objects.filter(pk__in=batch, state=RequestState.OPEN)
                .order_by("pk")
                .values_list("pk", "alert_version")
            ):
                wanted[(seen, OVERDUE)].append(pk)
            token = _claim(VerificationRequest, wanted)
            won = list(
                VerificationRequest.objects.filter(pk__in=batch, alert_claim=token).values_list(
                    "pk", "case_id", "document__reference", "due_on"
                )
            )
            people = _recipients({case_id for _pk, case_id, _r, _d in won})
            notices = [
                Notification(
                    user_id=user_id,
                    key=f"request:{pk}:overdue",
                    text=_("No reply yet to request %(ref)s (due %(day)s).")
                    % {"ref": reference, "day": due.strftime("%d/%m/%Y")},
                    url=reverse("case-detail", args=[case_id]),
                )
                for pk, case_id, reference, due in won
                for user_id in people.get(case_id, ())
            ]
            Notification.objects.bulk_create(notices)
            result.claimed += len(won)
            result.notifications += len(notices)


def run_once(today: dt.date) -> Pass:
    result = Pass()
    _cases(today, result)
    _requests(today, result)
    return result
