"""One scenario per registered due-item source: items that fall due, who is to be told, and a
change of state that voids a claim. tests/notices/test_sources.py runs every test over
SCENARIOS and fails when a registered source has none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from hoso.access.models import User
from hoso.cadres import actions as cadres
from hoso.cadres.models import Cadre, Entry
from hoso.documents.models import DocumentKind
from hoso.people import actions as people
from hoso.people.models import Member, MemberStatus, Person
from hoso.people.transitions import Move
from hoso.petitions import actions as petitions
from hoso.petitions.models import PetitionRule
from hoso.travel import actions as travel
from hoso.vetting import actions
from hoso.vetting import actions as vetting
from hoso.vetting.models import TeamMember
from hoso.vetting.transitions import HelpMove
from tests.cadres import helpers as cadre_help
from tests.conftest import Personas, World
from tests.vetting.office import D, Office, issue, open_case, to_verifying
from tests.vetting.test_help import receive as receive_help


@dataclass
class Scenario:
    items: list[models.Model]
    told: set[User]  # the people told of each item, and nobody else
    deadline: dt.date
    soon: dt.date | None  # the first day it is due soon (None: the source warns when overdue)
    change: Callable[[Any], Any]  # a change of state that voids a claim on the item

    @property
    def quiet(self) -> dt.date:
        return (self.soon or self.deadline) - dt.timedelta(days=1)

    @property
    def late(self) -> dt.date:
        return self.deadline + dt.timedelta(days=1)


Factory = Callable[[Office, World, Personas, int], Scenario]
SOON = dt.timedelta(days=3)


def commune_a_staff(office: Office, personas: Personas) -> set[User]:
    """Who may manage records of commune A or its cell: its clerk, officers and head (not the
    province's head, not commune B, not the auditor or the administrator)."""
    return {
        personas.clerk_a,
        personas.officer_a,
        office.officer,
        office.officer2,
        office.officer3,
        office.head,
    }


def cases(office: Office, world: World, personas: Personas, count: int) -> Scenario:
    made = [open_case(office, world) for _ in range(count)]
    for case in made:
        TeamMember.objects.create(case=case, user=office.officer2, leader=True)
    due = made[0].due_on
    return Scenario(
        items=list(made),
        told={office.officer, office.officer2},  # the officer in charge and the team
        deadline=due,
        soon=due - SOON,
        change=lambda case: vetting.cases.pause_clock(office.officer, case, reason="Chờ", on=due),
    )


def requests(office: Office, world: World, personas: Personas, count: int) -> Scenario:
    made = []
    for _ in range(count):
        case = to_verifying(office, open_case(office, world))
        case.due_on = D(2026, 12, 31)  # keep the case quiet
        case.save(update_fields=["due_on"])
        made.extend(issue(office, case))
    return Scenario(
        items=made,
        told={office.officer, office.officer2, office.officer3},  # the team of three
        deadline=made[0].due_on,
        soon=None,
        change=lambda vr: actions.requests.cancel(office.officer, vr, reason="Gửi nhầm"),
    )


def help_requests(office: Office, world: World, personas: Personas, count: int) -> Scenario:
    """Requests for verification help from other bodies, assigned to an officer: only they are
    told, before and after the answer's due date."""
    made = [
        actions.help.assign(office.head, receive_help(office, world), office.officer2)
        for _ in range(count)
    ]
    due = made[0].due_on
    return Scenario(
        items=list(made),
        told={office.officer2},
        deadline=due,
        soon=due - SOON,
        change=lambda hr: actions.help.move(office.officer2, hr, HelpMove.CANCEL, reason="Rút"),
    )


def petition_items(office: Office, world: World, personas: Personas, count: int) -> Scenario:
    PetitionRule.objects.get_or_create(kind="classify", defaults={"days": 10, "unit": "working"})
    made = [
        petitions.receive(
            office.clerk,
            world.commune_a,
            received_on=D(2026, 3, 2),
            channel="post",
            summary="Phản ánh kê khai lý lịch không đúng",
            subjects=[("Trần Thị Hoà", "Phó Chủ tịch UBND xã", None)],
        )
        for _ in range(count)
    ]
    due = made[0].due_on
    return Scenario(
        items=list(made),
        told=commune_a_staff(office, personas),
        deadline=due,
        soon=due - SOON,
        change=lambda petition: petitions.classify(
            office.officer,
            petition,
            kind="denunciation",
            naming="anonymous",  # not handled: closed
            within_competence=True,
            repeated=False,
            new_evidence=False,
        ),
    )


def returned_trip(office: Office, member: Member | None = None) -> Any:
    DocumentKind.objects.get_or_create(code="TB", defaults={"name": "Thông báo"})
    trip = travel.request_trip(
        office.officer,
        member or office.member,
        purpose="private",
        countries="Nhật Bản",
        planned_from=D(2026, 6, 1),
        planned_to=D(2026, 6, 20),
        funding="self",
        passport_type="ordinary",
        requested_on=D(2026, 5, 4),
    )
    travel.move(office.officer, trip, "opinion", on=D(2026, 5, 6), text="Chi bộ đồng ý")
    travel.move(office.head, trip, "approve", on=D(2026, 5, 8), number="45-QĐ/ĐU")
    travel.move(office.officer, trip, "notify", on=D(2026, 5, 9))
    travel.move(office.officer, trip, "depart", on=D(2026, 6, 1))
    travel.move(office.officer, trip, "return", on=D(2026, 6, 19))
    trip.refresh_from_db()
    return trip


def trips(office: Office, world: World, personas: Personas, count: int) -> Scenario:
    made = [returned_trip(office) for _ in range(count)]
    due = made[0].report_due_on
    return Scenario(
        items=made,
        told=commune_a_staff(office, personas),
        deadline=due,
        soon=due - SOON,
        change=lambda trip: travel.move(
            office.officer, trip, "report", on=due, text="Không có vấn đề"
        ),
    )


def stays(office: Office, world: World, personas: Personas, count: int) -> Scenario:
    """Long stays abroad whose planned return (30/6/2026) passes with no return recorded."""
    made = [
        travel.record_stay(
            office.officer,
            office.member,
            kind="work",
            country="Lào",
            place="Viêng Chăn",
            decision_number="3-QĐ/UBND",
            decision_date=D(2024, 5, 2),
            decision_issuer="UBND tỉnh",
            since=D(2024, 6, 1),
            planned_return=D(2026, 6, 30),
            managing_body="Chi bộ doanh nghiệp tại Viêng Chăn",
        )
        for _ in range(count)
    ]
    return Scenario(
        items=list(made),
        told=commune_a_staff(office, personas),
        deadline=D(2026, 6, 30),
        soon=None,
        change=lambda stay: travel.record_return(office.officer, stay, on=D(2026, 7, 2)),
    )


def applicant(personas: Personas, world: World, n: int, status: str = "candidate") -> Member:
    return people.members.register_member(
        personas.clerk_a,
        world.cell_a,
        {"family_name": "Võ", "middle_name": "Thị", "given_name": f"Sáu {n}", "sex": "F"},
        {"status": status, **({"official_on": D(2010, 3, 3)} if status == "official" else {})},
    )


def admitted(personas: Personas, world: World, n: int) -> Member:
    member = applicant(personas, world, n)
    people.members.record_move(
        personas.clerk_a, member, Move.ADMIT, date=D(2026, 1, 16), decision_number="12-QĐ/ĐU"
    )
    return member


def admissions(office: Office, world: World, personas: Personas, count: int) -> Scenario:
    made = [admitted(personas, world, n) for n in range(count)]
    due = made[0].ceremony_due_on
    assert made[0].status == MemberStatus.PROBATIONARY and due is not None
    return Scenario(
        items=list(made),
        told=commune_a_staff(office, personas),
        deadline=due,
        soon=due - SOON,
        change=lambda member: people.members.record_move(
            personas.clerk_a, member, Move.CEREMONY, date=due
        ),
    )


def transfers(office: Office, world: World, personas: Personas, count: int) -> Scenario:
    made = [
        people.members.introduce_transfer(
            personas.clerk_a,
            applicant(personas, world, n, status="official"),
            kind="official",
            letter_number=f"{45 + n}-GGT/ĐU",
            introduced_on=D(2026, 3, 2),
            to_org=world.cell_b,
        )
        for n in range(count)
    ]
    due = made[0].present_due_on
    return Scenario(
        items=list(made),
        told={personas.officer_b},  # the receiving commune accepts it; the sender is not told
        deadline=due,
        soon=due - SOON,
        change=lambda transfer: people.members.accept_transfer(
            personas.officer_b, transfer, received_on=due
        ),
    )


def cadre_staff(office: Office, personas: Personas) -> set[User]:
    """Who may manage cadres of commune A: its officers and head (no clerk: not cadre work)."""
    return commune_a_staff(office, personas) - {personas.clerk_a}


def _cadre_people(office: Office, world: World, count: int) -> list[Person]:
    people = [office.member.person]
    for n in range(1, count):
        person = Person.objects.create(family_name="Lý", given_name=f"Văn {n}", sex="M")
        Member.objects.create(person=person, organization=world.cell_a, status="official")
        people.append(person)
    return people


CONCLUSION_ENDS = D(2027, 4, 20)  # a conclusion signed 20/04/2026 serving 12 months


def cadre_conclusions(office: Office, world: World, personas: Personas, count: int) -> Scenario:
    made = []
    for person in _cadre_people(office, world, count):
        record = cadres.records.open_record(office.officer, person, world.commune_a)
        cadre_help.post(office, record)
        made.append(record)
    # The copy cadres.actions.depends keeps when a conclusion is recorded (tests/cadres walk
    # the real one); here only the worker's side is under test.
    Cadre.objects.filter(pk__in=[c.pk for c in made]).update(conclusion_until=CONCLUSION_ENDS)
    return Scenario(
        items=list(made),
        told=cadre_staff(office, personas),
        deadline=CONCLUSION_ENDS,
        soon=CONCLUSION_ENDS - dt.timedelta(days=60),
        change=lambda record: cadres.records.end_post(
            office.officer, record.posts.get(), ended_on=D(2026, 6, 1)
        ),
    )


def entry_conclusions(office: Office, world: World, personas: Personas, count: int) -> Scenario:
    cadre_help.rule()
    listed = cadre_help.plan(office, world)
    made = [
        cadre_help.entry(office, listed, person) for person in _cadre_people(office, world, count)
    ]
    Entry.objects.filter(pk__in=[e.pk for e in made]).update(conclusion_until=CONCLUSION_ENDS)
    return Scenario(
        items=list(made),
        told=cadre_staff(office, personas),
        deadline=CONCLUSION_ENDS,
        soon=CONCLUSION_ENDS - dt.timedelta(days=60),
        change=lambda entry: cadres.plans.remove_entry(
            office.officer,
            entry,
            decision_number="9-QĐ",
            decision_on=D(2026, 6, 1),
            reason="Chuyển công tác",
        ),
    )


SCENARIOS: dict[str, Factory] = {
    "cadre-conclusion": cadre_conclusions,
    "entry-conclusion": entry_conclusions,
    "case": cases,
    "request": requests,
    "help": help_requests,
    "petition": petition_items,
    "trip-report": trips,
    "stay-return": stays,
    "admission": admissions,
    "transfer": transfers,
}
