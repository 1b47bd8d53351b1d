"""Re-vetting by difference: the earlier conclusion and what was recorded about the person since.

Only recorded facts are listed, each with its date and source; the officer decides what needs
verifying again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.access.models import User
from hoso.people.models import (
    AnnualSupplement,
    BiographyEntry,
    Correction,
    MatterEntry,
    MemberEvent,
    Person,
    Relative,
)
from hoso.vetting import validity
from hoso.vetting.models import Case, CasePetition, Conclusion


@dataclass
class Since:
    conclusion: Conclusion
    sections: list[tuple[str, list[tuple[dt.date, str]]]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(rows) for _title, rows in self.sections)


def earlier_conclusion(person: Person, before: Case | None = None) -> Conclusion | None:
    """The person's latest conclusion in force today (not superseded, still serving: see
    `validity`), from another case; annotated with `serves_until`."""
    qs = Conclusion.objects.filter(case__person=person).select_related("case")
    if before is not None:
        qs = qs.exclude(case=before)
    found: Conclusion | None = validity.in_force(qs).order_by("-signed_on", "-id").first()
    return found


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


# What was recorded about a person since a day: (order, function) pairs, each function giving
# a section's title and rows. Apps above vetting (travel) add theirs from AppConfig.ready().
Section = tuple[str, list[tuple[dt.date, str]]]
SECTIONS: list[tuple[int, Callable[[Person, Any, User, dt.date], Section]]] = []


def section(order: int) -> Callable[[Any], Any]:
    def add(builder: Callable[[Person, Any, User, dt.date], Section]) -> Any:
        SECTIONS.append((order, builder))
        SECTIONS.sort(key=lambda item: item[0])
        return builder

    return add


def since(person: Person, user: User, before: Case | None = None) -> Since | None:
    conclusion = earlier_conclusion(person, before)
    if conclusion is None:
        return None
    found = Since(conclusion)
    member = getattr(person, "member", None)
    for _order, builder in SECTIONS:
        title, rows = builder(person, member, user, conclusion.signed_on)
        if rows:
            found.sections.append((title, rows))
    return found


@section(10)
def _supplements(person: Person, member: Any, user: User, day: dt.date) -> Section:
    rows = AnnualSupplement.objects.filter(member=member, declared_on__gte=day) if member else []
    return _("Annual supplements"), [(s.declared_on, f"{s.year}: {s.changes}") for s in rows]


@section(20)
def _events(person: Person, member: Any, user: User, day: dt.date) -> Section:
    rows = MemberEvent.objects.filter(member=member, date__gte=day) if member else []
    return _("Life-cycle events and discipline"), [
        (e.date, f"{e.get_kind_display()} {e.decision_number}".strip()) for e in rows
    ]


@section(30)
def _corrections(person: Person, member: Any, user: User, day: dt.date) -> Section:
    rows = Correction.objects.filter(member=member, corrected_at__date__gte=day) if member else []
    return _("Corrections of recorded data"), [
        (_day(c.corrected_at), f"{c.object_type} · {c.approval}: {c.reason}") for c in rows
    ]


@section(50)
def _matters(person: Person, member: Any, user: User, day: dt.date) -> Section:
    rows = (
        MatterEntry.objects.filter(
            member=member, recorded_on__gte=day, classification__lte=user.clearance
        )
        if member
        else []
    )
    return _("Internal political matters log"), [
        (m.recorded_on, f"{m.matter} ({m.source})") for m in rows
    ]


@section(60)
def _relatives(person: Person, member: Any, user: User, day: dt.date) -> Section:
    rows = Relative.objects.filter(person=person, recorded_at__date__gte=day)
    return _("Resume: relatives recorded"), [
        (_day(r.recorded_at), f"{r.relationship}: {r.full_name}")
        for r in rows.select_related("relationship")
    ]


@section(70)
def _biography(person: Person, member: Any, user: User, day: dt.date) -> Section:
    rows = BiographyEntry.objects.filter(person=person, recorded_at__date__gte=day)
    return _("Resume: biography entries recorded"), [
        (_day(b.recorded_at), f"{b.get_kind_display()}: {b.content}") for b in rows
    ]


@section(80)
def _petitions(person: Person, member: Any, user: User, day: dt.date) -> Section:
    rows = CasePetition.objects.filter(case__person=person, received_on__gte=day)
    return _("Petitions"), [(p.received_on, f"{p.reference}: {p.summary}") for p in rows]
