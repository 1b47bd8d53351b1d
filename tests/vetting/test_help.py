"""Requests for verification help from other bodies (xác minh giúp, nghiên cứu giúp): registered
as incoming documents, due on the working-day calendar, assigned, answered by a numbered letter,
declined or cancelled with a reason; the querysets the reports read."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from hoso.access.roles import Clearance, Role
from hoso.documents.actions import numbering
from hoso.documents.models import DocumentKind, IncomingDocument, OutgoingDocument
from hoso.people.models import Member, Person
from hoso.vetting import actions
from hoso.vetting import help as helping
from hoso.vetting.models import (
    Addressee,
    AddresseeKind,
    HelpKind,
    HelpRequest,
    HelpRule,
    HelpState,
)
from hoso.vetting.transitions import HelpError, HelpMove
from tests.conftest import Personas, World, make_user
from tests.vetting.office import D, Office

NGHE_AN = "Ban Tổ chức Tỉnh ủy Nghệ An"


def rules() -> None:
    """The seeded times and the answer's document type (gone after a transactional flush)."""
    for kind in HelpKind.values:
        HelpRule.objects.get_or_create(kind=kind, defaults={"days": 15})
    DocumentKind.objects.get_or_create(code="CV", defaults={"name": "Công văn"})


def receive(office: Office, world: World, **changes: Any) -> HelpRequest:
    rules()
    values: dict[str, Any] = dict(
        received_on=D(2026, 3, 2),
        requester=NGHE_AN,
        sender_reference="125-CV/BTCTU",
        sender_date=D(2026, 2, 26),
        kind=HelpKind.VERIFY,
        subject_name="Nguyễn Văn Bình",
        subject_birth_year=1975,
        subject_home_town="xã An Bình",
        asked="Đề nghị xác minh lịch sử chính trị và chính trị hiện nay của ông Bình.",
        classification=Clearance.CONFIDENTIAL,
    )
    values.update(changes)
    actor = values.pop("by", office.officer)
    organization = values.pop("organization", world.commune_a)
    return actions.help.receive(actor, organization, **values)


def answered(office: Office, world: World, **changes: Any) -> HelpRequest:
    hr = receive(office, world, **changes)
    actions.help.assign(office.head, hr, office.officer)
    actions.help.answer(
        office.officer,
        hr,
        answered_on=D(2026, 3, 16),
        summary="Qua xác minh, ông Bình không vi phạm về lịch sử chính trị.",
    )
    hr.refresh_from_db()
    return hr


def test_a_request_is_registered_as_an_incoming_document_and_due_in_working_days(
    office: Office, world: World
) -> None:
    """15 working days from Fri 6/2/2026: 9-13/2, Tết 16-20/2 skipped, 23-27/2, 2-6/3."""
    hr = receive(office, world, received_on=D(2026, 2, 6), sender_date=D(2026, 2, 4))
    assert hr.due_on == D(2026, 3, 6)
    incoming = IncomingDocument.objects.get()
    assert (incoming.arrival_number, incoming.year) == (1, 2026)
    assert (incoming.sender, incoming.sender_reference) == (NGHE_AN, "125-CV/BTCTU")
    assert (incoming.object_type, incoming.object_id) == ("vetting.help", str(hr.pk))
    assert incoming.summary == "Đề nghị xác minh giúp lý lịch Nguyễn Văn Bình"
    assert (hr.state, hr.reference, hr.organization) == ("received", "1/2026", world.commune_a)
    assert [s.to_state for s in hr.steps.all()] == ["received"]
    # The time is configuration: another number of days, another due date.
    HelpRule.objects.filter(kind=HelpKind.DOSSIER).update(days=5)
    dossier = receive(
        office, world, received_on=D(2026, 2, 6), sender_date=None, kind=HelpKind.DOSSIER
    )
    assert dossier.due_on == D(2026, 2, 13)


def test_bad_input_is_refused_in_vietnamese(office: Office, world: World) -> None:
    cases = [
        ({"received_on": D(2027, 1, 5)}, "Ngày tiếp nhận không thể sau ngày hôm nay"),
        ({"requester": " "}, "Ghi rõ cơ quan gửi đề nghị"),
        ({"subject_name": ""}, "Ghi họ tên người được đề nghị xác minh"),
        ({"subject_birth_year": 1700}, "Năm sinh phải từ 1850 đến"),
        ({"asked": "  "}, "Ghi nội dung cần xác minh"),
        ({"kind": "other"}, "Chọn nội dung đề nghị"),
        ({"sender_reference": ""}, "Ghi số, ký hiệu văn bản đề nghị"),
        ({"sender_date": D(2026, 3, 5)}, "không thể sau ngày tiếp nhận"),
    ]
    for changes, message in cases:
        with pytest.raises(HelpError, match=message):
            receive(office, world, **changes)
    HelpRule.objects.filter(kind=HelpKind.VERIFY).delete()
    with pytest.raises(HelpError, match="Chưa cấu hình thời hạn trả lời"):
        actions.help.receive(
            office.officer, world.commune_a, received_on=D(2026, 3, 2), requester=NGHE_AN,
            sender_reference="1/CV", kind=HelpKind.VERIFY, subject_name="A", asked="B",
            classification=1,
        )  # fmt: skip
    assert not HelpRequest.objects.exists()
    assert not IncomingDocument.objects.exists()  # nothing numbered for a refused request


