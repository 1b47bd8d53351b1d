"""Verification requests: the decision first, one numbered slip per person and addressee,
replies compared point by point, lists and counts for the quarterly report."""

from __future__ import annotations

import pytest

from hoso.documents.models import IncomingDocument, OutgoingDocument
from hoso.vetting import actions, verification
from hoso.vetting.models import RequestState, State, Verdict, VerificationRequest
from hoso.vetting.transitions import IllegalMove, Move
from hoso.vetting.verification import RequestError, Target
from tests.conftest import World
from tests.vetting.office import D, Office, issue, open_case, to_verifying


def test_no_request_before_the_decision_to_verify(office: Office, world: World) -> None:
    case = open_case(office, world)
    with pytest.raises(RequestError, match="Chưa có quyết định"):
        issue(office, case)
    # Even a case pushed into "verifying" by other means cannot send without the decision.
    case.state = State.VERIFYING
    case.save(update_fields=["state"])
    with pytest.raises(RequestError, match="Chưa có quyết định"):
        issue(office, case)
    assert not VerificationRequest.objects.exists()
    assert not OutgoingDocument.objects.exists()


def test_one_numbered_request_per_person_and_addressee(office: Office, world: World) -> None:
    case = to_verifying(office, open_case(office, world))
    made = issue(
        office,
        case,
        targets=[Target(person=case.person), Target(relative=office.father)],
        addressees=[office.police, office.committee],
    )
    assert [r.document.reference for r in made] == [
        "01-PYC/ĐU",
        "02-PYC/ĐU",
        "03-PYC/ĐU",
        "04-PYC/ĐU",
    ]
    assert {(r.person_label, r.addressee.name) for r in made} == {
        ("TRẦN THỊ HOÀ (1985)", "Phòng PV06 Công an tỉnh"),
        ("TRẦN THỊ HOÀ (1985)", "Đảng ủy xã Tân Lập"),
        ("Trần Văn Bình (Bố đẻ, 1955)", "Phòng PV06 Công an tỉnh"),
        ("Trần Văn Bình (Bố đẻ, 1955)", "Đảng ủy xã Tân Lập"),
    }
    # 15 working days from Thu 12/3/2026: Thu 2/4/2026.
    assert {r.due_on for r in made} == {D(2026, 4, 2)}
    document = made[0].document
    assert (document.classification, document.recipients) == (1, "Phòng PV06 Công an tỉnh")
    assert document.object_id == str(case.pk)


def test_only_the_subject_and_declared_relatives_can_be_verified(
    office: Office, world: World
) -> None:
    case = to_verifying(office, open_case(office, world))
    from hoso.people.models import Person

    stranger = Person.objects.create(family_name="Phạm", given_name="Lạ", sex="M")
    with pytest.raises(RequestError, match="thân nhân đã khai"):
        issue(office, case, targets=[Target(person=stranger)])


def test_open_requests_and_discrepancies_block_compiling(office: Office, world: World) -> None:
    case = to_verifying(office, open_case(office, world))
    (request,) = issue(office, case)
    with pytest.raises(IllegalMove, match="chưa được trả lời"):
        actions.cases.move(office.officer, case, Move.COMPILE)
    reply = actions.requests.record_reply(
        office.officer,
        request,
        received_on=D(2026, 3, 25),
        reference="215/PV06",
        summary="Kết quả xác minh lý lịch",
        items=[
            ("Quê quán", "Đúng như khai", Verdict.MATCH),
            ("Quá trình công tác 2005-2008", "Không có thông tin", Verdict.DISCREPANCY),
        ],
    )
    request.refresh_from_db()
    assert request.state == RequestState.ANSWERED
    incoming = IncomingDocument.objects.get(pk=reply.incoming_id)
    assert (incoming.sender, incoming.sender_reference) == ("Phòng PV06 Công an tỉnh", "215/PV06")
    with pytest.raises(IllegalMove, match="chưa khớp"):
        actions.cases.move(office.officer, case, Move.COMPILE)
    item = reply.items.get(verdict=Verdict.DISCREPANCY)
    actions.requests.resolve(office.officer, item, resolution="Đương sự giải trình, có xác nhận")
    assert actions.cases.move(office.officer, case, Move.COMPILE).state == State.COMPILING


def test_a_reply_is_recorded_once_and_dated_sensibly(office: Office, world: World) -> None:
    case = to_verifying(office, open_case(office, world))
    (request,) = issue(office, case)
    with pytest.raises(RequestError, match="từ ngày gửi"):
        actions.requests.record_reply(
            office.officer,
            request,
            received_on=D(2026, 3, 1),
            reference="1/PV06",
            summary="x",
            items=[],
        )
    actions.requests.record_reply(
        office.officer,
        request,
        received_on=D(2026, 3, 20),
        reference="1/PV06",
        summary="x",
        items=[],
    )
    with pytest.raises(RequestError, match="chờ trả lời"):
        actions.requests.record_reply(
            office.officer,
            request,
            received_on=D(2026, 3, 21),
            reference="2/PV06",
            summary="y",
            items=[],
        )


def test_lists_and_counts(office: Office, world: World) -> None:
    case = to_verifying(office, open_case(office, world))
    made = issue(
        office,
        case,
        targets=[
            Target(person=case.person),
            Target(relative=office.father),
            Target(relative=office.mother),
        ],
        addressees=[office.police, office.committee],
    )
    actions.requests.record_reply(
        office.officer,
        made[0],
        received_on=D(2026, 3, 20),
        reference="1/PV06",
        summary="x",
        items=[],
    )
    actions.requests.cancel(office.officer, made[1], reason="Gửi nhầm nơi nhận")
    qs = VerificationRequest.objects.all()
    counted = verification.counts(qs, D(2026, 1, 1), D(2026, 3, 31))
    assert counted == {"requests": 6, "persons": 3, "answered": 1, "open": 4}
    assert verification.counts(qs, D(2026, 4, 1), D(2026, 6, 30))["requests"] == 0
    assert verification.overdue(qs, D(2026, 4, 2)).count() == 0  # due on 2/4: not yet late
    assert verification.overdue(qs, D(2026, 4, 3)).count() == 4
    assert verification.open_by_addressee(qs) == [
        {"addressee": office.police.pk, "addressee__name": "Phòng PV06 Công an tỉnh", "count": 2},
        {"addressee": office.committee.pk, "addressee__name": "Đảng ủy xã Tân Lập", "count": 2},
    ]


def test_reminders_only_for_open_requests(office: Office, world: World) -> None:
    case = to_verifying(office, open_case(office, world))
    first, second = issue(office, case, addressees=[office.police, office.committee])
    actions.requests.cancel(office.officer, second, reason="Trùng")
    assert actions.requests.remind(office.officer, [first, second], on=D(2026, 4, 6)) == 1
    assert first.reminders.count() == 1 and second.reminders.count() == 0
