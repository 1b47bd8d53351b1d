"""Petitions as due items (petitions/due.py): the deadline of the current step, told to the
office's staff cleared for the petition's level; a moved deadline is a new fact, a paused clock
is not chased."""

from __future__ import annotations

import datetime as dt

from hoso.access.roles import Clearance
from hoso.notices.due import run_once
from hoso.notices.models import Notification
from hoso.petitions import actions
from tests.conftest import World
from tests.petitions.test_petitions import classify, receive
from tests.vetting.office import D, Office


def _petitions(day: D) -> tuple[int, int]:
    return run_once(day).by_source["petition"]


def _keys(petition_id: int) -> list[str]:
    keys = Notification.objects.filter(key__startswith=f"petition:{petition_id}:")
    return sorted(set(keys.values_list("key", flat=True)))


def test_classification_then_handling_each_its_own_deadline(office: Office, world: World) -> None:
    petition = receive(office, world)  # received 2/3/2026: to classify by 16/3/2026
    assert _petitions(D(2026, 3, 13))[0] == 1
    text = Notification.objects.filter(user=office.officer).get().text
    assert text == "Đơn thư số đến 1/2026 đến hạn ngày 16/03/2026."
    classify(office, petition)
    actions.move(office.officer, petition, "accept", on=D(2026, 3, 16))
    petition.refresh_from_db()
    assert petition.due_on == D(2026, 7, 23)  # 90 working days to handle a denunciation
    assert _petitions(D(2026, 3, 17)) == (0, 0)  # the classification deadline is gone
    assert _petitions(D(2026, 7, 20))[0] == 1  # the handling deadline is a new fact
    assert _keys(petition.pk) == [
        f"petition:{petition.pk}:1:2026-03-16",
        f"petition:{petition.pk}:1:2026-07-23",
    ]


def test_a_paused_petition_is_not_chased_and_an_extension_is_a_new_fact(
    office: Office, world: World
) -> None:
    petition = classify(office, receive(office, world))
    actions.move(office.officer, petition, "accept", on=D(2026, 3, 16))
    actions.pause(office.officer, petition, on=D(2026, 4, 1), reason="Chờ kết quả xác minh")
    assert _petitions(D(2026, 8, 1)) == (0, 0)
    actions.resume(office.officer, petition, on=D(2026, 4, 8))
    petition.refresh_from_db()
    assert _petitions(petition.due_on + D.resolution)[0] == 1  # overdue
    before = petition.due_on
    actions.extend_deadline(office.head, petition, days=10, reason="Phức tạp", decision="9-QĐ")
    petition.refresh_from_db()
    soon = petition.due_on - dt.timedelta(days=3)
    assert before < soon
    assert _petitions(soon)[0] == 1  # due soon again, for the new date
    assert _petitions(soon) == (0, 0)
    assert Notification.objects.filter(text__contains="đã quá hạn").exists()


def test_a_secret_petition_is_told_only_to_those_cleared(office: Office, world: World) -> None:
    petition = actions.receive(
        office.head,
        world.commune_a,
        received_on=D(2026, 3, 2),
        channel="post",
        summary="Tố cáo",
        subjects=[("Trần Thị Hoà", "", None)],
        classification=Clearance.SECRET,
    )
    assert _petitions(petition.due_on + D.resolution) == (1, 1)
    assert Notification.objects.get().user == office.head  # the officers hold Mật only
