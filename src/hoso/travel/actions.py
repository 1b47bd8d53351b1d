"""Trips abroad and foreign relations: every change checked, audited, atomic.

A private trip: request → opinion of the cell → decision of the committee (approve or refuse,
number and date) → notice to the member → departure → return → report within the configured
number of working days (7 by default). A visit to relatives abroad needs the written
commitment. Official and diplomatic passports are handed back after return.

A long stay abroad (work, study, accompanying a spouse) is recorded once the member has left,
with the decision that sent or allowed them and the Party organization that manages them
abroad; then the return, or its cancellation when it was recorded by mistake. Its recorded
facts are changed only by `correct_stay`, whose event keeps the old and the new values.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record_on
from hoso.documents import actions
from hoso.documents.models import DocumentKind, OutgoingDocument
from hoso.lib import vntext
from hoso.lib.workdays import Period, Unit
from hoso.orgs.models import Organization
from hoso.people.models import Member
from hoso.travel.models import (
    Destination,
    PassportType,
    Purpose,
    Relation,
    Stay,
    StayState,
    TravelRule,
    Trip,
    TripState,
    destinations,
    split,
)
from hoso.travel.transitions import STAYS, TRIPS, TravelError
from hoso.workcal.service import deadline

A = policy.Action
S = TripState
OFFICIAL_PASSPORTS = (PassportType.OFFICIAL, PassportType.DIPLOMATIC)


def request_trip(
    actor: User,
    member: Member,
    *,
    purpose: str,
    countries: str,
    planned_from: dt.date,
    planned_to: dt.date,
    funding: str,
    passport_type: str,
    requested_on: dt.date,
    host: str = "",
    commitment: str = "",
) -> Trip:
    policy.require(actor, A.TRAVEL_MANAGE, member.organization)
    if planned_to < planned_from:
        raise TravelError(_("The return cannot be planned before the departure."))
    if not split(countries):
        raise TravelError(_("Name at least one country."))
    if purpose == Purpose.RELATIVES and not commitment.strip():
        raise TravelError(_("A visit to relatives abroad needs the member's written commitment."))
    with transaction.atomic():
        trip = Trip.objects.create(
            member=member,
            organization=member.organization,
            purpose=purpose,
            countries=", ".join(split(countries)),
            planned_from=planned_from,
            planned_to=planned_to,
            funding=funding,
            passport_type=passport_type,
            host=host.strip(),
            commitment=commitment.strip(),
            requested_on=requested_on,
            state=S.REQUESTED,
            created_by=actor,
        )
        Destination.objects.bulk_create(destinations(trip))
        record_on(events.TRIP_RECORDED.code, actor, trip, countries=trip.countries)
    return trip


def move(
    actor: User,
    trip: Trip,
    name: str,
    *,
    on: dt.date,
    **fields: Any,
) -> Trip:
    if name not in TRIPS.moves:
        raise TravelError(name)
    policy.require(actor, TRIPS.moves[name].action, trip.organization)
    if on > timezone.localdate() and name not in ("approve", "refuse", "notify", "opinion"):
        raise TravelError(_("This date cannot be in the future."))
    with transaction.atomic():
        Trip.objects.select_for_update().filter(pk=trip.pk).exists()
        trip.refresh_from_db()
        TRIPS.check(trip, name)
        _record(actor, trip, name, on, fields)
        goal = TRIPS.apply(trip, name)
        trip.alert_version += 1  # the worker's claims are made against the state it read
        trip.save()
        record_on(events.TRIP_MOVED.code, actor, trip, move=name, to=goal)
    return trip


def _record(actor: User, trip: Trip, name: str, on: dt.date, fields: dict[str, Any]) -> None:
    text = str(fields.get("text", "")).strip()
    if name == "opinion":
        if not text:
            raise TravelError(_("Write the cell's opinion."))
        trip.cell_opinion, trip.cell_opinion_on = text, on
    elif name in ("approve", "refuse"):
        number = str(fields.get("number", "")).strip()
        if not number:
            raise TravelError(_("Give the number and date of the committee's decision."))
        trip.decision_number, trip.decision_date = number, on
        trip.approved = name == "approve"
    elif name == "notify":
        trip.notified_on = on
        _notice(actor, trip, on)
    elif name == "depart":
        trip.departed_on = on
    elif name == "return":
        if trip.departed_on and on < trip.departed_on:
            raise TravelError(_("The return cannot precede the departure."))
        rule = TravelRule.objects.get_or_create(pk=1)[0]
        trip.returned_on = on
        trip.report_due_on = deadline(on, Period(rule.report_days, Unit.WORKING))
        if trip.passport_type in OFFICIAL_PASSPORTS:
            trip.passport_due_on = deadline(on, Period(rule.passport_days, Unit.WORKING))
    elif name == "report":
        if not text:
            raise TravelError(_("Summarise the trip report."))
        trip.report_received_on, trip.report_summary = on, text
    elif name == "cancel":
        if not text:
            raise TravelError(_("Give the reason."))
        trip.note = text


def notice_text(trip: Trip, issuer: Organization) -> str:
    """The notice of the committee's decision to the member, with the duties after return."""
    rule = TravelRule.objects.get_or_create(pk=1)[0]
    verdict = "đồng ý" if trip.approved else "không đồng ý"
    paragraphs = [
        f"Kính gửi: đồng chí {trip.member.person.full_name}, {trip.organization.name}.",
        f"Căn cứ Quyết định số {trip.decision_number} ngày {trip.decision_date:%d/%m/%Y},"
        f" {issuer.name} thông báo {verdict} để đồng chí ra nước ngoài"
        f" ({trip.get_purpose_display().lower()}) tại {trip.countries}, từ ngày"
        f" {trip.planned_from:%d/%m/%Y} đến ngày {trip.planned_to:%d/%m/%Y}.",
    ]
    if trip.approved:
        paragraphs.append(
            "Trong thời gian ở nước ngoài, đồng chí chấp hành nghiêm quy định của Đảng, pháp"
            f" luật Nhà nước; trong {rule.report_days} ngày làm việc sau khi về nước, báo cáo"
            " bằng văn bản với cấp ủy về chuyến đi."
        )
        if trip.passport_type in OFFICIAL_PASSPORTS:
            paragraphs.append(
                f"Nộp lại hộ chiếu trong {rule.passport_days} ngày làm việc sau khi về nước."
            )
    return "\n\n".join(paragraphs)


