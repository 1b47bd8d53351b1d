"""A commune office with a vetting team, a subject with declared relatives, and helpers that
walk a case along its workflow."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from hoso.access.models import User
from hoso.access.roles import Clearance, Role
from hoso.documents.models import DocumentKind
from hoso.lib.workdays import Unit
from hoso.orgs.models import Term
from hoso.people.models import Member, Person, Relationship, Relative
from hoso.vetting import actions, verification
from hoso.vetting.models import Addressee, AddresseeKind, Case, CaseType, CaseTypeVersion
from hoso.vetting.transitions import Move
from tests.conftest import Personas, World, make_user

D = dt.date
ALL_STEPS = ["review", "verification", "compiling", "proposal"]
OUTCOMES = [["DU", "Đủ tiêu chuẩn chính trị"], ["KHONG_DU", "Không đủ tiêu chuẩn chính trị"]]


def make_type(code: str = "T_BO_NHIEM", **rules: Any) -> CaseType:
    """A case type of our own (seeded rows are gone after a transactional test's flush)."""
    case_type, _ = CaseType.objects.get_or_create(code=code)
    values = dict(
        name="Đề bạt, bổ nhiệm (thử)",
        period_days=30,
        period_unit=Unit.WORKING,
        pausable=True,
        default_classification=Clearance.CONFIDENTIAL,
        min_team_size=3,
        reply_days=15,
        outcomes=OUTCOMES,
        steps=ALL_STEPS,
    )
    values.update(rules)
    number = case_type.versions.count() + 1
    case_type.current = CaseTypeVersion.objects.create(case_type=case_type, number=number, **values)
    case_type.save()
    return case_type


@dataclass
class Office:
    officer: User
    officer2: User
    officer3: User
    head: User
    clerk: User
    member: Member
    father: Relative
    mother: Relative
    police: Addressee
    committee: Addressee
    case_type: CaseType


@pytest.fixture
def office(world: World, personas: Personas) -> Office:
    Term.objects.create(organization=world.commune_a, name="2025-2030", starts_on=D(2025, 10, 1))
    DocumentKind.objects.get_or_create(code="PYC", defaults={"name": "Phiếu yêu cầu xác minh"})
    officer = make_user("officer_a", world.commune_a, Role.OFFICER, Clearance.CONFIDENTIAL)
    officer2 = make_user("officer_a2", world.commune_a, Role.OFFICER, Clearance.CONFIDENTIAL)
    officer3 = make_user("officer_a3", world.commune_a, Role.OFFICER, Clearance.CONFIDENTIAL)
    head = make_user("head_a", world.commune_a, Role.HEAD, Clearance.SECRET)
    person = Person.objects.create(
        family_name="Trần",
        middle_name="Thị",
        given_name="Hoà",
        sex="F",
        birth_date=D(1985, 3, 2),
        home_town="xã An Bình",
    )
    member = Member.objects.create(person=person, organization=world.cell_a, status="official")
    father_rel, _ = Relationship.objects.get_or_create(code="bo", defaults={"name": "Bố đẻ"})
    mother_rel, _ = Relationship.objects.get_or_create(code="me", defaults={"name": "Mẹ đẻ"})
    father = Relative.objects.create(
        person=person,
        relationship=father_rel,
        full_name="Trần Văn Bình",
        birth_year=1955,
        recorded_by=officer,
    )
    mother = Relative.objects.create(
        person=person,
        relationship=mother_rel,
        full_name="Lê Thị Cúc",
        birth_year=1958,
        recorded_by=officer,
    )
    police = Addressee.objects.create(name="Phòng PV06 Công an tỉnh", kind=AddresseeKind.POLICE)
    committee = Addressee.objects.create(name="Đảng ủy xã Tân Lập", kind=AddresseeKind.COMMITTEE)
    return Office(
        officer,
        officer2,
        officer3,
        head,
        personas.clerk_a,
        member,
        father,
        mother,
        police,
        committee,
        make_type(),
    )


def open_case(office: Office, world: World, **changes: Any) -> Case:
    values: dict[str, Any] = dict(
        purpose="Phó Chủ tịch UBND xã",
        competent_committee=world.commune_a,
        request_number="12-TTr/UBND",
        request_date=D(2026, 3, 2),
        request_issuer="UBND xã",
        received_on=D(2026, 3, 4),
        handed_over_by="Nguyễn Văn Giao",
        handover_items="Tờ trình; sơ yếu lý lịch; bản tự kiểm điểm",
    )
    values.update(changes)
    case_type = values.pop("case_type", office.case_type)
    actor = values.pop("opened_by", office.officer)
    return actions.cases.open_case(
        actor, world.commune_a, case_type, office.member.person, **values
    )


def to_verifying(office: Office, case: Case) -> Case:
    """received → review → awaiting decision → planning (decision) → verifying (team, plan)."""
    case = actions.cases.move(office.officer, case, Move.REVIEW)
    case = actions.cases.move(office.officer, case, Move.ASK_DECISION)
    case = actions.cases.move(
        office.officer,
        case,
        Move.RECORD_DECISION,
        decision_number="05-QĐ/ĐU",
        decision_date=D(2026, 3, 10),
    )
    actions.cases.set_team(
        office.head, case, [office.officer, office.officer2, office.officer3], office.officer
    )
    actions.cases.write(
        office.officer, case, field="plan", text="Xác minh lý lịch bản thân và bố mẹ."
    )
    return actions.cases.move(office.officer, case, Move.START_VERIFYING)


def issue(office: Office, case: Case, **changes: Any) -> list[Any]:
    targets = changes.pop("targets", [verification.Target(person=case.person)])
    addressees = changes.pop("addressees", [office.police])
    values = {"questions": "Đề nghị xác minh lịch sử chính trị.", "sent_on": D(2026, 3, 12)}
    values.update(changes)
    return actions.requests.issue(office.officer, case, targets, addressees, **values)


def to_proposed(office: Office, case: Case) -> Case:
    """From verifying, with every request answered, to proposed."""
    case = actions.cases.move(office.officer, case, Move.COMPILE)
    actions.cases.write(office.officer, case, field="proposal", text="Đề nghị kết luận.")
    return actions.cases.move(office.officer, case, Move.PROPOSE)


def conclude(office: Office, case: Case, **changes: Any) -> Any:
    values = dict(
        outcome="DU",
        text="Đồng chí Trần Thị Hoà đủ tiêu chuẩn chính trị.",
        number="15-KL/ĐU",
        signed_on=D(2026, 4, 20),
        signer="Nguyễn Văn An",
        authority="T/M",
    )
    values.update(changes)
    return actions.cases.conclude(office.head, case, **values)


def verifying_with_reply(office: Office, world: World) -> Case:
    """A case verifying, its one request answered without discrepancy."""
    case = to_verifying(office, open_case(office, world))
    (request,) = issue(office, case)
    actions.requests.record_reply(
        office.officer,
        request,
        received_on=D(2026, 3, 20),
        reference="9/PV06",
        summary="Không có vấn đề",
        items=[],
    )
    return case


def proposed_with_reply(office: Office, world: World) -> Case:
    """A case verified (one request, answered without discrepancy) and proposed."""
    return to_proposed(office, verifying_with_reply(office, world))
