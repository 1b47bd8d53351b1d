"""Requests for verification help from other bodies (xác minh giúp, nghiên cứu giúp): the
queues, the counts of a period, the persons on record who may be the one concerned, the due
date and the answer's text (the changes are in hoso.vetting.actions.help)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.lib import vntext
from hoso.lib.workdays import Period, Unit
from hoso.people import identity
from hoso.people.models import Person
from hoso.vetting.models import HelpKind, HelpQuerySet, HelpRequest, HelpRule, HelpState
from hoso.vetting.transitions import HelpError
from hoso.workcal.service import deadline

OBJECT_TYPE = "vetting.help"  # what the incoming request and the answer belong to
ANSWER_KIND = "CV"  # the answer is a letter (công văn) of the handling office
CANDIDATES = 20  # persons on record proposed at most

Queue = Callable[[HelpQuerySet, Any, dt.date], HelpQuerySet]
QUEUES: dict[str, tuple[Any, Queue]] = {
    "mine": (_("Assigned to me"), lambda qs, u, d: qs.open().filter(assignee=u.pk)),
    "unassigned": (_("Not assigned"), lambda qs, u, d: qs.filter(state=HelpState.RECEIVED)),
    "open": (_("All open"), lambda qs, u, d: qs.open()),
    "overdue": (_("Overdue"), lambda qs, u, d: qs.overdue(d)),
    "answered": (_("Answered"), lambda qs, u, d: qs.filter(state=HelpState.ANSWERED)),
    "closed": (
        _("Declined or cancelled"),
        lambda qs, u, d: qs.filter(state__in=(HelpState.DECLINED, HelpState.CANCELLED)),
    ),
    "all": (_("All"), lambda qs, u, d: qs),
}


def period(kind: str) -> Period:
    rule = HelpRule.objects.filter(kind=kind).first()
    if rule is None:
        raise HelpError(_("No time to answer is configured for this kind of request."))
    return Period(rule.days, Unit.WORKING)


def due_from(kind: str, received_on: dt.date) -> dt.date:
    """The default due date: the kind's working days from the day received (workcal)."""
    return deadline(received_on, period(kind))


def counts(qs: HelpQuerySet, start: dt.date, end: dt.date) -> dict[str, Any]:
    """What the period's report says: received, answered (and on time), still open, and both
    figures by requesting body."""
    received, answered = qs.received_in(start, end), qs.answered_in(start, end)
    bodies: dict[str, dict[str, Any]] = {}
    for name, rows in (("received", received), ("answered", answered)):
        for row in rows.by_requester():
            body = bodies.setdefault(row["body"], {"body": row["body"], "received": 0})
            body.setdefault("answered", 0)
            body[name] = row["n"]
    return {
        "received": received.count(),
        "answered": answered.count(),
        "on_time": answered.filter(answered_on__lte=F("due_on")).count(),
        "open": received.open().count(),
        "by_requester": sorted(bodies.values(), key=lambda b: (-b["received"], b["body"])),
    }


def candidates(user: Any, hr: HelpRequest) -> list[Person]:
    """Persons on record the user may see who may be the one concerned: the identity rule's
    blocking key (folded name and year of birth, people/identity.py), those from the same home
    town first. Without a year of birth nobody is proposed (a name alone matches too many)."""
    if hr.subject_birth_year is None:
        return []
    found = list(
        Person.objects.filter(
            name_folded=vntext.fold(hr.subject_name),
            birth_year=hr.subject_birth_year,
            merged_into__isnull=True,
        )
        .filter(identity.seen_by(user))
        .order_by("pk")[:CANDIDATES]
    )
    return sorted(found, key=lambda p: not identity.same_place(p.home_town, hr.subject_home_town))


def may_take_over(user: Any, document: Any) -> bool:
    """May the user make this incoming document (belonging to nothing) a request for
    verification help: handle requests where it was received, cleared for its level."""
    return policy.can(
        user, policy.Action.CASE_MANAGE, document.organization, document.classification
    )


def may_name(user: Any, person: Person) -> bool:
    """A person may be named for a request only if the user sees them."""
    return Person.objects.filter(Q(pk=person.pk), identity.seen_by(user)).exists()


ASKED = {
    HelpKind.VERIFY: "xác minh giúp lý lịch",
    HelpKind.DOSSIER: "nghiên cứu, cung cấp hồ sơ",
}


def answer_summary(hr: HelpRequest) -> str:
    """The summary line of the answer (trích yếu)."""
    return f"V/v trả lời đề nghị {ASKED[HelpKind(hr.kind)]} {hr.subject_name}"[:500]


def answer_text(hr: HelpRequest, summary: str) -> str:
    """The body of the answer, paragraphs separated by empty lines: the request it answers,
    then what the officer wrote; hoso adds no finding of its own."""
    incoming = hr.incoming
    dated = f" ngày {incoming.sender_date:%d/%m/%Y}" if incoming.sender_date else ""
    who = hr.subject_name
    if hr.subject_birth_year:
        who += f", sinh năm {hr.subject_birth_year}"
    if hr.subject_home_town:
        who += f", quê quán {hr.subject_home_town}"
    return "\n\n".join(
        [
            f"Kính gửi: {hr.requester}.",
            f"Trả lời văn bản số {incoming.sender_reference}{dated} của {hr.requester} đề nghị"
            f" {ASKED[HelpKind(hr.kind)]} đối với {who}, {hr.organization.name} trả lời như sau:",
            *[p.strip() for p in summary.split("\n\n") if p.strip()],
        ]
    )
