"""The member life cycle as due items (people/due.py): the admission ceremony, official
recognition from the end of probation, transfers awaiting the receiver."""

from __future__ import annotations

from hoso.notices.due import DUE_SOON, OVERDUE, run_once
from hoso.notices.models import Notification
from hoso.people import actions
from hoso.people.models import Member
from hoso.people.transitions import Move
from tests.conftest import Personas, World
from tests.notices.scenarios import admitted, applicant
from tests.vetting.office import D


def _admission(day: D) -> tuple[int, int]:
    return run_once(day).by_source["admission"]


def test_ceremony_then_recognition_from_the_end_of_probation(
    world: World, personas: Personas
) -> None:
    member = admitted(personas, world, 1)  # decision 16/01/2026: ceremony due 06/03/2026
    assert _admission(D(2026, 3, 3))[0] == 1
    actions.members.record_move(personas.clerk_a, member, Move.CEREMONY, date=D(2026, 3, 2))
    member.refresh_from_db()
    assert member.recognition_due_on == D(2027, 4, 13)
    assert _admission(D(2026, 3, 9)) == (0, 0)  # the ceremony is no longer due
    assert _admission(D(2027, 3, 1)) == (0, 0)  # probation runs until 02/03/2027
    assert _admission(D(2027, 3, 2))[0] == 1
    assert _admission(D(2027, 4, 13)) == (0, 0)  # due soon was told, not again
    assert _admission(D(2027, 4, 14))[0] == 1
    texts = Notification.objects.filter(user=personas.clerk_a).values_list("key", "text")
    assert sorted(texts) == [
        (
            f"admission:{member.pk}:{DUE_SOON}:2026-03-06",
            "Lễ kết nạp đồng chí Võ Thị Sáu 1: hạn tổ chức 06/03/2026.",
        ),
        (
            f"admission:{member.pk}:{DUE_SOON}:2027-04-13",
            "Đồng chí Võ Thị Sáu 1 hết thời gian dự bị ngày 02/03/2027: hạn xét công nhận đảng"
            " viên chính thức 13/04/2027.",
        ),
        (
            f"admission:{member.pk}:{OVERDUE}:2027-04-13",
            "Xét công nhận đảng viên chính thức cho đồng chí Võ Thị Sáu 1 đã quá hạn"
            " (hạn 13/04/2027).",
        ),
    ]
    actions.members.record_move(
        personas.clerk_a, member, Move.RECOGNIZE, date=D(2027, 4, 20), decision_number="5-QĐ"
    )
    assert _admission(D(2027, 5, 1)) == (0, 0)  # an official member has no admission step


def test_a_probation_ending_on_29_february_is_found(world: World, personas: Personas) -> None:
    """12 months after 29/02/2028 is 28/02/2029: the window is wide enough for it."""
    member = admitted(personas, world, 1)
    actions.members.record_move(personas.clerk_a, member, Move.CEREMONY, date=D(2028, 2, 29))
    assert _admission(D(2029, 2, 27)) == (0, 0)
    assert _admission(D(2029, 2, 28))[0] == 1


def test_a_full_save_leaves_the_workers_columns_alone(world: World, personas: Personas) -> None:
    """A member read before the worker's claim and saved after it must not undo the claim
    (it would be claimed again and its fact notified twice)."""
    member = admitted(personas, world, 1)
    stale = Member.objects.get(pk=member.pk)
    assert _admission(D(2026, 3, 3))[0] == 1
    stale.card_number = "123"
    stale.save()
    claimed = Member.objects.get(pk=member.pk)
    assert (claimed.alert_stage, claimed.alert_due_on) == (DUE_SOON, D(2026, 3, 6))
    assert claimed.card_number == "123"
    assert _admission(D(2026, 3, 4)) == (0, 0)


def test_a_cancelled_transfer_is_not_chased(world: World, personas: Personas) -> None:
    transfer = actions.members.introduce_transfer(
        personas.clerk_a,
        applicant(personas, world, 1, status="official"),
        kind="official",
        letter_number="45-GGT/ĐU",
        introduced_on=D(2026, 3, 2),
        to_org=world.cell_b,
    )
    assert run_once(D(2026, 4, 10)).by_source["transfer"] == (1, 1)
    assert Notification.objects.get().text == (
        "Chuyển sinh hoạt đảng của đồng chí Võ Thị Sáu 1 đến Chi bộ ZZB Một: hạn trình giấy"
        " 13/04/2026."
    )
    actions.members.cancel_transfer(personas.clerk_a, transfer, reason="Đổi nơi đến")
    assert run_once(D(2026, 4, 14)).by_source["transfer"] == (0, 0)
