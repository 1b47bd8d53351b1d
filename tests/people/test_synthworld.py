"""`hoso synth --full`: the casework holds the models' invariants (numbering, owners, states
consistent with dates and history, the plan covered before compiling ...) and is distributed
as an office's years are, so that the pages and the reports show sensible figures."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max, Q
from django.urls import reverse

from hoso.access.roles import Clearance, Role
from hoso.documents import owners
from hoso.documents.actions.numbering import reference, term_for
from hoso.documents.models import (
    ArrivalSequence,
    IncomingDocument,
    OutgoingDocument,
    Sequence,
)
from hoso.lib import bulkrows, periods
from hoso.orgs.models import Organization
from hoso.people import synth, synthworld
from hoso.people.models import (
    EventKind,
    IdentityDecision,
    Member,
    MemberEvent,
    MemberStatus,
    Person,
    Relative,
    Transfer,
)
from hoso.petitions.models import Petition
from hoso.petitions.models import State as PS
from hoso.reports import compute, indicators
from hoso.travel.models import Trip, TripState
from hoso.vetting import clock, plan
from hoso.vetting.help import due_from as help_due
from hoso.vetting.models import (
    Case,
    CaseStep,
    CaseType,
    Conclusion,
    HelpRequest,
    HelpState,
    ReplyItem,
    RequestState,
    State,
    TeamMember,
    Verdict,
    VerificationRequest,
)
from hoso.vetting.models.cases import CLOSED_STATES
from hoso.vetting.transitions import CASES, Move
from hoso.workcal.service import deadline
from tests.conftest import client_for, make_user

AS_OF = dt.date(2026, 11, 20)
MEMBERS = 2000
PAST_COMPILING = (State.COMPILING, State.PROPOSED, State.CONCLUDED, State.ARCHIVED)


@pytest.fixture
def loaded(db: Any) -> Organization:
    call_command("synth", members=MEMBERS, seed=8, full=True, as_of=AS_OF)
    return Organization.objects.get(code="SYN8")


@pytest.mark.audit_guard_off  # the load writes in bulk, without events (data, not records)
def test_full_casework_holds_the_invariants(loaded: Organization) -> None:
    _numbers_follow_the_registry()
    _documents_belong_to_their_owners()
    _cases_follow_their_history()
    _requests_follow_their_case()
    _help_petitions_and_trips_follow_their_dates()
    _members_follow_their_events()


@pytest.mark.audit_guard_off
def test_full_casework_is_distributed_as_an_office_s_years(loaded: Organization) -> None:
    _distributions()
    _overlaps_of_persons()


@pytest.mark.audit_guard_off
def test_the_reports_and_pages_show_the_casework(loaded: Organization) -> None:
    head = make_user("nation_head", loaded, Role.HEAD, Clearance.TOP_SECRET)
    period = periods.parse("2026-9m")
    figures = {
        ind.code: compute.compute(head, ind, loaded, period)
        for ind in compute.visible(head, loaded)
    }
    assert set(figures) == set(indicators.REGISTRY)
    received = Case.objects.filter(received_on__range=(period.start, period.end)).count()
    assert figures["cases.received"].total == received > 20
    for code in ("cases.concluded", "cases.open", "requests.issued", "requests.answered",
                 "requests.persons", "conclusions.outcome", "petitions.received",
                 "trips.approved", "members.events", "members.status"):  # fmt: skip
        assert figures[code].total > 0, code
    assert figures["requests.persons"].total < figures["requests.issued"].total
    events = {c.value: c.n for c in figures["members.events"].categories}
    assert events[EventKind.ADMISSION] > 0 and events[EventKind.OFFICIAL] > 0
    client = client_for(head)
    case = Case.objects.filter(state=State.ARCHIVED).first()
    request = VerificationRequest.objects.filter(state=RequestState.ANSWERED).first()
    help_request = HelpRequest.objects.filter(state=HelpState.ANSWERED).first()
    petition, trip = Petition.objects.first(), Trip.objects.first()
    assert case and request and help_request and petition and trip
    for url in (
        reverse("case-detail", args=[case.pk]),
        reverse("request-detail", args=[request.pk]),
        reverse("help-detail", args=[help_request.pk]),
        reverse("petition-detail", args=[petition.pk]),
        reverse("trip-detail", args=[trip.pk]),
        reverse(
            "member-detail",
            args=[Member.objects.filter(org_path__startswith=loaded.path).first().pk],
        ),  # type: ignore[union-attr]
        reverse("report-home") + f"?org={loaded.pk}&period=2026-9m",
    ):
        assert client.get(url).status_code == 200, url


def test_the_same_seed_and_day_give_the_same_casework(db: Any) -> None:
    def contents() -> Any:
        with transaction.atomic():
            root = synth.load(300, 21, full=True).root_code
            synthworld.build(root, 21, AS_OF)
            found = {
                "cases": sorted(Case.objects.values_list("person__citizen_id", "received_on",
                                                         "state", "due_on")),
                "documents": sorted(OutgoingDocument.objects.values_list("reference", "issued_on")),
                "events": sorted(MemberEvent.objects.values_list("member__card_number", "kind",
                                                                 "date")),
            }  # fmt: skip
            transaction.set_rollback(True)
        return found

    first, again = contents(), contents()
    assert first == again and first["cases"] and first["documents"]


@pytest.mark.audit_guard_off
@pytest.mark.django_db(transaction=True)
def test_the_command_commits_the_casework_on_its_own(reseeded: None) -> None:
    """Outside a transaction the casework is written on its own connection (PostgreSQL: by
    a thread, while the next province is made): parents first, every reference checked."""
    call_command("synth", members=400, seed=23, full=True, as_of=AS_OF)
    assert synthworld.loaded(23) and Case.objects.exists()
    _numbers_follow_the_registry()
    _documents_belong_to_their_owners()
    _cases_follow_their_history()
    _requests_follow_their_case()
    _members_follow_their_events()


def test_a_table_refuses_a_row_without_a_required_value() -> None:
    table = bulkrows.Table(CaseStep)
    with pytest.raises(ValueError, match=r"vetting_casestep: no value for .*at"):
        table.row({"id": 1, "case_id": 1, "move": "open", "to_state": "received", "by_id": 1})


def test_casework_is_refused_twice_and_without_its_tree(db: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no synthetic tree"):
        call_command("synth", seed=31, add_casework=True, as_of=AS_OF)
    call_command("synth", members=200, seed=31, full=True, as_of=AS_OF)
    with pytest.raises(CommandError, match="already loaded"):
        call_command("synth", seed=31, add_casework=True, as_of=AS_OF)


# --- Invariants ---------------------------------------------------------------------------


def _numbers_follow_the_registry() -> None:
    """Each counter holds the last number given; numbers run 1..n without gap, in the order
    of their dates, in the term in force that day; references as numbering.reference()."""
    issued: dict[tuple[int, int, int], list[tuple[int, dt.date]]] = defaultdict(list)
    docs = OutgoingDocument.objects.select_related("kind", "organization", "term")
    for d in docs:
        issued[(d.organization_id, d.term_id, d.kind_id)].append((d.number, d.issued_on))
        assert d.reference == reference(d.number, d.kind, d.organization)
    for d in docs.order_by("?")[:200]:
        assert term_for(d.organization, d.issued_on) == d.term
    counters = {(s.organization_id, s.term_id, s.kind_id): s.last for s in Sequence.objects.all()}
    assert counters.keys() == issued.keys()
    for key, numbers in issued.items():
        numbers.sort()
        assert (
            [n for n, _ in numbers]
            == list(range(1, len(numbers) + 1))
            == list(range(1, counters[key] + 1))
        )
        days = [d for _, d in numbers]
        assert days == sorted(days)
    arrivals = IncomingDocument.objects.values("organization", "year").annotate(
        n=Count("id"), top=Max("arrival_number")
    )
    last = {(a.organization_id, a.year): a.last for a in ArrivalSequence.objects.all()}
    assert {(a["organization"], a["year"]): a["n"] for a in arrivals} == last
    assert all(a["n"] == a["top"] for a in arrivals)
    for d in IncomingDocument.objects.all():
        assert d.year == d.received_on.year


def _documents_belong_to_their_owners() -> None:
    models = {"vetting.case": Case, "vetting.help": HelpRequest,
              "petitions.petition": Petition, "travel.trip": Trip}  # fmt: skip
    assert set(models) <= set(owners.registered())
    for register in (OutgoingDocument, IncomingDocument):
        for object_type, model in models.items():
            if register is IncomingDocument and object_type == "travel.trip":
                continue  # a trip's papers are all outgoing
            ids = set(register.objects.filter(object_type=object_type).values_list(
                "object_id", flat=True))  # fmt: skip
            known = {str(pk) for pk in model.objects.values_list("pk", flat=True)}
            assert ids and ids <= known, (register, object_type)
    # A case's papers are issued by its office or its competent committee.
    for d in OutgoingDocument.objects.filter(object_type="vetting.case").order_by("?")[:300]:
        case = Case.objects.get(pk=int(d.object_id))
        assert d.organization_id in (case.organization_id, case.competent_committee_id)


def _cases_follow_their_history() -> None:
    cases = Case.objects.select_related("version", "organization", "competent_committee")
    steps: dict[int, list[CaseStep]] = defaultdict(list)
    for step in CaseStep.objects.order_by("at", "id"):
        steps[step.case_id].append(step)
    first = {c.case_id: c for c in Conclusion.objects.filter(supersedes__isnull=True)}
    teams = dict(TeamMember.objects.values("case").annotate(n=Count("id"), lead=Count(
        "id", filter=Q(leader=True))).values_list("case", "n"))  # fmt: skip
    for case in cases:
        history = steps[case.pk]
        assert history[0].move == "open" and history[0].at.date() == case.received_on
        assert history[-1].to_state == case.state, case.pk
        for before, after in itertools.pairwise(history):
            assert after.from_state == before.to_state, case.pk
            assert after.move in Move.__members__.values() or after.move == "open"
            assert after.from_state in CASES.moves[Move(after.move)].sources, (case.pk, after.move)
            assert before.at <= after.at <= _end_of(AS_OF)
        assert case.organization.path.startswith(case.competent_committee.path) or (
            case.competent_committee.path.startswith(case.organization.path)
        )
        concluded = case.state in (State.CONCLUDED, State.ARCHIVED)
        assert (case.pk in first) == concluded, case.pk
        if concluded:
            signed = next(s for s in history if s.move == "conclude").at.date()
            assert first[case.pk].signed_on == signed >= case.received_on
            assert first[case.pk].outcome in dict(case.version.outcomes)
        decided = [s for s in history if s.move == "record_decision"]
        assert bool(case.decision_number) == bool(decided)
        if decided:
            assert case.decision_date == decided[0].at.date()
            assert _numbered_or_typed(case.decision_number, "QĐ", case.competent_committee)
        if any(s.move == "start_verifying" for s in history):
            assert teams.get(case.pk, 0) >= case.version.min_team_size
        if case.state in PAST_COMPILING:
            assert plan.unsatisfied(case) == [], case.pk
            assert not case.requests.filter(state=RequestState.OPEN).exists()
        if concluded:
            assert not ReplyItem.objects.filter(
                reply__request__case=case, verdict=Verdict.DISCREPANCY, resolution=""
            ).exists()
        if not case.pauses.exists():
            assert case.due_on == clock.due_from(case.version, case.received_on), case.pk
        assert (case.paused_since is not None) == (
            case.state == State.SUSPENDED and case.version.pausable
        )
    for c in Conclusion.objects.select_related("case__competent_committee"):
        assert _numbered_or_typed(c.number, "KL", c.case.competent_committee)
        assert c.case.received_on <= c.signed_on <= AS_OF
    # Papers numbered in hoso's registers and papers typed from the committees' own books.
    conclusions = Conclusion.objects.select_related("case__competent_committee")
    numbered = [_registered(c.number, "KL", c.case.competent_committee) for c in conclusions]
    assert any(numbered) and not all(numbered)


def _numbered_or_typed(number: str, kind: str, committee: Organization) -> bool:
    """A paper of the competent committee: in its register in hoso (that document), or typed
    from its own book ("12-QĐ/TU")."""
    if _registered(number, kind, committee):
        return True
    return number.endswith(("/TU", "/ĐU")) and number.split("-", 1)[1].startswith(f"{kind}/")


def _registered(number: str, kind: str, committee: Organization) -> bool:
    return OutgoingDocument.objects.filter(
        reference=number, kind__code=kind, organization=committee
    ).exists()


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 23, 59, tzinfo=synthworld.TZ)


def _requests_follow_their_case() -> None:
    requests = VerificationRequest.objects.select_related("case__version", "document__kind",
                                                          "addressee")  # fmt: skip
    replies = Counter(VerificationRequest.objects.filter(replies__isnull=False).values_list(
        "pk", flat=True))  # fmt: skip
    for vr in requests:
        case = vr.case
        assert (vr.state == RequestState.ANSWERED) == (vr.pk in replies), vr.pk
        assert case.decision_date is not None and vr.sent_on >= case.decision_date
        assert (
            vr.document.kind.code == "PYC" and vr.document.organization_id == case.organization_id
        )
        assert vr.document.object_id == str(case.pk) and vr.document.issued_on == vr.sent_on
        assert vr.person_key == (f"p{vr.person_id}" if vr.person_id else f"r{vr.relative_id}")
        if vr.state == RequestState.OPEN:
            assert case.state not in PAST_COMPILING and case.state != State.WITHDRAWN
    for vr in requests.order_by("?")[:200]:
        assert vr.due_on == deadline(vr.sent_on, _reply_period(vr.case.version.reply_days))
        for reply in vr.replies.all():
            assert vr.sent_on <= reply.received_on <= AS_OF
            assert reply.incoming.object_id == str(vr.case_id)
            assert reply.incoming.sender == vr.addressee.name
            assert vr.document.reference in reply.incoming.summary


def _reply_period(days: int) -> Any:
    from hoso.lib.workdays import Period as Days
    from hoso.lib.workdays import Unit

    return Days(days, Unit.WORKING)


def _help_petitions_and_trips_follow_their_dates() -> None:
    for hr in HelpRequest.objects.prefetch_related("steps"):
        history = list(hr.steps.order_by("at", "id"))
        assert history[0].move == "register" and history[-1].to_state == hr.state
        assert hr.due_on == help_due(hr.kind, hr.received_on)
        answered = hr.state == HelpState.ANSWERED
        assert answered == (hr.answer_id is not None) == (hr.answered_on is not None)
        if answered:
            assert hr.answer.issued_on == hr.answered_on >= hr.received_on  # type: ignore[union-attr]
    for p in Petition.objects.prefetch_related("steps"):
        history = list(p.steps.order_by("at", "id"))
        assert history[-1].to_state == p.state
        assert (p.state == PS.NOT_HANDLED) <= bool(p.reason)
        assert (p.accepted_on is not None) == any(s.to_state == PS.ACCEPTED for s in history)
        assert (p.concluded_on is not None) == bool(p.outcome) == bool(p.conclusion_reference)
        if p.state == PS.FORWARDED:
            assert p.forward_document_id and p.forwarded_to and p.closed_on
        if p.state == PS.RECEIVED:
            assert p.kind == "" and p.closed_on is None
    for t in Trip.objects.all():
        assert t.requested_on <= t.planned_from <= t.planned_to
        if t.state in (TripState.APPROVED, TripState.REFUSED, TripState.NOTIFIED):
            assert t.decision_date is not None and t.approved is not None
        if t.state in (TripState.ABROAD, TripState.RETURNED, TripState.REPORTED):
            assert t.approved and t.departed_on and t.departed_on <= AS_OF
        if t.state in (TripState.RETURNED, TripState.REPORTED):
            assert t.returned_on and t.report_due_on and t.report_due_on > t.returned_on
        assert (t.state == TripState.REPORTED) == (t.report_received_on is not None)
        assert (t.passport_due_on is not None) == (
            t.returned_on is not None and t.passport_type != "ordinary"
        )


def _members_follow_their_events() -> None:
    for m in Member.objects.select_related("organization"):
        assert m.org_path == m.organization.path
    by_member: dict[int, set[str]] = defaultdict(set)
    for member, kind in MemberEvent.objects.values_list("member", "kind"):
        by_member[member].add(kind)
    for m in Member.objects.exclude(status=MemberStatus.OFFICIAL):
        kinds = by_member[m.pk]
        if m.status == MemberStatus.DECEASED:
            assert EventKind.DEATH in kinds
        elif m.status == MemberStatus.LEFT:
            assert EventKind.LEFT in kinds and m.left_form
        elif m.status == MemberStatus.TRANSFERRED_OUT:
            assert EventKind.TRANSFER_OUT in kinds
        elif m.status == MemberStatus.PROBATIONARY:
            assert EventKind.ADMISSION in kinds and m.official_on is None
            assert m.admitted_on and m.admitted_on >= synthworld.START
            assert (m.ceremony_due_on is None) == (m.ceremony_on is not None)
            assert (m.recognition_due_on is None) == (m.ceremony_on is None)
    for t in Transfer.objects.filter(state="accepted", kind="official").select_related("member"):
        assert t.member.organization_id == t.to_org_id
    assert not MemberEvent.objects.filter(date__gt=AS_OF).exists()
    linked = Relative.objects.filter(identity__isnull=False)
    decided = set(IdentityDecision.objects.filter(kind="link").values_list("relative", flat=True))
    assert linked.exists() and set(linked.values_list("pk", flat=True)) <= decided


# --- Distributions ------------------------------------------------------------------------


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _distributions() -> None:
    cases = Case.objects.count()
    assert 0.09 * MEMBERS <= cases <= 0.15 * MEMBERS
    requests = VerificationRequest.objects.count()
    assert requests >= 3 * cases
    used = set(Case.objects.values_list("case_type__code", flat=True))
    assert used == set(CaseType.objects.filter(active=True).values_list("code", flat=True))
    states = Counter(Case.objects.values_list("state", flat=True))
    closed = states[State.CONCLUDED] + states[State.ARCHIVED]
    assert _share(closed, cases) >= 0.75
    assert 0.005 <= _share(states[State.WITHDRAWN], cases) <= 0.1
    still_open = Case.objects.exclude(state__in=CLOSED_STATES)
    assert 0.02 <= _share(still_open.count(), cases) <= 0.2
    assert clock.overdue(Case.objects.all(), AS_OF).exists()
    assert Conclusion.objects.filter(supersedes__isnull=False).exists() or cases < 400
    outcomes = Counter(Conclusion.objects.values_list("outcome", flat=True))
    assert outcomes.most_common(1)[0][0] == "DU"
    assert {"KHONG_DU", "CHUA_DU_CAN_CU"} & set(outcomes)
    request_states = Counter(VerificationRequest.objects.values_list("state", flat=True))
    assert _share(request_states[RequestState.ANSWERED], requests) >= 0.75
    assert request_states[RequestState.CANCELLED] > 0 and request_states[RequestState.OPEN] > 0
    on_time = VerificationRequest.objects.filter(replies__received_on__lte=models_f("due_on"))
    assert _share(on_time.count(), request_states[RequestState.ANSWERED]) >= 0.7
    subjects = Case.objects.values_list("person__member", flat=True)
    members = sum(1 for s in subjects if s is not None)
    assert 0.6 <= _share(members, cases) < 1
    help_states = Counter(HelpRequest.objects.values_list("state", flat=True))
    assert help_states[HelpState.ANSWERED] > sum(help_states.values()) / 2
    assert len(Counter(Petition.objects.values_list("state", flat=True))) >= 3
    trips = Counter(Trip.objects.values_list("state", flat=True))
    assert trips[TripState.REPORTED] > sum(trips.values()) / 2
    kinds = Counter(MemberEvent.objects.values_list("kind", flat=True))
    for kind in (EventKind.ADMISSION, EventKind.CEREMONY, EventKind.OFFICIAL, EventKind.DEATH,
                 EventKind.TRANSFER_OUT, EventKind.TRANSFER_IN):  # fmt: skip
        assert kinds[kind] > 0, kind
    years = Counter(d.year for d in Case.objects.values_list("received_on", flat=True))
    assert set(years) == set(range(2022, AS_OF.year + 1))
    assert Member.objects.filter(status=MemberStatus.PROBATIONARY).exists()


def models_f(name: str) -> Any:
    from django.db.models import F

    return F(name)


def _overlaps_of_persons() -> None:
    """Subjects who are not members; a member's child applying, linked both ways; a member
    declared as a spouse (linked) and vetted too: one person in two roles."""
    non_members = Case.objects.filter(person__member__isnull=True)
    assert non_members.filter(case_type__code="KET_NAP").exists()
    assert non_members.filter(case_type__code="TUYEN_DUNG").exists()
    declared = Relative.objects.filter(identity__isnull=False)
    vetted_and_declared = Person.objects.filter(
        cases__isnull=False, declared_as__in=declared
    ).distinct()
    assert vetted_and_declared.exists()
    child = declared.filter(relationship__code="con-de", identity__cases__isnull=False).first()
    assert child is not None
    assert Relative.objects.filter(person=child.identity, identity=child.person).exists()
    asked = VerificationRequest.objects.filter(relative__identity__isnull=False)
    assert asked.exists()


def _indexes() -> set[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'")
        return set(cur.fetchall())


@pytest.mark.audit_guard_off
@pytest.mark.django_db(transaction=True)
def test_the_threaded_writer_makes_every_index_it_dropped_again(reseeded: None) -> None:
    """PostgreSQL: the load's own thread drops the indexes of the tables it fills from empty
    and makes them again before committing; the database ends with the same indexes, and the
    counters of the reports are exact."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the threaded writer is PostgreSQL's (SQLite loads in the caller's thread)")
    before = _indexes()
    call_command("synth", members=300, seed=41, full=True, as_of=AS_OF)
    assert _indexes() == before
    assert Case.objects.count() > 0 and VerificationRequest.objects.count() > 0
    from hoso.reports import counters

    assert counters.differences()[1] == []
