"""The points each counted record gives the casework counters (reports/counters.py).

A ledger reads, for one kind of record, the columns its indicators depend on (one values()
query, for one record or for all of them) and turns one row into points: an event is +1 on its
day (`Point(code, category, day)`); a state is +1 on the day it begins and -1 on the day it
ends (`Point(..., until=day)`), so that a state's figure at a day is the sum of its points up
to that day. The rules are those of the indicators' `records` (figures/*.py), read the other
way round: a record is in "open at the end of the period" when it was received by then and
not closed by then, so it enters on the day it is received and leaves on the day it closes.

`watch` says which saved or deleted objects change which records' points (a reply changes its
request's; a case its requests', through their place and secrecy).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, Min, Model, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone

from hoso.cadres.models import Cadre
from hoso.people.models import MemberEvent
from hoso.petitions.models import Petition
from hoso.petitions.models import State as PetitionState
from hoso.travel.models import Destination, Trip
from hoso.vetting.models import (
    OPEN_HELP,
    Case,
    CaseStep,
    Conclusion,
    HelpRequest,
    HelpState,
    Reply,
    RequestState,
    State,
    VerificationRequest,
)

DAY = dt.timedelta(days=1)
MEMBER_EVENTS = ("admission", "official", "transfer_in", "transfer_out", "death", "left")


@dataclass(frozen=True)
class Point:
    code: str
    category: str
    day: dt.date
    until: dt.date | None = None  # a state: the day it ends (None: an event, or not ended)


@dataclass(frozen=True)
class Place:
    """Where a record is counted and who may count it."""

    organization_id: int
    classification: int = 0
    restricted: bool = False


def event(code: str, category: Any, day: dt.date | None) -> list[Point]:
    return [] if day is None else [Point(code, _key(category), day)]


def state(code: str, category: Any, begins: dt.date | None, ends: dt.date | None) -> list[Point]:
    """A state from `begins` (included) to `ends` (excluded); none if it never began or ended
    before it began (e.g. concluded before its due date: never overdue)."""
    if begins is None or (ends is not None and ends <= begins):
        return []
    return [Point(code, _key(category), begins, ends)]


def _key(category: Any) -> str:
    return "" if category is None else str(category)


def _after(due: dt.date | None, since: dt.date | None) -> dt.date | None:
    """The first day a record received on `since` is late for a due date `due`."""
    if due is None or since is None:
        return None
    return max(since, due + DAY)


def _day_after(day: dt.date | None) -> dt.date | None:
    return None if day is None else day + DAY


def _first(*days: dt.date | None) -> dt.date | None:
    found = [d for d in days if d is not None]
    return min(found) if found else None


Watch = Callable[[Any], Iterable[int]]


@dataclass(frozen=True)
class Ledger:
    model: type[Model]
    codes: tuple[str, ...]  # the indicators it counts
    rows: Callable[[QuerySet[Any]], QuerySet[Any]]  # values() with "org", "cls", "res"
    points: Callable[[dict[str, Any]], list[Point]]
    # The records that may have a point from one day to another (both included).
    touched: Callable[[dt.date, dt.date], Q]
    path: str  # lookup from a record to its organization's path
    watch: dict[type[Model], Watch] = field(default_factory=dict)
    restricted: bool = False  # may hold restricted cases' points (seen by their team only)

    def read(self, pks: Iterable[int] | None = None) -> Iterator[tuple[Place, list[Point]]]:
        qs = self.model._default_manager.order_by()
        if pks is not None:
            qs = qs.filter(pk__in=list(pks))
        return self._points(qs)

    def between(
        self, under: str, start: dt.date, end: dt.date
    ) -> Iterator[tuple[Place, list[Point]]]:
        """The points of the records under the path `under` that may have one from `start`
        to `end` (the caller keeps those dated then)."""
        qs = self.model._default_manager.order_by().filter(**{f"{self.path}__startswith": under})
        return self._points(qs.filter(self.touched(start, end)))

    def _points(self, qs: QuerySet[Any]) -> Iterator[tuple[Place, list[Point]]]:
        for row in self.rows(qs).iterator(chunk_size=5000):
            place = Place(row["org"], row.get("cls") or 0, bool(row.get("res")))
            yield place, self.points(row)


def _of(lookup: str, model: type[Model]) -> Watch:
    """The records of `model` whose `lookup` is the saved object's primary key."""
    return lambda obj: model._default_manager.filter(**{lookup: obj.pk}).values_list(
        "pk", flat=True
    )


