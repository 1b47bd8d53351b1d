"""Until when a conclusion serves, and which conclusion is in force for a person.

A conclusion's own `valid_until` is set when it is recorded (from its type's rule); a later
ConclusionValidity, if any, replaces it (the latest one counts). In force on a day: not
superseded by a correction, and serving until that day or later (or without an end). These
are dates recorded by people, never a judgement about the person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Case as If
from django.db.models import DateField, Exists, F, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone

from hoso.people.models import Person
from hoso.people.rules import add_months
from hoso.vetting.models import CaseTypeVersion, Conclusion, ConclusionValidity


def valid_until_for(version: CaseTypeVersion, signed_on: dt.date) -> dt.date | None:
    """Until when a conclusion signed on that day serves by its type's rule (None: no end)."""
    months = version.validity_months
    return None if months is None else add_months(signed_on, months)


def with_validity(qs: QuerySet[Conclusion]) -> QuerySet[Conclusion]:
    """Annotate `serves_until`: the latest validity record's date, else the conclusion's own
    (None: without an end)."""
    latest = ConclusionValidity.objects.filter(conclusion=OuterRef("pk")).order_by(
        "-recorded_at", "-id"
    )
    # A record may say "without an end" (None), so Coalesce would not do: test for one.
    recorded = Exists(ConclusionValidity.objects.filter(conclusion=OuterRef("pk")))
    return qs.annotate(
        serves_until=If(
            When(recorded, then=Subquery(latest.values("valid_until")[:1])),
            default=F("valid_until"),
            output_field=DateField(),
        )
    )


def in_force(qs: QuerySet[Conclusion], on: dt.date | None = None) -> QuerySet[Conclusion]:
    day = on or timezone.localdate()
    qs = with_validity(qs.filter(superseded_by__isnull=True))
    return qs.filter(Q(serves_until__isnull=True) | Q(serves_until__gte=day))


def in_force_among(conclusions: list[Conclusion], on: dt.date | None = None) -> set[int]:
    """The ids of those in force among every conclusion of one case, read by with_validity:
    in_force's rule without a query (a correction supersedes a conclusion of its own case)."""
    day = on or timezone.localdate()
    superseded = {c.supersedes_id for c in conclusions}
    until = {c.pk: getattr(c, "serves_until") for c in conclusions}  # noqa: B009 (annotated)
    return {
        pk for pk, end in until.items() if pk not in superseded and (end is None or end >= day)
    }


def serves_until(conclusion: Conclusion) -> dt.date | None:
    record = conclusion.validity.order_by("-recorded_at", "-id").first()
    return conclusion.valid_until if record is None else record.valid_until


def latest_in_force(
    person_ids: Iterable[int],
    *,
    case_types: Iterable[str] | None = None,
    on: dt.date | None = None,
) -> dict[int, Conclusion]:
    """Person id -> their latest conclusion in force (optionally of the given case type
    codes), signed latest first, counting the records merged with each person (one human
    being, people/identity.py). Two queries for the whole batch."""
    records = _same_person(set(person_ids))
    qs = Conclusion.objects.filter(case__person__in=records).select_related("case")
    if case_types is not None:
        qs = qs.filter(case__case_type__code__in=list(case_types))
    found: dict[int, Conclusion] = {}
    for conclusion in in_force(qs, on).order_by("-signed_on", "-id"):
        for wanted in records[conclusion.case.person_id]:
            found.setdefault(wanted, conclusion)
    return found


def _same_person(ids: set[int]) -> dict[int, set[int]]:
    """Each record of the people asked for -> the ids asked for that it stands for: itself,
    the record it was merged into, the records merged into it."""
    rows = Person.objects.filter(
        Q(pk__in=ids) | Q(merged_into__in=ids) | Q(merged__in=ids)
    ).values_list("pk", "merged_into_id")
    records: dict[int, set[int]] = {pk: {pk} & ids for pk in ids}
    for pk, into in rows:
        mine = records.setdefault(pk, set())
        mine |= {pk, into} & ids
        if pk in ids and into is not None:
            records.setdefault(into, set()).add(pk)
    return records