def _notice(actor: User, trip: Trip, on: dt.date) -> OutgoingDocument:
    """A numbered notice (TB) from the actor's own committee when it is above the member's
    organization (the one that decided), else from the member's organization."""
    own = actor.organization
    issuer = own if own and trip.organization.path.startswith(own.path) else trip.organization
    return actions.numbering.allocate(
        actor,
        issuer,
        DocumentKind.objects.get(code="TB"),
        issued_on=on,
        summary=f"V/v ra nước ngoài của đồng chí {trip.member.person.full_name}",
        body=notice_text(trip, issuer),
        recipients=f"Đồng chí {trip.member.person.full_name}\n{trip.organization.name}\nLưu VT",
        object_type="travel.trip",
        object_id=str(trip.pk),
    )


def passport_back(actor: User, trip: Trip, *, on: dt.date) -> Trip:
    policy.require(actor, A.TRAVEL_MANAGE, trip.organization)
    if trip.returned_on is None or trip.passport_type not in OFFICIAL_PASSPORTS:
        raise TravelError(_("No official passport is due back for this trip."))
    with transaction.atomic():
        trip.passport_returned_on = on
        trip.save(update_fields=["passport_returned_on"])
        record_on(events.TRIP_MOVED.code, actor, trip, passport_back=on.isoformat())
    return trip


def return_overdue(qs: QuerySet[Trip], today: dt.date) -> QuerySet[Trip]:
    return qs.filter(state=S.ABROAD, planned_to__lt=today)


