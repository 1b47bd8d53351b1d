"""Cadres of commune A for the tests: catalogue rows of their own (seeded rows are gone after
a transactional test's flush), a cadre with a key elected post, a list, and a conclusion
walked through the real vetting actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hoso.cadres import actions
from hoso.cadres.models import (
    Cadre,
    CadreRule,
    Entry,
    ManagementCategory,
    Plan,
    Post,
    PostKind,
)
from hoso.orgs.models import Level
from hoso.people.models import Member, Person
from hoso.vetting.models import Case, Conclusion
from tests.conftest import World
from tests.vetting.office import D, Office, conclude, make_type, proposed_with_reply


def rule(**values: Any) -> CadreRule:
    """The reminder rule with the tests' case type serving posts."""
    defaults = {"lead_days": 60, "post_case_types": "T_BO_NHIEM"}
    defaults.update(values)
    found, _ = CadreRule.objects.update_or_create(pk=1, defaults=defaults)
    return found


def category(code: str = "BTVDUX", level: str = Level.UPPER_BASE) -> ManagementCategory:
    found, _ = ManagementCategory.objects.get_or_create(
        code=code, defaults={"name": f"Diện {code} quản lý", "level": level}
    )
    return found


def kind(
    code: str = "PCT_UBND_XA", *, key: bool = True, secret: bool = False, mode: str = "elected"
) -> PostKind:
    found, _ = PostKind.objects.get_or_create(
        code=code,
        defaults={"name": f"Chức danh {code}", "key": key, "secret": secret, "mode": mode},
    )
    return found


def cadre(office: Office, world: World, member: Member | None = None) -> Cadre:
    rule()
    person = (member or office.member).person
    return actions.records.open_record(office.officer, person, world.commune_a)


def post(office: Office, record: Cadre, **changes: Any) -> Post:
    values: dict[str, Any] = dict(
        kind=kind(),
        title="Phó Chủ tịch Ủy ban nhân dân xã An Bình",
        body="Ủy ban nhân dân xã An Bình",
        elected_body="Hội đồng nhân dân xã An Bình",
        term="2021-2026",
        started_on=D(2021, 7, 15),
        decision_number="05/NQ-HĐND",
        decision_on=D(2021, 7, 15),
    )
    values.update(changes)
    return actions.records.record_post(office.officer, record, **values)


def plan(office: Office, world: World, **changes: Any) -> Plan:
    values: dict[str, Any] = dict(
        kind="planning",
        name="Quy hoạch Ban Thường vụ Đảng ủy xã nhiệm kỳ 2030-2035",
        term="2030-2035",
        case_types="T_BO_NHIEM",
    )
    values.update(changes)
    return actions.plans.create_plan(office.head, world.commune_a, **values)


def entry(office: Office, listed: Plan, person: Person | None = None, **changes: Any) -> Entry:
    values: dict[str, Any] = dict(
        target_post="Bí thư Đảng ủy xã", decision_number="120-QĐ/ĐU", decision_on=D(2026, 5, 4)
    )
    values.update(changes)
    return actions.plans.add_entry(office.officer, listed, person or office.member.person, **values)


def concluded(
    office: Office, world: World, *, months: int | None = 12, **changes: Any
) -> Conclusion:
    """A conclusion on office.member signed 20/04/2026, serving `months` (its type's rule)."""
    office.case_type = make_type(validity_months=months)
    case: Case = proposed_with_reply(office, world)
    return conclude(office, case, **changes)


def serves(months: int) -> dt.date:
    from hoso.people.rules import add_months

    return add_months(D(2026, 4, 20), months)