# ---- vetting cases ---------------------------------------------------------------------------


def _case_rows(qs: QuerySet[Any]) -> QuerySet[Any]:
    signed = Conclusion.objects.filter(case=OuterRef("pk"), supersedes__isnull=True)
    withdrawn = CaseStep.objects.filter(case=OuterRef("pk"), to_state=State.WITHDRAWN)
    return qs.values(
        "received_on",
        "due_on",
        org=F("organization_id"),
        cls=F("classification"),
        res=F("restricted"),
        type=F("case_type__code"),
        committee=F("competent_committee_id"),
        concluded=_earliest(signed, "case", "signed_on"),
        withdrawn=_earliest(withdrawn, "case", "at"),
    )


def _earliest(related: QuerySet[Any], parent: str, column: str) -> Subquery:
    """The earliest `column` of the rows related to the outer record through `parent`."""
    first = related.order_by().values(parent).annotate(d=Min(column))
    return Subquery(first.values("d")[:1])


def _case_points(row: dict[str, Any]) -> list[Point]:
    received, kind = row["received_on"], row["type"]
    withdrawn = row["withdrawn"] and timezone.localdate(row["withdrawn"])
    closed = _first(row["concluded"], withdrawn)
    return [
        *event("cases.received", kind, received),
        *event("cases.received.committee", row["committee"], received),
        *event("cases.concluded", kind, row["concluded"]),
        *event("cases.withdrawn", kind, withdrawn or None),
        *state("cases.open", kind, received, closed),
        *state("cases.overdue", kind, _after(row["due_on"], received), closed),
    ]


def _conclusion_rows(qs: QuerySet[Any]) -> QuerySet[Any]:
    later = Conclusion.objects.filter(supersedes=OuterRef("pk"))
    return qs.values(
        "outcome",
        "signed_on",
        org=F("case__organization_id"),
        cls=F("case__classification"),
        res=F("case__restricted"),
        corrected=Exists(later),
    )


def _conclusion_points(row: dict[str, Any]) -> list[Point]:
    if row["corrected"]:
        return []
    return event("conclusions.outcome", row["outcome"], row["signed_on"])


def _corrected(conclusion: Any) -> list[int]:
    """A conclusion saved, and the one it corrects (no longer current)."""
    return [pk for pk in (conclusion.pk, conclusion.supersedes_id) if pk is not None]


# ---- verification requests and help for others ------------------------------------------------


