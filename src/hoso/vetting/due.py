"""What falls due in vetting, for the worker (notices/due.py): cases near or past their time
limit, verification requests past their reply date, and requests for verification help from
other bodies near or past their answer's due date. Registered from VettingConfig.ready().

The people on a case are told: the officer in charge and the team (active accounts). A request
for help tells its officer in charge; one not assigned yet, those who may assign it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.models import User
from hoso.notices.due import OVERDUE, Item, Source
from hoso.vetting.models import (
    Case,
    HelpRequest,
    RequestState,
    TeamMember,
    VerificationRequest,
)


def _day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _on_cases(case_ids: set[int]) -> dict[int, set[int]]:
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


# ---- cases: due within 3 days, then overdue; paused cases are not chased -------------------


def _open_cases(today: dt.date) -> QuerySet[Any]:
    return Case.objects.open().filter(paused_since__isnull=True)


def _case_text(item: Item) -> str:
    text = (
        _("Case %(n)s is overdue (due %(day)s).")
        if item.stage == OVERDUE
        else _("Case %(n)s is due on %(day)s.")
    )
    return text % {"n": item.pk, "day": _day(item.due)}


CASES = Source(
    name="case",
    model=Case,
    deadline=F("due_on"),
    candidates=_open_cases,
    recipients=lambda items: _on_cases({item.pk for item in items}),
    text=_case_text,
    url=lambda item: reverse("case-detail", args=[item.pk]),
)


# ---- verification requests: overdue only; the reply date does not move ----------------------


def _open_requests(today: dt.date) -> QuerySet[Any]:
    return VerificationRequest.objects.filter(state=RequestState.OPEN)


def _request_recipients(items: list[Item]) -> dict[int, set[int]]:
    people = _on_cases({item.row["case_id"] for item in items})
    return {item.pk: people.get(item.row["case_id"], set()) for item in items}


REQUESTS = Source(
    name="request",
    model=VerificationRequest,
    deadline=F("due_on"),
    candidates=_open_requests,
    recipients=_request_recipients,
    text=lambda item: (
        _("No reply yet to request %(ref)s (due %(day)s).")
        % {"ref": item.row["document__reference"], "day": _day(item.due)}
    ),
    url=lambda item: reverse("case-detail", args=[item.row["case_id"]]),
    fields=("case_id", "document__reference"),
    warn_days=None,
    moving=False,
    key=lambda item: f"request:{item.pk}:overdue",
)


# ---- requests for verification help: due within 3 days, then overdue -----------------------


def _open_help(today: dt.date) -> QuerySet[Any]:
    return HelpRequest.objects.open()


def _help_recipients(items: list[Item]) -> dict[int, set[int]]:
    """The officer in charge while active; otherwise (not assigned yet, or the account closed)
    those nearest the request who may assign it."""
    assignees = {item.row["assignee_id"] for item in items if item.row["assignee_id"]}
    active = set(User.objects.filter(pk__in=assignees, is_active=True).values_list("pk", flat=True))
    people = {item.pk: {item.row["assignee_id"]} & active for item in items}
    orphans = {
        item.pk: (item.row["organization__path"], item.row["classification"])
        for item in items
        if not people[item.pk]
    }
    people.update(policy.responsible(policy.Action.CASE_DIRECT, orphans))
    return people


def _help_text(item: Item) -> str:
    text = (
        _("Request for verification help %(ref)s (%(who)s) is overdue (due %(day)s).")
        if item.stage == OVERDUE
        else _("Request for verification help %(ref)s (%(who)s) is due on %(day)s.")
    )
    return text % {
        "ref": f"{item.row['incoming__arrival_number']}/{item.row['incoming__year']}",
        "who": item.row["subject_name"],
        "day": _day(item.due),
    }


HELP = Source(
    name="help",
    model=HelpRequest,
    deadline=F("due_on"),
    candidates=_open_help,
    recipients=_help_recipients,
    text=_help_text,
    url=lambda item: reverse("help-detail", args=[item.pk]),
    fields=(
        "assignee_id",
        "organization__path",
        "classification",
        "subject_name",
        "incoming__arrival_number",
        "incoming__year",
    ),
)