def report_overdue(qs: QuerySet[Trip], today: dt.date) -> QuerySet[Trip]:
    return qs.filter(state=S.RETURNED, report_due_on__lt=today)


def passport_overdue(qs: QuerySet[Trip], today: dt.date) -> QuerySet[Trip]:
    return qs.filter(passport_due_on__lt=today, passport_returned_on__isnull=True)


def abroad(qs: QuerySet[Trip]) -> QuerySet[Trip]:
    return qs.filter(state=S.ABROAD)


def approved_in(qs: QuerySet[Trip], start: dt.date, end: dt.date) -> QuerySet[Trip]:
    """Trips approved by decisions dated in [start, end]."""
    return qs.filter(approved=True, decision_date__gte=start, decision_date__lte=end)


def declare_relation(actor: User, member: Member, **fields: Any) -> Relation:
    policy.require(actor, A.TRAVEL_MANAGE, member.organization)
    if not str(fields.get("person_name", "")).strip() or not str(fields.get("country", "")):
        raise TravelError(_("Give the person (or award) and the country."))
    with transaction.atomic():
        relation = Relation.objects.create(
            member=member, organization=member.organization, created_by=actor, **fields
        )
        record_on(events.RELATION_DECLARED.code, actor, relation, kind=relation.kind)
    return relation


def decide_relation(
    actor: User,
    relation: Relation,
    *,
    approved: bool,
    number: str,
    on: dt.date,
) -> Relation:
    policy.require(actor, A.TRAVEL_DECIDE, relation.organization)
    if not relation.needs_decision:
        raise TravelError(_("This declaration needs no decision."))
    if relation.approved is not None:
        raise TravelError(_("The decision is already recorded."))
    if not number.strip():
        raise TravelError(_("Give the number and date of the committee's decision."))
    with transaction.atomic():
        relation.approved, relation.decision_number = approved, number.strip()
        relation.decision_date = on
        relation.save(update_fields=["approved", "decision_number", "decision_date"])
        record_on(events.RELATION_DECIDED.code, actor, relation, approved=approved)
    return relation


# What `correct_stay` may change: the facts recorded, not the state nor who keeps the record.
STAY_FACTS = (
    "kind",
    "country",
    "place",
    "decision_number",
    "decision_date",
    "decision_issuer",
    "since",
    "planned_return",
    "managing_body",
    "managing_org",
    "returned_on",
    "return_note",
)
_STAY_TEXTS = ("country", "place", "decision_number", "decision_issuer")


def _check_stay(stay: Stay) -> None:
    """What a stay's facts must satisfy, when recorded and after a correction."""
    today = timezone.localdate()
    if any(not getattr(stay, name) for name in _STAY_TEXTS):
        raise TravelError(
            _("Give the country, the place, and the number and issuer of the decision.")
        )
    if not stay.managing_body:
        raise TravelError(_("Name the Party organization that manages the member abroad."))
    if stay.since > today or stay.decision_date > today:
        raise TravelError(_("Record a stay once the member has left: no date in the future."))
    if stay.planned_return <= stay.since:
        raise TravelError(_("The planned return must come after the departure."))
    if stay.returned_on is not None and not stay.since <= stay.returned_on <= today:
        raise TravelError(_("The return must lie between the departure and today."))


def record_stay(
    actor: User,
    member: Member,
    *,
    kind: str,
    country: str,
    place: str,
    decision_number: str,
    decision_date: dt.date,
    decision_issuer: str,
    since: dt.date,
    planned_return: dt.date,
    managing_body: str = "",
    managing_org: Organization | None = None,
) -> Stay:
    """A member who has left to work or study abroad for a long period."""
    policy.require(actor, A.TRAVEL_MANAGE, member.organization)
    stay = Stay(
        member=member,
        organization=member.organization,
        kind=kind,
        country=vntext.clean(country),
        place=place.strip(),
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        decision_issuer=decision_issuer.strip(),
        since=since,
        planned_return=planned_return,
        # A node of our tree is named as it is called today; the text keeps the name as
        # recorded, which also covers bodies outside the tree.
        managing_body=managing_body.strip() or (managing_org.name if managing_org else ""),
        managing_org=managing_org,
        state=StayState.ABROAD,
        created_by=actor,
    )
    _check_stay(stay)
    with transaction.atomic():
        stay.save()
        record_on(events.STAY_RECORDED.code, actor, stay, kind=stay.kind, country=stay.country)
    return stay


