"""Indicators of Party members: life-cycle events in the period, and the membership as the
records stand now (by status; by sex, age band, ethnicity, religion, education: attributes of
persons, shown only to roles that may reveal sensitive fields, each read audited)."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, CharField, QuerySet, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoso.access.policy import Action
from hoso.lib.periods import Period
from hoso.people.models import EventKind, Member, MemberEvent, MemberStatus, Sex
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
        When(**{"person__birth_year__gte": period.end.year - 30}, then=Value("30")),
        When(**{"person__birth_year__gte": period.end.year - 40}, then=Value("31-40")),
        When(**{"person__birth_year__gte": period.end.year - 50}, then=Value("41-50")),
        When(**{"person__birth_year__gte": period.end.year - 60}, then=Value("51-60")),
        default=Value("61"),
        output_field=CharField(),
    )
    return in_party(user, period).annotate(band=band)


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
            categories=lambda: dict(MemberStatus.choices),
            sensitive=False,
        ),
        _stock(
            "members.sex",
            _("Members by sex"),
            _("Members in the Party now, by sex."),
            "person__sex",
            categories=lambda: dict(Sex.choices),
        ),
        _stock(
            "members.age",
            _("Members by age"),
            _("Members in the Party now, by age reached in the year the period ends."),
            "band",
            records=with_age_band,
            categories=lambda: dict(BANDS),
        ),
        _stock(
            "members.ethnicity",
            _("Members by ethnicity"),
            _("Members in the Party now, by ethnicity as recorded."),
            "person__ethnicity",
        ),
        _stock(
            "members.religion",
            _("Members by religion"),
            _("Members in the Party now, by religion as recorded (blank: none recorded)."),
            "person__religion",
        ),
        _stock(
            "members.education",
            _("Members by general education"),
            _("Members in the Party now, by general education as recorded."),
            "person__education",
        ),
    )
