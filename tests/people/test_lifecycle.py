from __future__ import annotations

import datetime as dt

import pytest

from hoso.access.policy import Denied
from hoso.audit.chain import verify
from hoso.people import actions
from hoso.people.models import EventKind, Member, MemberEvent, MemberStatus, TransferState
from hoso.people.transitions import LIFE, IllegalMove, Move
from tests.conftest import Personas, World

D = dt.date


@pytest.fixture
def applicant(world: World, personas: Personas) -> Member:
    return actions.members.register_member(
        personas.clerk_a,
        world.cell_a,
        {
            "family_name": "Võ",
            "middle_name": "Thị",
            "given_name": "Sáu",
            "sex": "F",
            "citizen_id": "052190000777",
        },
        {"status": MemberStatus.CANDIDATE},
    )


def test_admission_to_official_with_deadlines(applicant: Member, personas: Personas) -> None:
    clerk = personas.clerk_a
    # Decision on Friday 16/01/2026: the ceremony is due 30 working days later, after Tết.
    actions.members.record_move(
        clerk, applicant, Move.ADMIT, date=D(2026, 1, 16), decision_number="12-QĐ/ĐU"
    )
    assert applicant.status == MemberStatus.PROBATIONARY
    assert applicant.ceremony_due_on == D(2026, 3, 6)
    actions.members.record_move(clerk, applicant, Move.CEREMONY, date=D(2026, 2, 2))
    assert applicant.ceremony_due_on is None
    # Probation ends 02/02/2027; 30 working days later, skipping Tết Đinh Mùi (5 days off).
    assert applicant.recognition_due_on == D(2027, 3, 23)
    with pytest.raises(IllegalMove, match="12 tháng"):
        actions.members.record_move(
            clerk, applicant, Move.RECOGNIZE, date=D(2026, 12, 1), decision_number="5-QĐ/ĐU"
        )
    actions.members.record_move(
        clerk, applicant, Move.RECOGNIZE, date=D(2027, 2, 2), decision_number="5-QĐ/ĐU"
    )
    applicant.refresh_from_db()
    assert applicant.status == MemberStatus.OFFICIAL and applicant.official_on == D(2027, 2, 2)
    assert applicant.recognition_due_on is None
    kinds = list(MemberEvent.objects.filter(member=applicant).values_list("kind", flat=True))
    assert kinds == [EventKind.ADMISSION, EventKind.CEREMONY, EventKind.OFFICIAL]
    assert verify()[1] is None


def test_illegal_moves_are_refused(applicant: Member, personas: Personas) -> None:
    with pytest.raises(IllegalMove):
        actions.members.record_move(
            personas.clerk_a, applicant, Move.SUSPEND, date=D(2026, 1, 1), decision_number="1"
        )
    with pytest.raises(IllegalMove, match="số quyết định"):
        actions.members.record_move(personas.clerk_a, applicant, Move.ADMIT, date=D(2026, 1, 1))
    assert applicant.status == MemberStatus.CANDIDATE
    assert LIFE.possible(applicant) == [Move.ADMIT]
    assert not MemberEvent.objects.exists()


def test_leaving_needs_its_form_and_ends_the_membership(world: World, personas: Personas) -> None:
    member = actions.members.register_member(
        personas.clerk_a,
        world.cell_a,
        {"family_name": "Lý", "middle_name": "Văn", "given_name": "Tám", "sex": "M"},
        {"status": MemberStatus.OFFICIAL, "official_on": D(2000, 1, 1)},
    )
    with pytest.raises(IllegalMove, match="hình thức"):
        actions.members.record_move(
            personas.clerk_a, member, Move.LEAVE, date=D(2026, 5, 4), decision_number="7-QĐ/ĐU"
        )
    actions.members.record_move(
        personas.clerk_a,
        member,
        Move.LEAVE,
        date=D(2026, 5, 4),
        decision_number="7-QĐ/ĐU",
        left_form="struck_off",
    )
    assert member.status == MemberStatus.LEFT and member.left_form == "struck_off"
    assert LIFE.possible(member) == []


def test_others_cannot_record_events(applicant: Member, personas: Personas) -> None:
    with pytest.raises(Denied):
        actions.members.record_move(
            personas.officer_b, applicant, Move.ADMIT, date=D(2026, 1, 16), decision_number="1"
        )
    with pytest.raises(Denied):  # the auditor reads the trail but keeps no records
        actions.members.record_move(
            personas.auditor_p, applicant, Move.ADMIT, date=D(2026, 1, 16), decision_number="1"
        )


