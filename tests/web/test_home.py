"""The home page (web/home.py): each role's panels and no other's; every number is the count
of the list it links to (followed and counted here); commune ZZB, outside the commune A
personas' scope, is never counted; a head's figures are read through the audited reports."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import resolve
from django.utils import timezone

from hoso.access.models import User
from hoso.audit import events
from hoso.audit.models import AuditEvent
from hoso.documents.actions import numbering
from hoso.lib import periods
from hoso.orgs.models import Term
from hoso.people import actions as people
from hoso.people.models import Member, Person, Transfer
from hoso.petitions import actions as petitions
from hoso.petitions.models import Petition
from hoso.travel import actions as travel
from hoso.travel.models import Trip
from hoso.vetting import actions
from hoso.vetting.models import Case, VerificationRequest
from hoso.web import home
from tests.conftest import Personas, World, client_for, record_event
from tests.notices.scenarios import admitted, applicant, returned_trip
from tests.vetting.office import D, Office, issue, open_case, to_verifying
from tests.vetting.test_help import receive as receive_help

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def _person(family: str, given: str) -> Person:
    return Person.objects.create(family_name=family, given_name=given, sex="M")


def _zzb_case(office: Office, world: World, personas: Personas) -> Case:
    member = Member.objects.create(
        person=_person("Lê", "ZZB Một"), organization=world.cell_b, status="official"
    )
    return actions.cases.open_case(
        personas.officer_b,
        world.commune_b,
        office.case_type,
        member.person,
        purpose="Bí thư ZZB",
        competent_committee=world.commune_b,
        request_number="9-TTr",
        request_date=TODAY - 3 * DAY,
        request_issuer="Chi bộ ZZB",
        received_on=TODAY - 2 * DAY,
        handed_over_by="ZZB",
        handover_items="Tờ trình",
    )


def _zzb_trip(personas: Personas, world: World, member: Member) -> Trip:
    """Back from abroad, its report overdue: in ZZB, by ZZB's officer and the province's head."""
    Term.objects.create(organization=world.commune_b, name="2025-2030", starts_on=D(2025, 10, 1))
    trip = travel.request_trip(
        personas.officer_b,
        member,
        purpose="private",
        countries="Lào",
        planned_from=D(2026, 6, 1),
        planned_to=D(2026, 6, 5),
        funding="self",
        passport_type="ordinary",
        requested_on=D(2026, 5, 4),
    )
    travel.move(personas.officer_b, trip, "opinion", on=D(2026, 5, 6), text="Đồng ý")
    travel.move(personas.head_p, trip, "approve", on=D(2026, 5, 8), number="7-QĐ/TU")
    travel.move(personas.officer_b, trip, "notify", on=D(2026, 5, 9))
    travel.move(personas.officer_b, trip, "depart", on=D(2026, 6, 1))
    return travel.move(personas.officer_b, trip, "return", on=D(2026, 6, 5))


def _due(model: Any, obj: Any, **dates: dt.date) -> None:
    """Set a deadline directly (the test's own setup): the rules that compute it are tested
    in their apps; here only which list a record falls in matters."""
    model.objects.filter(pk=obj.pk).update(**dates)


@dataclass
class Built:
    office: Office
    mine_overdue: Case
    mine_soon: Case
    others: Case  # in commune A, not on the officer's team


@pytest.fixture
def built(office: Office, world: World, personas: Personas) -> Built:
    o = office
    # Cases: two on the officer's team (one overdue, one due in 3 days), one of a colleague,
    # and one in ZZB, overdue.
    mine_overdue = to_verifying(o, open_case(o, world))  # received in March 2026
    mine_soon = open_case(o, world, received_on=TODAY - DAY)
    actions.cases.assign(o.head, [mine_soon], o.officer)
    others = open_case(o, world, received_on=TODAY, opened_by=o.officer2)
    actions.cases.assign(o.head, [others], o.officer2)
    _due(Case, mine_overdue, due_on=TODAY - 2 * DAY)
    _due(Case, mine_soon, due_on=TODAY + 3 * DAY)
    _due(Case, others, due_on=TODAY - DAY)
    zzb = _zzb_case(o, world, personas)
    _due(Case, zzb, due_on=TODAY - 5 * DAY)
    # Requests on the officer's case: two to the police (one overdue), one to the committee.
    first, second = issue(o, mine_overdue, addressees=[o.police, o.committee])
    (third,) = issue(o, mine_overdue, questions="Lần hai")
    _due(VerificationRequest, first, due_on=TODAY - DAY)
    for waiting in (second, third):
        _due(VerificationRequest, waiting, due_on=TODAY + 5 * DAY)
    # Requests for help: one assigned to the officer, one not assigned and overdue.
    mine_help = receive_help(o, world, received_on=TODAY - DAY)
    actions.help.assign(o.head, mine_help, o.officer)
    late_help = receive_help(o, world, received_on=TODAY - DAY, sender_reference="7-CV")
    late_help.__class__.objects.filter(pk=late_help.pk).update(due_on=TODAY - DAY)
    # Petitions: one overdue, one near its limit, in A; one overdue in ZZB.
    subjects = [("Trần Thị Hoà", "Phó Chủ tịch", None)]
    for due_on, actor, org in (
        (TODAY - DAY, o.clerk, world.commune_a),
        (TODAY + DAY, o.clerk, world.commune_a),
        (TODAY - DAY, personas.officer_b, world.commune_b),
    ):
        petition = petitions.receive(
            actor,
            org,
            received_on=TODAY - 2 * DAY,
            channel="post",
            summary="Phản ánh",
            subjects=subjects,
        )
        _due(Petition, petition, due_on=due_on)
    # Trips: a report overdue, a report due in two days; ZZB's report overdue.
    returned_trip(o)
    soon = returned_trip(o)
    _due(Trip, soon, report_due_on=TODAY + 2 * DAY)
    zzb_member = Member.objects.create(
        person=_person("Lê", "ZZB Hai"), organization=world.cell_b, status="official"
    )
    _zzb_trip(personas, world, zzb_member)
    # Life cycle: a ceremony overdue in A, one in ZZB; a transfer from A to ZZB (A presents
    # it: counted in A's deadlines) and one from ZZB to A (A's clerk receives it).
    admitted(personas, world, 0)
    zzb_probationer = Member.objects.create(
        person=_person("Lê", "ZZB Ba"), organization=world.cell_b, status="probationary"
    )
    _due(Member, zzb_probationer, ceremony_due_on=TODAY - DAY)
    sent = people.members.introduce_transfer(
        personas.clerk_a,
        applicant(personas, world, 1, status="official"),
        kind="official",
        letter_number="45-GGT/ĐU",
        introduced_on=TODAY - DAY,
        to_org=world.cell_b,
    )
    zzb_leaving = Member.objects.create(
        person=_person("Lê", "ZZB Bốn"), organization=world.cell_b, status="official"
    )
    received = people.members.introduce_transfer(
        personas.officer_b,
        zzb_leaving,
        kind="official",
        letter_number="3-GGT/ĐU",
        introduced_on=TODAY - DAY,
        to_org=world.cell_a,
    )
    for transfer in (sent, received):
        _due(Transfer, transfer, present_due_on=TODAY + 5 * DAY)
    # Registers: last year's supplement declared, not certified; letters filed nowhere.
    people.books.declare_supplement(
        o.clerk, o.member, year=TODAY.year - 1, declared_on=TODAY, changes="Không thay đổi"
    )
    for actor, org in ((o.clerk, world.commune_a), (personas.officer_b, world.commune_b)):
        numbering.register_incoming(
            actor,
            org,
            received_on=TODAY,
            sender="UBND",
            sender_reference="1/UB",
            summary="Giấy mời họp",
        )
    return Built(o, mine_overdue, mine_soon, others)


COUNTS = re.compile(r'<a href="([^"]+)" data-count="(\d+)"')


def counts_on_home(client: Client) -> list[tuple[str, int]]:
    response = client.get("/")
    assert response.status_code == 200
    return [(html.unescape(url), int(n)) for url, n in COUNTS.findall(response.content.decode())]


def panel_keys(client: Client) -> list[str]:
    return [p.key for p in client.get("/").context["panels"]]


ROWS = {
    "case-list": "cases",
    "request-list": "rows",
    "help-list": "rows",
    "petition-list": "rows",
    "trip-list": "rows",
    "dossier-incomplete": "members",
    "supplements": "rows",
    "transfer-list": "incoming",
    "documents-incoming": "rows",
    "audit-list": "events",
}


def rows_behind(client: Client, url: str) -> int:
    """Follow a count's link and count the records the list shows."""
    address, _sep, anchor = url.partition("#")
    response = client.get(address)
    assert response.status_code == 200, url
    name = resolve(address.split("?")[0]).url_name
    if name == "deadlines":
        return len(response.context[anchor])
    if name == "report-indicator":
        return int(response.context["figure"].total)
    if name == "report-status":
        return len(response.context["below"])
    return len(response.context[ROWS[str(name)]])


def assert_every_count_is_its_list(client: Client) -> dict[str, int]:
    found = counts_on_home(client)
    assert found
    for url, n in found:
        assert rows_behind(client, url) == n, url
    return dict(found)


def test_an_officer_sees_their_own_work_each_number_its_list(built: Built) -> None:
    client = client_for(built.office.officer)
    assert panel_keys(client) == ["cases", "requests", "help", "petitions", "trips", "life-cycle"]
    found = assert_every_count_is_its_list(client)
    # Their own cases only: the colleague's overdue case and ZZB's are not counted.
    assert found["/cases/?queue=overdue&mine=1"] == 1
    assert found["/cases/?queue=week&mine=1"] == 1
    assert found["/cases/?queue=mine"] == 2
    assert found["/cases/requests/?show=overdue&mine=1"] == 1
    assert found["/cases/requests/?show=open&mine=1"] == 3
    police = f"/cases/requests/?show=open&addressee={built.office.police.pk}&mine=1"
    assert found[police] == 2
    assert found["/cases/help/?queue=mine"] == 1
    assert found["/cases/help/?queue=overdue"] == 1
    assert found["/petitions/?show=overdue"] == 1  # not ZZB's
    assert found["/petitions/?show=soon"] == 1
    assert found["/travel/?show=report_overdue"] == 1
    assert found["/travel/?show=report_due"] == 1
    assert found["/members/deadlines/#ceremonies"] == 1  # not ZZB's
    assert found["/members/deadlines/#transfers"] == 2  # sent to ZZB, and received from it


def test_a_head_sees_the_office_and_the_quarters_figures(built: Built, world: World) -> None:
    head = built.office.head
    client = client_for(head)
    keys = panel_keys(client)
    assert keys == [
        "cases", "requests", "help", "petitions", "trips", "life-cycle", "figures",
        "lower-reports",
    ]  # fmt: skip
    found = assert_every_count_is_its_list(client)
    assert found["/cases/?queue=overdue"] == 2  # the officer's and the colleague's; not ZZB's
    assert found["/cases/?queue=open"] == 3
    assert found["/cases/help/?queue=unassigned"] == 1
    period = home._quarters(TODAY)[-1].key
    received = f"/reports/cases.received/?org={world.commune_a.pk}&period={period}"
    assert found[received] == 2  # received this week (ZZB's is outside the scope)
    page = client.get("/").content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in page
    assert "<script" not in page.split("<main>")[1]


def test_the_heads_figures_are_audited_reads(built: Built, world: World) -> None:
    head = built.office.head
    before = AuditEvent.objects.filter(event_type=events.REPORT_VIEWED.code).count()
    client_for(head).get("/")
    read = AuditEvent.objects.filter(event_type=events.REPORT_VIEWED.code).order_by("id")
    (made,) = list(read)[before:]  # one read for the quarter and the four before
    assert (made.actor_id, made.organization_id) == (head.pk, world.commune_a.pk)
    assert made.details["via"] == "home"
    quarters = [q.key for q in home._quarters(TODAY)]
    assert made.details["periods"] == [quarters[-1], *quarters[:-1]]
    assert len(quarters) == home.QUARTERS
    assert "cases.overdue" in made.details["indicators"]
    assert "members.status" not in made.details["indicators"]  # slow stocks stay off


def test_a_clerk_sees_the_registers_waiting(built: Built) -> None:
    client = client_for(built.office.clerk)
    assert panel_keys(client) == ["registers"]
    found = assert_every_count_is_its_list(client)
    year = TODAY.year - 1
    assert found[f"/members/supplements/?year={year}&declared=1"] == 1
    assert found["/members/transfers/"] == 1  # from ZZB into A; not the one A sent
    assert found[f"/documents/incoming/?year={TODAY.year}&unfiled=1"] == 1  # not ZZB's


def test_an_auditor_sees_todays_sensitive_reads_in_scope(
    built: Built, world: World, personas: Personas
) -> None:
    o = built.office
    for org, actor in ((world.commune_a, o.officer), (world.commune_b, personas.officer_b)):
        record_event(events.CASE_VIEWED.code, actor=actor, organization=org)
        record_event(events.MEMBERS_EXPORTED.code, actor=actor, organization=org)
    record_event(events.CASE_CHANGED.code, actor=o.officer, organization=world.commune_a)
    client = client_for(personas.auditor_a)
    assert panel_keys(client) == ["audit"]
    found = assert_every_count_is_its_list(client)
    day = TODAY.isoformat()
    assert found[f"/audit/?kind=read&date_from={day}&date_to={day}"] == 2  # not ZZB's
    assert found[f"/audit/?kind=export&date_from={day}&date_to={day}"] == 1


def test_no_role_no_panel(personas: Personas) -> None:
    for user in (personas.admin_a, personas.nobody):
        response = client_for(user).get("/")
        assert response.context["panels"] == []
        assert b'class="panels"' not in response.content


def test_a_head_sees_the_last_quarters_reports_of_the_organizations_below(
    built: Built, personas: Personas
) -> None:
    panel = home.lower_reports(personas.head_p, TODAY)
    assert panel is not None
    counts = {c.label: c.n for c in panel.counts}
    assert counts["Tổ chức trực thuộc"] == 2  # the two communes below the province
    assert counts["Đã gửi"] == 0
    # Past the due day of the quarter before this one, neither has submitted: both late.
    quarter = periods.containing(TODAY, periods.QUARTER)
    due = quarter.start - DAY + 5 * DAY
    assert counts["Chậm"] == (2 if due < TODAY else 0)
    follow = client_for(personas.head_p).get(panel.counts[0].url)
    assert follow.status_code == 200
    assert home.lower_reports(built.office.officer, TODAY) is None  # heads and leaders only


def test_the_audit_trail_filters_reads_and_exports(personas: Personas, world: World) -> None:
    record_event(events.CASE_VIEWED.code, actor=personas.officer_a, organization=world.commune_a)
    record_event(events.MEMBERS_EXPORTED.code, actor=personas.clerk_a, organization=world.commune_a)
    record_event(events.CASE_CHANGED.code, actor=personas.officer_a, organization=world.commune_a)
    client = client_for(personas.auditor_a)
    shown = {
        kind: [e.event_type for e in client.get(f"/audit/?kind={kind}").context["events"]]
        for kind in ("read", "export")
    }
    assert sorted(shown["read"]) == ["case.viewed", "member.exported"]
    assert shown["export"] == ["member.exported"]


def test_officer_lists_narrowed_to_their_own_cases(built: Built, personas: Personas) -> None:
    """?mine=1 on the case and request lists: the cases the officer is on, nothing else."""
    client = client_for(built.office.officer)
    overdue = client.get("/cases/?queue=overdue&mine=1").context["cases"]
    assert [c.pk for c in overdue] == [built.mine_overdue.pk]
    everyone = client.get("/cases/?queue=overdue").context["cases"]
    assert {c.pk for c in everyone} == {built.mine_overdue.pk, built.others.pk}
    other: User = personas.officer_a  # in commune A, on no team
    assert len(client_for(other).get("/cases/requests/?show=open").context["rows"]) == 3
    assert not client_for(other).get("/cases/requests/?show=open&mine=1").context["rows"]
