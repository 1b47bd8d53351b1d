"""Indicators of Party members: life-cycle events in the period, and the membership as the
records stand now (by status; by sex, age band, ethnicity, religion, education: attributes of
persons, shown only to roles that may reveal sensitive fields, each read audited).

The six stocks are served by people's exact member aggregates (people/aggregates.py): an
organization's figure is its counter rows, its breakdown its children's rows, the same
numbers as the grouped queries over the members (tests/reports/test_member_aggregates.py).
The drill-down still lists the member records through `records`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Case, CharField, QuerySet, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.policy import Action
from hoso.lib.periods import Period
from hoso.orgs.models import Organization
from hoso.people import aggregates
from hoso.people.models import Dimension, EventKind, Member, MemberEvent, MemberStatus, Sex
from hoso.reports.compute import Category, Part
from hoso.reports.indicators import MEMBERS, Indicator, register

IN_PARTY = (
    MemberStatus.PROBATIONARY,
    MemberStatus.OFFICIAL,
    MemberStatus.EXEMPTED,
    MemberStatus.SUSPENDED,
)
MEMBER_COLUMNS = (
    (_("name"), lambda m: m.person.full_name),
    (_("organization"), lambda m: m.organization.name),
    (_("status"), lambda m: m.get_status_display()),
)
EVENT_COLUMNS = (
    (_("name"), lambda e: e.member.person.full_name),
    (_("event"), lambda e: e.get_kind_display()),
    (_("date"), lambda e: e.date),
    (_("organization"), lambda e: e.organization.name),
    (_("decision number"), lambda e: e.decision_number),
)
EVENTS = (
    EventKind.ADMISSION,
    EventKind.OFFICIAL,
    EventKind.TRANSFER_IN,
    EventKind.TRANSFER_OUT,
    EventKind.DEATH,
    EventKind.LEFT,
)
# Age bands at the end of the period, from the year of birth.
BANDS = {
    "30": _("30 and under"),
    "31-40": _("31 to 40"),
    "41-50": _("41 to 50"),
    "51-60": _("51 to 60"),
    "61": _("over 60"),
}
# (age reached at most, band), youngest first; older than the last: "61".
BAND_LIMITS = ((30, "30"), (40, "31-40"), (50, "41-50"), (60, "51-60"))


def events(user: Any, period: Period) -> QuerySet[MemberEvent]:
    """Admissions, recognitions, transfers (not temporary), deaths and leavings dated in the
    period, under the organization where they happened (a transfer out: the one left)."""
    return (
        MemberEvent.objects.visible_to(user)
        .filter(kind__in=EVENTS, date__range=(period.start, period.end), temporary=False)
        .select_related("member__person", "organization")
    )


def members(user: Any, period: Period) -> QuerySet[Member]:
    """Every member record kept, whatever its status (the period does not apply)."""
    return Member.objects.visible_to(user).select_related("person", "organization")


def in_party(user: Any, period: Period) -> QuerySet[Member]:
    """Members in the Party now (probationary, official, exempted, suspended)."""
    return members(user, period).filter(status__in=IN_PARTY)


def with_age_band(user: Any, period: Period) -> QuerySet[Member]:
    band = Case(
        When(person__birth_year__isnull=True, then=Value("")),
        *(
            When(**{"person__birth_year__gte": period.end.year - age}, then=Value(key))
            for age, key in BAND_LIMITS
        ),
        default=Value("61"),
        output_field=CharField(),
    )
    return in_party(user, period).annotate(band=band)


def band_of(birth_year: str, end_year: int) -> str:
    """The band of a year of birth as the aggregates store it ("" when not recorded)."""
    if not birth_year:
        return ""
    year = int(birth_year)
    return next((key for age, key in BAND_LIMITS if year >= end_year - age), "61")


# ---- served by the member aggregates ---------------------------------------------------------

Counts = dict[str, int]
Served = tuple[int, list[Category], list[Part] | None]


def _banded(by_year: Counts, end_year: int) -> Counts:
    bands: Counts = {}
    for year, n in by_year.items():
        key = band_of(year, end_year)
        bands[key] = bands.get(key, 0) + n
    return bands


def _categories(indicator: Indicator, counts: Counts) -> list[Category]:
    """As compute's grouped path orders them: the known values, then the others by name with
    "not recorded" last."""
    known = indicator.categories() if indicator.categories else {}
    others = sorted((v for v in counts if v not in known), key=lambda v: (v == "", v))
    return [
        Category(value, indicator.label_for(value, value), counts.get(value, 0))
        for value in [*known, *others]
    ]


def _parts(org: Organization, children: list[Organization], mine: Counts, found: Any) -> list[Part]:
    """The organizations directly below (open ones, and closed ones still counting members),
    and the members kept at `org` itself: its subtree's counts less its children's."""
    below = []
    for child in children:
        by = found(child)
        n = sum(by.values())
        if child.is_open or n:
            below.append(Part(child, n, by))
    here = {v: n - sum(p.by.get(v, 0) for p in below) for v, n in mine.items()}
    here = {v: n for v, n in here.items() if n}
    return [Part(None, sum(here.values()), here), *below] if here else below


def _from_aggregates(dimension: str, *, banded: bool = False) -> Callable[..., Served | None]:
    def serve(
        indicator: Indicator, user: Any, org: Organization, period: Period, parts: bool
    ) -> Served | None:
        # The counters count every member of the subtree: they serve a viewer who sees the
        # whole subtree (else the grouped query counts what the viewer sees).
        if not any(org.path.startswith(p) for p in policy.scope_paths(user, Action.MEMBER_VIEW)):
            return None
        below = {"path__startswith": org.path, "depth": org.depth + 1}
        children = list(Organization.objects.filter(**below).order_by("path")) if parts else []
        found = aggregates.counts_of([org.pk, *(c.pk for c in children)], dimension)

        def values(node: Organization) -> Counts:
            counts = found.get(node.pk, {})
            return _banded(counts, period.end.year) if banded else counts

        mine = values(org)
        categories = _categories(indicator, mine)
        total = sum(c.n for c in categories)
        return total, categories, _parts(org, children, mine, values) if parts else None

    return serve


def _member_link(member: Member) -> str:
    return reverse("member-detail", args=[member.pk])


def _stock(code: str, label: Any, definition: Any, by: str, **kw: Any) -> Indicator:
    sensitive = kw.pop("sensitive", True)
    return Indicator(
        code=code,
        section=MEMBERS,
        label=label,
        definition=definition,
        action=Action.SENSITIVE_REVEAL if sensitive else Action.MEMBER_VIEW,
        records=kw.pop("records", in_party),
        path="org_path",
        by=by,
        columns=MEMBER_COLUMNS,
        link=_member_link,
        sensitive=sensitive,
        dated=False,
        **kw,
    )


def register_all() -> None:
    register(
        Indicator(
            code="members.events",
            section=MEMBERS,
            label=_("Member life-cycle events"),
            definition=_(
                "Admissions, recognitions as official members, transfers in and out (not"
                " temporary ones), deaths and leavings dated in the period, counted under the"
                " organization where they happened."
            ),
            action=Action.MEMBER_VIEW,
            records=events,
            path="organization__path",
            by="kind",
            categories=lambda: {k.value: k.label for k in EVENTS},
            columns=EVENT_COLUMNS,
            link=lambda e: reverse("member-detail", args=[e.member_id]),
        ),
        _stock(
            "members.status",
            _("Member records by status"),
            _("Every member record kept, by its status as recorded now."),
            "status",
            records=members,
            aggregate=_from_aggregates(Dimension.STATUS),
            categories=lambda: dict(MemberStatus.choices),
            sensitive=False,
        ),
        _stock(
            "members.sex",
            _("Members by sex"),
            _("Members in the Party now, by sex."),
            "person__sex",
            categories=lambda: dict(Sex.choices),
            aggregate=_from_aggregates(Dimension.SEX),
        ),
        _stock(
            "members.age",
            _("Members by age"),
            _("Members in the Party now, by age reached in the year the period ends."),
            "band",
            records=with_age_band,
            categories=lambda: dict(BANDS),
            aggregate=_from_aggregates(Dimension.BIRTH_YEAR, banded=True),
        ),
        _stock(
            "members.ethnicity",
            _("Members by ethnicity"),
            _("Members in the Party now, by ethnicity as recorded."),
            "person__ethnicity",
            aggregate=_from_aggregates(Dimension.ETHNICITY),
        ),
        _stock(
            "members.religion",
            _("Members by religion"),
            _("Members in the Party now, by religion as recorded (blank: none recorded)."),
            "person__religion",
            aggregate=_from_aggregates(Dimension.RELIGION),
        ),
        _stock(
            "members.education",
            _("Members by general education"),
            _("Members in the Party now, by general education as recorded."),
            "person__education",
            aggregate=_from_aggregates(Dimension.EDUCATION),
        ),
    )