def _request_rows(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.values(
        "sent_on",
        "due_on",
        "state",
        org=F("case__organization_id"),
        cls=F("case__classification"),
        res=F("case__restricted"),
        to=F("addressee_id"),
        replied=_earliest(Reply.objects.filter(request=OuterRef("pk")), "request", "received_on"),
    )


def _request_points(row: dict[str, Any]) -> list[Point]:
    to, replied = row["to"], row["replied"]
    late = None if row["state"] == RequestState.CANCELLED else _after(row["due_on"], row["sent_on"])
    return [
        *event("requests.issued", to, row["sent_on"]),
        *event("requests.answered", to, replied),
        *state("requests.overdue", to, late, replied),
    ]


def _help_rows(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.values(
        "received_on",
        "due_on",
        "answered_on",
        "state",
        "requester",
        org=F("organization_id"),
        cls=F("classification"),
        res=Value(False),
        body=F("requester_addressee_id"),
    )


def help_body(row: dict[str, Any]) -> str:
    """The requesting body as a counter's category: a directory entry "a<id>", or the name as
    typed "t<name>" (the indicator shows the entry's name, or the name typed)."""
    return f"a{row['body']}" if row["body"] is not None else f"t{row['requester']}"


def _help_points(row: dict[str, Any]) -> list[Point]:
    body, answered = help_body(row), row["answered_on"]
    still = row["state"] in OPEN_HELP or row["state"] == HelpState.ANSWERED
    late = _after(row["due_on"], row["received_on"]) if still else None
    done = answered if row["state"] == HelpState.ANSWERED else None
    return [
        *event("help.received", body, row["received_on"]),
        *event("help.answered", body, done),
        *state("help.overdue", body, late, answered),
    ]


# ---- petitions -------------------------------------------------------------------------------


def _petition_rows(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.values(
        "kind",
        "reason",
        "state",
        "forwarded_to",
        "outcome",
        "received_on",
        "accepted_on",
        "concluded_on",
        "closed_on",
        "due_on",
        "paused_since",
        org=F("organization_id"),
        cls=F("classification"),
        res=Value(False),
    )


def _petition_points(row: dict[str, Any]) -> list[Point]:
    kind, received = row["kind"], row["received_on"]
    unhandled = row["state"] == PetitionState.NOT_HANDLED or (
        row["state"] == PetitionState.CLOSED and row["reason"]
    )
    clock = row["paused_since"] is None
    late = _after(row["due_on"], row["accepted_on"]) if clock else None
    return [
        *event("petitions.received", kind, received),
        *event("petitions.not_handled", row["reason"], received if unhandled else None),
        *event("petitions.forwarded", "", received if row["forwarded_to"] else None),
        *event("petitions.accepted", kind, row["accepted_on"]),
        *event("petitions.concluded", row["outcome"], row["concluded_on"]),
        *state("petitions.overdue", kind, late, _first(row["concluded_on"], row["closed_on"])),
    ]


# ---- travel abroad and members' life-cycle events ---------------------------------------------


def _trip_rows(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.values(
        "purpose",
        "approved",
        "decision_date",
        "report_due_on",
        "report_received_on",
        "passport_due_on",
        "passport_returned_on",
        org=F("organization_id"),
        res=Value(False),
        category=F("member__person__cadre__category__code"),
    )


def _trip_points(row: dict[str, Any]) -> list[Point]:
    purpose = row["purpose"]
    approved = row["decision_date"] if row["approved"] else None
    return [
        *event("trips.approved", purpose, approved),
        *event("trips.approved_by_category", row["category"], approved),
        *state(
            "trips.report_overdue",
            purpose,
            _day_after(row["report_due_on"]),
            row["report_received_on"],
        ),
        *state(
            "trips.passport_overdue",
            purpose,
            _day_after(row["passport_due_on"]),
            row["passport_returned_on"],
        ),
    ]


def _destination_rows(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.values(
        "country",
        approved=F("trip__approved"),
        decided=F("trip__decision_date"),
        org=F("trip__organization_id"),
        res=Value(False),
    )


def _destination_points(row: dict[str, Any]) -> list[Point]:
    decided = row["decided"] if row["approved"] else None
    return event("trips.approved_by_country", row["country"], decided)


def _cadre_trips(cadre: Any) -> Iterable[int]:
    return Trip.objects.filter(member__person_id=cadre.person_id).values_list("pk", flat=True)


def _member_event_rows(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.values("kind", "date", "temporary", org=F("organization_id"), res=Value(False))


def _member_event_points(row: dict[str, Any]) -> list[Point]:
    counted = row["kind"] in MEMBER_EVENTS and not row["temporary"]
    return event("members.events", row["kind"], row["date"] if counted else None)


# ---- the records that may have a point on some days -------------------------------------------


def _on(start: dt.date, end: dt.date, *days: str, late: tuple[str, ...] = ()) -> Q:
    """Any of `days` from start to end, or any of the due dates `late` the day before."""
    found = Q()
    for day in days:
        found |= Q(**{f"{day}__range": (start, end)})
    for due in late:
        found |= Q(**{f"{due}__range": (start - DAY, end - DAY)})
    return found


def _ids(*found: QuerySet[Any]) -> Q:
    """The records whose id one of `found` gives: each walks its own date index, where one OR
    across the dates and the related tables would read every record of the scope."""
    first, *rest = [qs.order_by() for qs in found]
    return Q(pk__in=first.union(*rest, all=True))


def _local_days(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants of the days from start to end (a range the index on a time can walk)."""
    return (
        timezone.make_aware(dt.datetime.combine(start, dt.time.min)),
        timezone.make_aware(dt.datetime.combine(end, dt.time.max)),
    )


def _case_touched(start: dt.date, end: dt.date) -> Q:
    return _ids(
        Case.objects.filter(received_on__range=(start, end)).values("pk"),
        Case.objects.filter(due_on__range=(start - DAY, end - DAY)).values("pk"),
        Conclusion.objects.filter(supersedes__isnull=True, signed_on__range=(start, end)).values(
            "case_id"
        ),
        CaseStep.objects.filter(
            to_state=State.WITHDRAWN, at__range=_local_days(start, end)
        ).values("case_id"),
    )


def _request_touched(start: dt.date, end: dt.date) -> Q:
    requests = VerificationRequest.objects
    return _ids(
        requests.filter(sent_on__range=(start, end)).values("pk"),
        requests.filter(due_on__range=(start - DAY, end - DAY)).values("pk"),
        Reply.objects.filter(received_on__range=(start, end)).values("request_id"),
    )


def _self(obj: Any) -> list[int]:
    return [obj.pk]


LEDGERS: tuple[Ledger, ...] = (
    Ledger(
        Case,
        (
            "cases.received",
            "cases.received.committee",
            "cases.concluded",
            "cases.withdrawn",
            "cases.open",
            "cases.overdue",
        ),
        _case_rows,
        _case_points,
        _case_touched,
        "organization__path",
        {Case: _self, Conclusion: lambda c: [c.case_id], CaseStep: lambda s: [s.case_id]},
        restricted=True,
    ),
    Ledger(
        Conclusion,
        ("conclusions.outcome",),
        _conclusion_rows,
        _conclusion_points,
        lambda start, end: _on(start, end, "signed_on"),
        "case__organization__path",
        {Conclusion: _corrected, Case: _of("case_id", Conclusion)},
        restricted=True,
    ),
    Ledger(
        VerificationRequest,
        ("requests.issued", "requests.answered", "requests.overdue"),
        _request_rows,
        _request_points,
        _request_touched,
        "case__organization__path",
        {
            VerificationRequest: _self,
            Reply: lambda r: [r.request_id],
            Case: _of("case_id", VerificationRequest),
        },
        restricted=True,
    ),
    Ledger(
        HelpRequest,
        ("help.received", "help.answered", "help.overdue"),
        _help_rows,
        _help_points,
        lambda start, end: _on(start, end, "received_on", "answered_on", late=("due_on",)),
        "organization__path",
        {HelpRequest: _self},
    ),
    Ledger(
        Petition,
        (
            "petitions.received",
            "petitions.not_handled",
            "petitions.forwarded",
            "petitions.accepted",
            "petitions.concluded",
            "petitions.overdue",
        ),
        _petition_rows,
        _petition_points,
        lambda start, end: _on(
            start, end, "received_on", "accepted_on", "concluded_on", "closed_on", late=("due_on",)
        ),
        "organization__path",
        {Petition: _self},
    ),
    Ledger(
        Trip,
        (
            "trips.approved",
            "trips.approved_by_category",
            "trips.report_overdue",
            "trips.passport_overdue",
        ),
        _trip_rows,
        _trip_points,
        lambda start, end: _on(
            start,
            end,
            "decision_date",
            "report_received_on",
            "passport_returned_on",
            late=("report_due_on", "passport_due_on"),
        ),
        "organization__path",
        {Trip: _self, Cadre: _cadre_trips},
    ),
    Ledger(
        Destination,
        ("trips.approved_by_country",),
        _destination_rows,
        _destination_points,
        lambda start, end: _on(start, end, "trip__decision_date"),
        "trip__organization__path",
        {Destination: _self, Trip: _of("trip_id", Destination)},
    ),
    Ledger(
        MemberEvent,
        ("members.events",),
        _member_event_rows,
        _member_event_points,
        lambda start, end: _on(start, end, "date"),
        "organization__path",
        {MemberEvent: _self},
    ),
)
STATES = frozenset(
    code
    for code in (
        "cases.open",
        "cases.overdue",
        "requests.overdue",
        "help.overdue",
        "petitions.overdue",
        "trips.report_overdue",
        "trips.passport_overdue",
    )
)
PERSONS = "requests.persons"  # distinct, not additive: served by reports/persons.py's rows
BY_CODE = {code: ledger for ledger in LEDGERS for code in ledger.codes}
CODES = frozenset({PERSONS, *(code for ledger in LEDGERS for code in ledger.codes)})
RESTRICTED = frozenset(
    {PERSONS, *(code for ledger in LEDGERS if ledger.restricted for code in ledger.codes)}
)
