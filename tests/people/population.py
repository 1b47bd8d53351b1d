"""A population of members whose counts are known by construction, for the member aggregates
(tests/people/test_aggregates.py) and the report figures served by them
(tests/reports/test_member_aggregates.py).

    TUP (province) > DUA (commune A) > CBA1: A1 official M 1980, A2 probationary F 1995,
                                             A3 candidate F 2001 (not in the Party)
                                     > CBA2: A4 official F 1960 (no religion, no education),
                                             A5 suspended M (year of birth unknown)
                     DUA itself:             A6 official M 1955 (kept at the commune)
                   > ZZB (commune B) > ZZB1: B1 official M 1970, B2 deceased M 1940
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from hoso.access.models import User
from hoso.orgs.models import Level, Organization
from hoso.people import actions
from hoso.people.models import Member, MemberStatus
from tests.conftest import Personas, World

D = dt.date


@dataclass
class Population:
    head: User  # the province's head: manages and sees every member below
    cell_a2: Organization
    a1: Member
    a2: Member
    a3: Member
    a4: Member
    a5: Member
    a6: Member
    b1: Member
    b2: Member


def register(
    actor: User, org: Organization, name: str, status: str, sex: str, born: int | None, **more: Any
) -> Member:
    person = {
        "family_name": "Nguyễn",
        "middle_name": "Văn" if sex == "M" else "Thị",
        "given_name": name,
        "sex": sex,
        "birth_date": D(born, 6, 1) if born else None,
        "ethnicity": "Kinh",
        "religion": "Không",
        "education": "12/12",
        **more,
    }
    member: dict[str, Any] = {"status": status}
    if status in (MemberStatus.OFFICIAL, MemberStatus.SUSPENDED, MemberStatus.DECEASED):
        member["official_on"] = D(2000, 1, 1)
    return actions.members.register_member(actor, org, person, member)


def populate(world: World, personas: Personas) -> Population:
    head = personas.head_p
    cell_a2 = Organization.objects.add_child(
        world.commune_a,
        create_kwargs={"name": "Chi bộ thôn Tây", "code": "CBA2", "level": Level.CELL},
    )
    cell_a2.refresh_from_db()
    world.commune_a.refresh_from_db()
    S = MemberStatus
    return Population(
        head=head,
        cell_a2=cell_a2,
        a1=register(head, world.cell_a, "An", S.OFFICIAL, "M", 1980),
        a2=register(
            head,
            world.cell_a,
            "Bình",
            S.PROBATIONARY,
            "F",
            1995,
            ethnicity="Tày",
            religion="Phật giáo",
            education="9/12",
        ),
        a3=register(head, world.cell_a, "Cúc", S.CANDIDATE, "F", 2001),
        a4=register(head, cell_a2, "Dung", S.OFFICIAL, "F", 1960, religion="", education=""),
        a5=register(head, cell_a2, "Em", S.SUSPENDED, "M", None),
        a6=register(head, world.commune_a, "Giang", S.OFFICIAL, "M", 1955, ethnicity="Hoa"),
        b1=register(head, world.cell_b, "Hải", S.OFFICIAL, "M", 1970),
        b2=register(head, world.cell_b, "Khoa", S.DECEASED, "M", 1940),
    )