@pytest.fixture
def official(world: World, personas: Personas) -> Member:
    return actions.members.register_member(
        personas.clerk_a,
        world.cell_a,
        {"family_name": "Hồ", "middle_name": "Minh", "given_name": "Châu", "sex": "M"},
        {"status": MemberStatus.OFFICIAL, "official_on": D(2010, 3, 3)},
    )


def test_transfer_inside_needs_the_receiver(
    world: World, personas: Personas, official: Member
) -> None:
    transfer = actions.members.introduce_transfer(
        personas.clerk_a,
        official,
        kind="official",
        letter_number="45-GGT/ĐU",
        introduced_on=D(2026, 3, 2),
        to_org=world.cell_b,
    )
    assert transfer.state == TransferState.PENDING
    assert transfer.present_due_on == D(2026, 4, 13)  # 30 working days
    with pytest.raises(Denied):  # the sender cannot accept for the receiver
        actions.members.accept_transfer(personas.clerk_a, transfer, received_on=D(2026, 3, 9))
    actions.members.accept_transfer(personas.officer_b, transfer, received_on=D(2026, 3, 9))
    official.refresh_from_db()
    assert official.organization == world.cell_b
    assert not Member.objects.visible_to(personas.clerk_a).filter(pk=official.pk).exists()
    assert Member.objects.visible_to(personas.officer_b).filter(pk=official.pk).exists()
    kinds = {(e.kind, e.organization.code) for e in official.events.all()}
    assert kinds == {(EventKind.TRANSFER_OUT, "CBA1"), (EventKind.TRANSFER_IN, "ZZB1")}


def test_temporary_transfer_keeps_the_home_organization(
    world: World, personas: Personas, official: Member
) -> None:
    with pytest.raises(IllegalMove, match="thời hạn"):
        actions.members.introduce_transfer(
            personas.clerk_a,
            official,
            kind="temporary",
            letter_number="1",
            introduced_on=D(2026, 3, 2),
            to_org=world.cell_b,
        )
    transfer = actions.members.introduce_transfer(
        personas.clerk_a,
        official,
        kind="temporary",
        letter_number="46-GGT/ĐU",
        introduced_on=D(2026, 3, 2),
        to_org=world.cell_b,
        until=D(2026, 9, 1),
    )
    actions.members.accept_transfer(personas.officer_b, transfer, received_on=D(2026, 3, 5))
    official.refresh_from_db()
    assert official.organization == world.cell_a


def test_transfer_outside_hoso_completes_at_once(personas: Personas, official: Member) -> None:
    transfer = actions.members.introduce_transfer(
        personas.clerk_a,
        official,
        kind="official",
        letter_number="47-GGT/ĐU",
        introduced_on=D(2026, 3, 2),
        to_text="Đảng ủy phường Bến Nghé, TP Hồ Chí Minh",
    )
    assert transfer.state == TransferState.COMPLETED
    official.refresh_from_db()
    assert official.status == MemberStatus.TRANSFERRED_OUT
    event = official.events.get()
    assert event.kind == EventKind.TRANSFER_OUT and "Bến Nghé" in event.counterpart
    with pytest.raises(IllegalMove):  # no longer a current member
        actions.members.introduce_transfer(
            personas.clerk_a,
            official,
            kind="official",
            letter_number="x",
            introduced_on=D(2026, 3, 3),
            to_text="y",
        )


def test_one_pending_transfer_at_a_time_and_cancel(
    world: World, personas: Personas, official: Member
) -> None:
    transfer = actions.members.introduce_transfer(
        personas.clerk_a,
        official,
        kind="official",
        letter_number="48",
        introduced_on=D(2026, 3, 2),
        to_org=world.cell_b,
    )
    with pytest.raises(IllegalMove, match="đang có"):
        actions.members.introduce_transfer(
            personas.clerk_a,
            official,
            kind="official",
            letter_number="49",
            introduced_on=D(2026, 3, 3),
            to_org=world.cell_b,
        )
    actions.members.cancel_transfer(personas.clerk_a, transfer, reason="Nhầm đơn vị")
    with pytest.raises(IllegalMove):
        actions.members.accept_transfer(personas.officer_b, transfer, received_on=D(2026, 3, 9))