def test_the_directory_names_the_body_when_the_letter_is_not_typed(
    office: Office, world: World
) -> None:
    body = Addressee.objects.create(name=NGHE_AN, kind=AddresseeKind.COMMITTEE)
    hr = receive(office, world, requester="", requester_addressee=body)
    assert (hr.requester, hr.requester_addressee) == (NGHE_AN, body)


def test_a_letter_a_clerk_registered_becomes_a_request(office: Office, world: World) -> None:
    rules()
    letter = numbering.register_incoming(
        office.clerk,
        world.commune_a,
        received_on=D(2026, 3, 2),
        sender="Ban Bảo vệ chính trị nội bộ Tỉnh ủy Hà Tĩnh",
        sender_reference="88-CV/BBVCTNB",
        summary="V/v đề nghị cung cấp bản sao hồ sơ đảng viên",
        classification=Clearance.CONFIDENTIAL,
    )
    with pytest.raises(HelpError, match="không được thấp hơn độ mật của văn bản đến"):
        actions.help.take_over(
            office.officer, letter, kind=HelpKind.DOSSIER, subject_name="Lê Văn Tám",
            asked="Cung cấp bản sao lý lịch", classification=Clearance.NONE,
        )  # fmt: skip
    hr = actions.help.take_over(
        office.officer, letter, kind=HelpKind.DOSSIER, subject_name="Lê Văn Tám",
        asked="Cung cấp bản sao lý lịch", classification=Clearance.CONFIDENTIAL,
    )  # fmt: skip
    letter.refresh_from_db()
    assert (letter.object_type, letter.object_id) == ("vetting.help", str(hr.pk))
    assert (hr.requester, hr.received_on) == (letter.sender, D(2026, 3, 2))
    assert IncomingDocument.objects.count() == 1  # the same letter, no second arrival number
    with pytest.raises(HelpError, match="đã thuộc một hồ sơ"):
        actions.help.take_over(
            office.officer, letter, kind=HelpKind.DOSSIER, subject_name="Lê Văn Tám",
            asked="x", classification=Clearance.CONFIDENTIAL,
        )  # fmt: skip
    # A clerk registers letters but does not handle vetting work.
    other = numbering.register_incoming(
        office.clerk, world.commune_a, received_on=D(2026, 3, 3), sender="X",
        sender_reference="1/X", summary="s",
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        actions.help.take_over(
            office.clerk, other, kind=HelpKind.VERIFY, subject_name="A", asked="B",
            classification=Clearance.CONFIDENTIAL,
        )  # fmt: skip


def test_assigned_then_answered_by_a_numbered_letter_in_the_outgoing_register(
    office: Office, world: World
) -> None:
    hr = receive(office, world)
    with pytest.raises(PermissionDenied):  # an officer does not assign: a head directs
        actions.help.assign(office.officer, hr, office.officer)
    with pytest.raises(HelpError, match="Không thể “Trả lời"):
        actions.help.answer(office.officer, hr, answered_on=D(2026, 3, 10), summary="x")
    hr = actions.help.assign(office.head, hr, office.officer)
    assert (hr.state, hr.assignee) == (HelpState.ASSIGNED, office.officer)
    hr = actions.help.move(office.officer, hr, HelpMove.START)
    assert hr.state == HelpState.IN_PROGRESS
    # Reassigning keeps where the work is.
    hr = actions.help.assign(office.head, hr, office.officer2)
    assert (hr.state, hr.assignee) == (HelpState.IN_PROGRESS, office.officer2)
    with pytest.raises(HelpError, match="từ ngày tiếp nhận đến hôm nay"):
        actions.help.answer(office.officer2, hr, answered_on=D(2026, 2, 27), summary="x")
    with pytest.raises(HelpError, match="Ghi nội dung trả lời"):
        actions.help.answer(office.officer2, hr, answered_on=D(2026, 3, 10), summary=" ")
    document = actions.help.answer(
        office.officer2,
        hr,
        answered_on=D(2026, 3, 10),
        summary="Ông Bình không vi phạm về lịch sử chính trị.\n\nChính trị hiện nay: tốt.",
        signer="Nguyễn Văn An",
        authority="T/L",
    )
    hr.refresh_from_db()
    assert (hr.state, hr.answer, hr.answered_on) == ("answered", document, D(2026, 3, 10))
    assert document.reference == "01-CV/ĐU"
    assert (document.object_type, document.object_id) == ("vetting.help", str(hr.pk))
    assert document.recipients == f"{NGHE_AN}\nLưu VT"
    assert document.classification == Clearance.CONFIDENTIAL
    assert document.summary == "V/v trả lời đề nghị xác minh giúp lý lịch Nguyễn Văn Bình"
    body = document.body.split("\n\n")
    assert body[0] == f"Kính gửi: {NGHE_AN}."
    assert "125-CV/BTCTU ngày 26/02/2026" in body[1] and "Nguyễn Văn Bình, sinh năm 1975" in body[1]
    assert body[2:] == ["Ông Bình không vi phạm về lịch sử chính trị.", "Chính trị hiện nay: tốt."]
    assert OutgoingDocument.objects.get() == document  # in the outgoing register
    assert [s.to_state for s in hr.steps.all()] == [
        "received", "assigned", "in_progress", "in_progress", "answered",
    ]  # fmt: skip
    with pytest.raises(HelpError):
        actions.help.answer(office.officer2, hr, answered_on=D(2026, 3, 11), summary="again")


def test_an_officer_who_cannot_handle_it_is_not_assigned(
    office: Office, world: World, personas: Personas
) -> None:
    hr = receive(office, world, classification=Clearance.SECRET, by=office.head)
    for stranger in (personas.officer_b, office.officer):  # commune B; cleared for Mật only
        with pytest.raises(HelpError, match="không thể thụ lý đề nghị này"):
            actions.help.assign(office.head, hr, stranger)
    cleared = make_user("officer_secret", world.commune_a, Role.OFFICER, Clearance.SECRET)
    assert actions.help.assign(office.head, hr, cleared).assignee == cleared


def test_declined_or_cancelled_with_a_reason(office: Office, world: World) -> None:
    declined, cancelled = receive(office, world), receive(office, world)
    with pytest.raises(HelpError, match="Ghi lý do"):
        actions.help.move(office.head, declined, HelpMove.DECLINE, reason=" ")
    with pytest.raises(PermissionDenied):  # declining is a head's decision
        actions.help.move(office.officer, declined, HelpMove.DECLINE, reason="Không có hồ sơ")
    reason = "Người này không cư trú, công tác tại địa phương."
    declined = actions.help.move(office.head, declined, HelpMove.DECLINE, reason=reason)
    assert (declined.state, declined.closing_reason) == (HelpState.DECLINED, reason)
    cancelled = actions.help.move(office.officer, cancelled, HelpMove.CANCEL, reason="Vào sổ nhầm")
    assert cancelled.state == HelpState.CANCELLED
    with pytest.raises(HelpError, match="Bước này có biểu mẫu riêng"):
        actions.help.move(office.head, receive(office, world), HelpMove.ANSWER)


def test_the_due_date_changes_with_a_reason(office: Office, world: World) -> None:
    hr = receive(office, world)
    assert hr.due_on == D(2026, 3, 23)  # 15 working days from Mon 2/3/2026
    with pytest.raises(PermissionDenied):
        actions.help.change_due(office.officer, hr, due_on=D(2026, 4, 3), reason="Xin gia hạn")
    with pytest.raises(HelpError, match="Ghi lý do"):
        actions.help.change_due(office.head, hr, due_on=D(2026, 4, 3), reason="")
    with pytest.raises(HelpError, match="không thể trước ngày tiếp nhận"):
        actions.help.change_due(office.head, hr, due_on=D(2026, 2, 1), reason="x")
    hr = actions.help.change_due(
        office.head, hr, due_on=D(2026, 4, 3), reason="Tỉnh bạn đồng ý gia hạn"
    )
    assert hr.due_on == D(2026, 4, 3)
    step = hr.steps.last()
    assert step is not None and step.note == "23/03/2026 → 03/04/2026: Tỉnh bạn đồng ý gia hạn"
    with pytest.raises(HelpError, match="đã là ngày này"):
        actions.help.change_due(office.head, hr, due_on=D(2026, 4, 3), reason="x")
    actions.help.move(office.officer, hr, HelpMove.CANCEL, reason="Tỉnh bạn rút đề nghị")
    with pytest.raises(HelpError, match="Chỉ đề nghị đang giải quyết"):
        actions.help.change_due(office.head, hr, due_on=D(2026, 4, 6), reason="x")


def test_persons_on_record_are_proposed_and_one_is_named(
    office: Office, world: World, personas: Personas
) -> None:
    def person(home: str, org: Any) -> Person:
        found = Person.objects.create(
            family_name="Nguyễn", middle_name="Văn", given_name="Bình", sex="M",
            birth_date=D(1975, 5, 1), home_town=home,
        )  # fmt: skip
        Member.objects.create(person=found, organization=org, status="official")
        return found

    elsewhere = person("xã Tân Lập", world.cell_a)
    here = person("Xã An Bình, huyện Đông", world.cell_a)
    foreign = person("xã An Bình", world.cell_b)  # commune B: not one the officer sees
    hr = receive(office, world, subject_name="nguyen van binh")
    assert helping.candidates(office.officer, hr) == [here, elsewhere]
    assert helping.candidates(office.officer, receive(office, world, subject_birth_year=None)) == []
    with pytest.raises(HelpError, match="không có quyền xem người này"):
        actions.help.name_person(office.officer, hr, foreign)
    assert actions.help.name_person(office.officer, hr, here).person == here
    assert actions.help.name_person(office.officer, hr, None).person is None


def test_the_querysets_the_reports_read(office: Office, world: World) -> None:
    """Received and answered in a period, by requesting body: records just outside the period
    are left out."""
    body = Addressee.objects.create(name=NGHE_AN, kind=AddresseeKind.COMMITTEE)
    answered(office, world, requester="", requester_addressee=body)  # received 2/3, answered 16/3
    receive(office, world, received_on=D(2026, 3, 31), requester="", requester_addressee=body)
    receive(office, world, received_on=D(2026, 4, 1), requester="Thành ủy Huế")  # after
    late = receive(office, world, received_on=D(2026, 2, 27), requester="Thành ủy Huế")
    actions.help.assign(office.head, late, office.officer)
    actions.help.answer(office.officer, late, answered_on=D(2026, 3, 31), summary="Đã xác minh")
    visible = HelpRequest.objects.visible_to(office.officer)
    start, end = D(2026, 3, 1), D(2026, 3, 31)
    assert visible.received_in(start, end).count() == 2
    assert visible.answered_in(start, end).count() == 2
    assert list(visible.received_in(start, end).by_requester()) == [
        {"addressee": body.pk, "body": NGHE_AN, "n": 2}
    ]
    assert list(visible.answered_in(start, end).by_requester()) == [
        {"addressee": body.pk, "body": NGHE_AN, "n": 1},
        {"addressee": None, "body": "Thành ủy Huế", "n": 1},
    ]
    counts = helping.counts(visible, start, end)
    assert (counts["received"], counts["answered"], counts["on_time"], counts["open"]) == (
        2, 2, 1, 1,
    )  # fmt: skip
    assert counts["by_requester"] == [
        {"body": NGHE_AN, "received": 2, "answered": 1},
        {"body": "Thành ủy Huế", "received": 0, "answered": 1},
    ]
    assert HelpRequest.objects.visible_to(office.clerk).count() == 0  # clerks: no casework


def test_the_worker_reminds_the_officer_in_charge_or_else_who_may_assign(
    office: Office, world: World, personas: Personas
) -> None:
    """Not assigned three days before the due date: the head of the commune is told (not the
    province's head above it); assigned and then overdue: the officer in charge."""
    from hoso.notices.due import run_source
    from hoso.notices.models import Notification
    from hoso.vetting.due import HELP

    hr = receive(office, world)  # due Mon 23/3/2026
    assert run_source(HELP, D(2026, 3, 19)) == (0, 0)
    assert run_source(HELP, D(2026, 3, 20)) == (1, 1)
    (soon,) = Notification.objects.all()
    assert soon.user == office.head
    assert soon.text == (
        "Đề nghị xác minh giúp số đến 1/2026 (Nguyễn Văn Bình) đến hạn trả lời ngày 23/03/2026."
    )
    assert soon.url == f"/cases/help/{hr.pk}/"
    actions.help.assign(office.head, hr, office.officer)
    assert run_source(HELP, D(2026, 3, 24)) == (1, 1)
    late = Notification.objects.exclude(pk=soon.pk).get()
    assert (late.user, late.key) == (office.officer, f"help:{hr.pk}:2:2026-03-23")
    assert "đã quá hạn trả lời" in late.text
    assert run_source(HELP, D(2026, 3, 25)) == (0, 0)  # once
    # A new due date is a new fact; an answered request is not chased.
    actions.help.change_due(office.head, hr, due_on=D(2026, 3, 27), reason="Gia hạn")
    assert run_source(HELP, D(2026, 3, 25)) == (1, 1)
    actions.help.answer(office.officer, hr, answered_on=D(2026, 3, 26), summary="Đã xác minh")
    assert run_source(HELP, D(2026, 3, 30)) == (0, 0)
    assert not Notification.objects.filter(user=personas.head_p).exists()
