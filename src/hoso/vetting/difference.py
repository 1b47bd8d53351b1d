"""Re-vetting by difference: the earlier conclusion and what was recorded about the person since.

Only recorded facts are listed, each with its date and source; the officer decides what needs
verifying again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
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
from hoso.travel.models import Relation, Trip
from hoso.vetting.models import Case, CasePetition, Conclusion


@dataclass
class Since:
    conclusion: Conclusion
    sections: list[tuple[str, list[tuple[dt.date, str]]]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(rows) for _title, rows in self.sections)


def earlier_conclusion(person: Person, before: Case | None = None) -> Conclusion | None:
    """The person's latest conclusion still in force (not superseded), from another case."""
    qs = Conclusion.objects.filter(case__person=person, superseded_by__isnull=True)
    if before is not None:
        qs = qs.exclude(case=before)
    return qs.order_by("-signed_on", "-id").first()


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def since(person: Person, user: User, before: Case | None = None) -> Since | None:
    conclusion = earlier_conclusion(person, before)
    if conclusion is None:
        return None
    day = conclusion.signed_on
    found = Since(conclusion)
    member = getattr(person, "member", None)
    if member is not None:
        found.sections.append(
            (
                _("Annual supplements"),
                [
                    (s.declared_on, f"{s.year}: {s.changes}")
                    for s in AnnualSupplement.objects.filter(member=member, declared_on__gte=day)
                ],
            )
        )
        found.sections.append(
            (
                _("Life-cycle events and discipline"),
                [
                    (e.date, f"{e.get_kind_display()} {e.decision_number}".strip())
                    for e in MemberEvent.objects.filter(member=member, date__gte=day)
                ],
            )
        )
        found.sections.append(
            (
                _("Corrections of recorded data"),
                [
                    (_day(c.corrected_at), f"{c.object_type} · {c.approval}: {c.reason}")
                    for c in Correction.objects.filter(member=member, corrected_at__date__gte=day)
                ],
            )
        )
        found.sections.append(
            (
                _("Trips abroad and foreign relations"),
                [
                    (
                        t.decision_date or t.requested_on,
                        f"{t.countries} ({t.get_purpose_display()}), {t.get_state_display()}",
                    )
                    for t in Trip.objects.filter(member=member).filter(
                        Q(requested_on__gte=day) | Q(decision_date__gte=day)
                    )
                ]
                + [
                    (r.declared_on, f"{r.get_kind_display()}: {r.person_name} ({r.country})")
                    for r in Relation.objects.filter(member=member, declared_on__gte=day)
                ],
            )
        )
        found.sections.append(
            (
                _("Internal political matters log"),
                [
                    (m.recorded_on, f"{m.matter} ({m.source})")
                    for m in MatterEntry.objects.filter(
                        member=member, recorded_on__gte=day, classification__lte=user.clearance
                    )
                ],
            )
        )
    found.sections.append(
        (
            _("Resume: relatives recorded"),
            [
                (_day(r.recorded_at), f"{r.relationship}: {r.full_name}")
                for r in Relative.objects.filter(
                    person=person, recorded_at__date__gte=day
                ).select_related("relationship")
            ],
        )
    )
    found.sections.append(
        (
            _("Resume: biography entries recorded"),
            [
                (_day(b.recorded_at), f"{b.get_kind_display()}: {b.content}")
                for b in BiographyEntry.objects.filter(person=person, recorded_at__date__gte=day)
            ],
        )
    )
    found.sections.append(
        (
            _("Petitions"),
            [
                (p.received_on, f"{p.reference}: {p.summary}")
                for p in CasePetition.objects.filter(case__person=person, received_on__gte=day)
            ],
        )
    )
    found.sections = [(title, rows) for title, rows in found.sections if rows]
    return found