def _locked(stay: Stay) -> Stay:
    Stay.objects.select_for_update().filter(pk=stay.pk).exists()
    stay.refresh_from_db()
    return stay


def record_return(actor: User, stay: Stay, *, on: dt.date, note: str = "") -> Stay:
    policy.require(actor, STAYS.moves["return"].action, stay.organization)
    with transaction.atomic():
        _locked(stay)
        STAYS.check(stay, "return")
        if not stay.since <= on <= timezone.localdate():
            raise TravelError(_("The return must lie between the departure and today."))
        stay.returned_on, stay.return_note = on, note.strip()
        STAYS.apply(stay, "return")
        stay.alert_version += 1  # the worker's claims are made against the state it read
        stay.save()
        record_on(events.STAY_RETURNED.code, actor, stay, returned_on=on.isoformat())
    return stay


def cancel_stay(actor: User, stay: Stay, *, reason: str) -> Stay:
    """A stay recorded by mistake: kept, marked cancelled with the reason."""
    policy.require(actor, STAYS.moves["cancel"].action, stay.organization)
    if not reason.strip():
        raise TravelError(_("Give the reason."))
    with transaction.atomic():
        _locked(stay)
        STAYS.check(stay, "cancel")
        stay.cancel_reason = reason.strip()
        STAYS.apply(stay, "cancel")
        stay.alert_version += 1
        stay.save()
        record_on(events.STAY_CANCELLED.code, actor, stay, why=stay.cancel_reason)
    return stay


def _shown(value: Any) -> Any:
    """A value as the audit event keeps it (JSON)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Organization):
        return value.pk
    return value


def correct_stay(actor: User, stay: Stay, changes: dict[str, Any], *, reason: str) -> Stay:
    """Change recorded facts of a stay (an extension of the planned return, a misspelt place):
    the event keeps each changed field's old and new value, and the reason."""
    policy.require(actor, A.TRAVEL_MANAGE, stay.organization)
    unknown = set(changes) - set(STAY_FACTS)
    if unknown:
        raise TravelError(
            _("These fields cannot be corrected: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    if not reason.strip():
        raise TravelError(_("Give the reason."))
    with transaction.atomic():
        _locked(stay)
        if stay.state == StayState.CANCELLED:
            raise TravelError(_("A cancelled stay is not corrected."))
        if "returned_on" in changes and (stay.state == StayState.ABROAD) != (
            changes["returned_on"] is None
        ):
            raise TravelError(_("The return is recorded with “Mark returned”, not corrected."))
        texts = {k: v.strip() if isinstance(v, str) else v for k, v in changes.items()}
        if "country" in texts:
            texts["country"] = vntext.clean(texts["country"])
        if texts.get("managing_body") == "" and texts.get("managing_org"):
            texts["managing_body"] = changes["managing_org"].name  # as when recorded
        changed = {k: v for k, v in texts.items() if getattr(stay, k) != v}
        if not changed:
            raise TravelError(_("Nothing differs from what is recorded."))
        before = {k: _shown(getattr(stay, k)) for k in changed}
        for name, value in changed.items():
            setattr(stay, name, value)
        _check_stay(stay)
        stay.alert_version += 1  # the planned return may have moved
        stay.save()
        record_on(
            events.STAY_CORRECTED.code,
            actor,
            stay,
            why=reason.strip(),
            before=before,
            after={k: _shown(v) for k, v in changed.items()},
        )
    return stay
