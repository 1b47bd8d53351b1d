"""lib.workflow: the table, its guards, the permission per move, the error of a refused move."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from hoso.lib.workflow import IllegalMove, Transition, Workflow

NAMES = {"shut": "Đóng", "open": "Mở", "gone": "Đã tháo"}


@dataclass
class Door:
    state: str = "shut"
    locked: bool = False

    def get_state_display(self) -> str:
        return NAMES[self.state]


class DoorError(ValueError):
    pass


def unlocked(door: Door) -> str | None:
    return "Cửa đang khoá." if door.locked else None


def may(actor: set[str], action: str, door: Door) -> bool:
    return action in actor


DOORS = Workflow[Door, str](
    moves={
        "open": Transition(("shut",), "open", "door.use", (unlocked,)),
        "shut": Transition(("open",), "shut", "door.use"),
        # A computed target: a locked door stays where it is.
        "remove": Transition(
            ("shut", "open"), lambda door: None if door.locked else "gone", "door.own"
        ),
    },
    may=may,
    # Any message of the catalogue: it is translated when the move is refused.
    refusal=_("“%(move)s” is not possible while the case is “%(state)s”."),
    labels={"open": "Mở cửa"},
    error=DoorError,
)


def test_a_move_from_a_state_it_does_not_leave_is_refused_in_vietnamese() -> None:
    door = Door("open")
    with pytest.raises(DoorError) as refused:
        DOORS.apply(door, "open")
    assert str(refused.value) == "Không thể thực hiện “Mở cửa” khi hồ sơ đang ở bước “Mở”."
    assert door.state == "open"


def test_an_undeclared_move_is_refused_under_its_own_name() -> None:
    with pytest.raises(DoorError, match="“paint”"):
        DOORS.check(Door(), "paint")


def test_the_refusal_is_translated_when_raised() -> None:
    with translation.override("en"), pytest.raises(DoorError) as refused:
        DOORS.check(Door("open"), "open")
    assert str(refused.value) == "“Mở cửa” is not possible while the case is “Mở”."


def test_the_default_error_is_an_illegal_move_a_value_error() -> None:
    plain = dataclasses.replace(DOORS, error=IllegalMove)
    with pytest.raises(IllegalMove):
        plain.check(Door("open"), "open")
    assert issubclass(IllegalMove, ValueError)


def test_a_guard_refuses_with_its_message_and_changes_nothing() -> None:
    door = Door(locked=True)
    assert DOORS.refused(door, "open") == "Cửa đang khoá."
    with pytest.raises(DoorError, match=r"^Cửa đang khoá\.$"):
        DOORS.apply(door, "open")
    assert door.state == "shut"
    door.locked = False
    assert DOORS.apply(door, "open") == "open" and door.state == "open"


def test_a_computed_target_can_lead_nowhere() -> None:
    with pytest.raises(DoorError, match="Không thể thực hiện"):
        DOORS.check(Door(locked=True), "remove")
    door = Door("open")
    assert DOORS.apply(door, "remove") == "gone" and door.state == "gone"
    assert DOORS.possible(door) == []


def test_available_lists_what_the_actor_may_do_now_in_the_tables_order() -> None:
    door = Door()
    assert DOORS.possible(door) == ["open", "remove"]
    assert DOORS.available(door, {"door.use", "door.own"}) == ["open", "remove"]
    assert DOORS.available(door, {"door.use"}) == ["open"]
    assert DOORS.available(door, set()) == []
    assert DOORS.allowed(door, "remove", {"door.own"})
    assert not DOORS.allowed(door, "open", {"door.own"})


def test_a_move_a_guard_refuses_is_offered_unless_the_workflow_hides_it() -> None:
    door = Door(locked=True)
    assert DOORS.available(door, {"door.use"}) == ["open"]  # it says why when made
    hiding = dataclasses.replace(DOORS, hide_refused=True)
    assert hiding.available(door, {"door.use"}) == []
    assert hiding.possible(Door()) == ["open", "remove"]
