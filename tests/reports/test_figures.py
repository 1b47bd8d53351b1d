"""Every indicator computed on a fixture whose true values are known by construction: records
just inside and just outside the period, a second commune (ZZB) below the same province, and a
person who is both vetted and declared as another member's relative."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from hoso.access.roles import Clearance, Role
from hoso.audit.models import AuditEvent
from hoso.lib.periods import parse
from hoso.people import actions as people_actions
from hoso.people.models import Member, Person, Relationship, Relative
from hoso.reports import compute, indicators, reads
from hoso.vetting import actions, verification
from hoso.vetting.models import Case
from hoso.vetting.transitions import Move
from tests.conftest import Personas, World, make_user
from tests.vetting.office import (
    Office,
    conclude,
    issue,
    office,
    open_case,
    to_proposed,
    to_verifying,
)

__all__ = ["office"]  # the fixture, imported for pytest

D = dt.date
Q1 = parse("2026-q1")


def member_in(org: Any, family: str, given: str, **person: Any) -> Member:
    values = {"sex": "M", "birth_date": D(1980, 1, 1), **person}
    found = Person.objects.create(family_name=family, given_name=given, **values)
    return Member.objects.create(person=found, organization=org, status="official")


@dataclass
class Built:
    o: Office
    second: Member  # declares the first subject as a relative (linked)
    cases_q1: list[Any]


@pytest.fixture
def built(world: World, personas: Personas, office: Office) -> Built:
    o = office
    # Commune A, Q1 2026: two cases received (1 January, 9 March); outside it one on
    # 31 December 2025 and one on 1 April; one in Q1 2025 (the comparison).
    c1 = open_case(o, world, received_on=D(2026, 1, 1), request_date=D(2025, 12, 30))
    second = member_in(world.cell_a, "Lê", "Minh", home_town="xã An Bình")
    spouse, _ = Relationship.objects.get_or_create(code="vo", defaults={"name": "Vợ"})
    declared = Relative.objects.create(
        person=second.person,
        relationship=spouse,
        full_name="Trần Thị Hoà",
        birth_year=1985,
        recorded_by=o.officer,
    )
    people_actions.identity.link_relative(
        o.officer, declared, o.member.person, reason="Cùng một người: đối chiếu CCCD"
    )
    c2 = actions.cases.open_case(
        o.officer,
        world.commune_a,
        o.case_type,
        second.person,
        purpose="Bí thư chi bộ",
        competent_committee=world.province,
        request_number="3-TTr",
        request_date=D(2026, 3, 5),
        request_issuer="Chi bộ",
        received_on=D(2026, 3, 9),
        handed_over_by="Nguyễn Văn Giao",
        handover_items="Tờ trình",
    )
    open_case(o, world, received_on=D(2026, 4, 1))
    open_case(o, world, received_on=D(2025, 12, 31), request_date=D(2025, 12, 30))
    open_case(o, world, received_on=D(2025, 3, 10), request_date=D(2025, 3, 1))
    # Requests in Q1: c1 about its subject and the father; c2 about its subject's declared
    # spouse, who is c1's subject (linked): three requests, two persons.
    c1 = to_verifying(o, c1)
    issue(
        o,
        c1,
        targets=[verification.Target(person=c1.person), verification.Target(relative=o.father)],
    )
    c2 = to_verifying(o, c2)
    issue(o, c2, targets=[verification.Target(relative=declared)], sent_on=D(2026, 3, 20))
    return Built(o, second, [c1, c2])


def value(user: Any, code: str, org: Any, period: Any = Q1) -> compute.Figure:
    indicator = indicators.get(code)
    assert indicator is not None
    return compute.compute(user, indicator, org, period, parts=True)


def by(figure: compute.Figure) -> dict[Any, int]:
    return {c.value: c.n for c in figure.categories if c.n}


def test_cases_received_count_the_period_only(built: Built, world: World) -> None:
    head = built.o.head
    figure = value(head, "cases.received", world.commune_a)
    assert figure.total == 2  # 1 January, 9 March; not 31 December, 1 April, March 2025
    assert by(figure) == {built.o.case_type.code: 2}
    assert value(head, "cases.received", world.commune_a, Q1.previous_year()).total == 1
    committee = value(head, "cases.received.committee", world.commune_a)
    assert by(committee) == {world.commune_a.pk: 1, world.province.pk: 1}


def test_open_overdue_concluded_and_withdrawn_at_the_period_end(built: Built, world: World) -> None:
    o = built.o
    c1, c2 = built.cases_q1
    (request,) = [r for r in c1.requests.all() if r.person_id]
    for r in c1.requests.all():
        actions.requests.record_reply(
            o.officer, r, received_on=D(2026, 3, 25), reference="9/PV06", summary="Không", items=[]
        )
    conclude(o, to_proposed(o, c1), signed_on=D(2026, 4, 20))
    actions.cases.move(o.head, c2, Move.WITHDRAW, note="Cấp ủy rút đề nghị")
    head = o.head
    # On 31 March: c1, c2, the cases of 31 December and March 2025 are open.
    assert value(head, "cases.open", world.commune_a).total == 4
    late = [c for c in Case.objects.all() if c.received_on <= Q1.end and c.due_on < Q1.end]
    assert value(head, "cases.overdue", world.commune_a).total == len(late) > 0
    assert value(head, "cases.concluded", world.commune_a).total == 0
    q2 = parse("2026-q2")
    assert value(head, "cases.concluded", world.commune_a, q2).total == 1
    # At the end of Q2: c1 concluded on 20/4; c2 (withdrawn today, after Q2), the cases of 31
    # December, 1 April and March 2025 are open.
    assert value(head, "cases.open", world.commune_a, q2).total == 4
    today = parse(f"{dt.date.today():%Y}")
    assert value(head, "cases.withdrawn", world.commune_a, today).total == 1
    outcomes = value(head, "conclusions.outcome", world.commune_a, q2)
    assert by(outcomes) == {"DU": 1}
    answered = value(head, "requests.answered", world.commune_a)
    assert answered.total == 2 and request.pk  # c1's two, on 25 March


def test_distinct_persons_are_recomputed_not_summed(built: Built, world: World) -> None:
    head = built.o.head
    issued = value(head, "requests.issued", world.commune_a)
    persons = value(head, "requests.persons", world.commune_a)
    assert issued.total == 3
    assert persons.total == 2  # c1's subject (also c2's declared spouse) and the father
    assert not indicators.get("requests.persons").additive  # type: ignore[union-attr]


def test_the_province_breaks_down_by_commune_and_sees_no_more_than_granted(
    built: Built, world: World, personas: Personas
) -> None:
    o = built.o
    officer_b = make_user("zzb_case_officer", world.commune_b, Role.OFFICER, Clearance.CONFIDENTIAL)
    far = member_in(world.cell_b, "Phạm", "Xa")
    actions.cases.open_case(
        officer_b,
        world.commune_b,
        o.case_type,
        far.person,
        purpose="Phó Bí thư",
        competent_committee=world.commune_b,
        request_number="7-TTr",
        request_date=D(2026, 2, 1),
        request_issuer="UBND phường",
        received_on=D(2026, 2, 2),
        handed_over_by="Ai đó",
        handover_items="Tờ trình",
    )
    head = make_user("head_prov", world.province, Role.HEAD, Clearance.CONFIDENTIAL)
    figure = value(head, "cases.received", world.province)
    assert figure.total == 3
    parts = {p.org.code if p.org else None: p.n for p in figure.parts or []}
    assert parts == {"DUA": 2, "ZZB": 1}
    assert sum(parts.values()) == figure.total  # additive
    # The commune's officer counts commune A only, and may not ask for the province.
    commune = value(o.officer, "cases.received", world.commune_a)
    assert commune.total == 2
    assert not compute.may_see(o.officer, indicators.REGISTRY["cases.received"], world.province)


def test_sensitive_member_figures_need_the_reveal_role(built: Built, world: World) -> None:
    clerk = built.o.clerk
    codes = {i.code for i in compute.visible(clerk, world.commune_a)}
    assert "members.status" in codes and "members.events" in codes
    assert "members.sex" not in codes and "members.ethnicity" not in codes
    assert "cases.received" not in codes  # clerks do not see casework
    head = built.o.head
    sexes = value(head, "members.sex", world.commune_a)
    assert by(sexes) == {"F": 1, "M": 1}


def test_reads_are_audited_with_what_not_who(built: Built, world: World) -> None:
    head = built.o.head
    shown = compute.visible(head, world.commune_a)
    reads.figures(head, world.commune_a, Q1, shown)
    event = AuditEvent.objects.filter(event_type="report.viewed").latest("id")
    assert event.details["period"] == "2026-q1"
    assert "members.sex" in event.details["sensitive"]
    count, rows = reads.drill(
        head,
        indicators.REGISTRY["cases.received"],
        world.commune_a,
        Q1,
        value=built.o.case_type.code,
    )
    assert count == 2 and {r.pk for r in rows} == {c.pk for c in built.cases_q1}
    listed = AuditEvent.objects.filter(event_type="report.records_listed").latest("id")
    assert listed.details == {
        "period": "2026-q1",
        "indicator": "cases.received",
        "count": 2,
        "value": built.o.case_type.code,
    }
