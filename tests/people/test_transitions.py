"""The life-cycle table walked: every move from every status it leaves is recorded or refused
with a message; any other move, from any status, is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from hoso.people import actions
from hoso.people.models import Member, MemberStatus, Person
from hoso.people.transitions import LIFE, Move
from tests.conftest import Personas, World
from tests.walk import made_or_refused, undeclared_refused

D = dt.date


def member_in(world: World, status: str, move: Move) -> Member:
    """A member whose record allows `move` but for its status: admitted and sworn in more than
    12 months ago (not yet sworn in, for the ceremony)."""
    person = Person.objects.create(family_name="Đỗ", middle_name="Văn", given_name="Chín", sex="M")
    return Member.objects.create(
        person=person,
        organization=world.cell_a,
        status=status,
        admitted_on=D(2024, 1, 5),
        ceremony_on=None if move is Move.CEREMONY else D(2024, 2, 1),
    )


@pytest.mark.parametrize("move", list(LIFE.moves))
def test_each_move_from_each_status_it_leaves(move: Move, world: World, personas: Personas) -> None:
    def record(member: Member) -> None:
        actions.members.record_move(
            personas.clerk_a,
            member,
            move,
            date=D(2026, 5, 4),
            decision_number="7-QĐ/ĐU",
            left_form="struck_off",
        )

    sources = LIFE.moves[move].sources
    made = [made_or_refused(LIFE, member_in(world, s, move), move, record) for s in sources]
    assert any(made), f"{move} was made from none of its statuses"


def test_every_other_move_is_refused() -> None:
    undeclared_refused(LIFE, Member(), MemberStatus.values)
