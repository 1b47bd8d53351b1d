"""Actions and queries of the books: annual supplements, the matters log, handovers."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from hoso.access import policy
from hoso.people.models import (
    ACTIVE_STATUSES,
    AnnualSupplement,
    Handover,
    MatterEntry,
    Member,
)

MANAGE = policy.Action.MEMBER_MANAGE


def supplements_due(qs: QuerySet[Member], year: int) -> QuerySet[Member]:
    """Current members whose supplement for `year` is missing or not yet certified."""
    certified = AnnualSupplement.objects.filter(
        member=OuterRef("pk"), year=year, certified_on__isnull=False
    )
    declared = AnnualSupplement.objects.filter(member=OuterRef("pk"), year=year)
    return (
        qs.filter(status__in=ACTIVE_STATUSES)
        .exclude(Exists(certified))
        .annotate(declared=Exists(declared))
    )


def to_certify(qs: QuerySet[Member], year: int) -> QuerySet[Member]:
    """Current members whose supplement for `year` is declared and waits to be certified."""
    waiting = AnnualSupplement.objects.filter(
        member=OuterRef("pk"), year=year, certified_on__isnull=True
    )
    return qs.filter(status__in=ACTIVE_STATUSES).filter(Exists(waiting))


def matters_filter(qs: QuerySet[MatterEntry], text: str) -> QuerySet[MatterEntry]:
    if not text.strip():
        return qs
    return qs.filter(
        Q(subject__icontains=text) | Q(matter__icontains=text) | Q(source__icontains=text)
    )


def totals(handover: Handover) -> dict[str, Any]:
    return handover.items.aggregate(
        dossiers=Count("id"), documents=Sum("documents"), pages=Sum("pages")
    )
