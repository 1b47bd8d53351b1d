"""Petitions: intake, classification rules, sealed petitioner, deadlines, cases, scope, counts."""

from __future__ import annotations

from typing import Any

import pytest

from hoso.access.policy import Denied
from hoso.audit.models import AuditEvent
from hoso.documents.models import DocumentKind, IncomingDocument
from hoso.petitions import actions
from hoso.petitions.models import Kind, Naming, Petition, Reason, State
from hoso.petitions.views import counts
from hoso.vetting.models import CasePetition
from hoso.vetting.transitions import IllegalMove
from tests.conftest import Personas, World, client_for, xlsx_cells
from tests.vetting.office import D, Office, conclude, open_case, to_verifying

NAME = "Phạm Văn Tố"


def receive(office: Office, world: World, **changes: Any) -> Petition:
    values: dict[str, Any] = dict(
        received_on=D(2026, 3, 2),
        channel="post",
        summary="Phản ánh kê khai lý lịch không đúng",
        subjects=[("Trần Thị Hoà", "Phó Chủ tịch UBND xã", office.member.person)],
        petitioner_name=NAME,
        petitioner_address="thôn Đông, xã An Bình",
        petitioner_contact="0912 345 678",
    )
    values.update(changes)
    return actions.receive(office.clerk, world.commune_a, **values)


def classify(office: Office, petition: Petition, **changes: Any) -> Petition:
    values: dict[str, Any] = dict(
        kind=Kind.DENUNCIATION,
        naming=Naming.NAMED,
        within_competence=True,
        repeated=False,
        new_evidence=False,
    )
    values.update(changes)
    return actions.classify(office.officer, petition, **values)


def test_intake_registers_without_the_petitioners_name(office: Office, world: World) -> None:
    petition = receive(office, world)
    incoming = IncomingDocument.objects.get(pk=petition.incoming_id)
    assert (petition.reference, incoming.sender) == ("1/2026", "Đơn thư của công dân")
    assert NAME not in incoming.summary and NAME not in incoming.sender
    assert petition.state == State.RECEIVED
    assert petition.due_on == D(2026, 3, 16)  # 10 working days to classify
    event = AuditEvent.objects.get(event_type="petition.received")
    assert NAME not in str(event.details)


@pytest.mark.parametrize(
    ("kind", "naming", "repeated", "evidence", "state", "reason"),
    [
        (Kind.DENUNCIATION, Naming.ANONYMOUS, False, False, State.NOT_HANDLED, Reason.ANONYMOUS),
        (Kind.COMPLAINT, Naming.FALSE_NAME, False, False, State.NOT_HANDLED, Reason.ANONYMOUS),
        (Kind.DENUNCIATION, Naming.NAMED, True, False, State.NOT_HANDLED, Reason.REPEAT),
        (Kind.DENUNCIATION, Naming.NAMED, True, True, State.CLASSIFIED, ""),
        (Kind.REPORT, Naming.ANONYMOUS, False, False, State.CLASSIFIED, ""),
        (Kind.DENUNCIATION, Naming.NAMED, False, False, State.CLASSIFIED, ""),
    ],
)
def test_classification_rules(
    office: Office,
    world: World,
    kind: str,
    naming: str,
    repeated: bool,
    evidence: bool,
    state: str,
    reason: str,
) -> None:
    petition = classify(
        office,
        receive(office, world),
        kind=kind,
        naming=naming,
        repeated=repeated,
        new_evidence=evidence,
    )
    assert (petition.state, petition.reason) == (state, reason)
    if reason:
        assert petition.closed_on is not None
        assert petition.steps.last().note == Reason(reason).label


def test_a_petition_is_classified_once(office: Office, world: World) -> None:
    petition = classify(office, receive(office, world))
    with pytest.raises(actions.PetitionError, match="đã được phân loại"):
        classify(office, petition)


def test_outside_competence_is_forwarded_with_a_numbered_letter(
    office: Office, world: World
) -> None:
    DocumentKind.objects.get_or_create(code="CV", defaults={"name": "Công văn"})
    petition = classify(office, receive(office, world), within_competence=False)
    with pytest.raises(actions.PetitionError, match="Không thuộc thẩm quyền"):
        actions.move(office.officer, petition, "accept", on=D(2026, 3, 5))
    actions.move(
        office.officer, petition, "forward", on=D(2026, 3, 5), to="Ủy ban Kiểm tra Tỉnh ủy"
    )
    petition.refresh_from_db()
    assert petition.state == State.FORWARDED
    assert petition.forward_document.reference == "01-CV/ĐU"
    assert petition.forward_document.recipients == "Ủy ban Kiểm tra Tỉnh ủy"


def test_handling_deadline_pause_and_extension(office: Office, world: World) -> None:
    petition = classify(office, receive(office, world))
    actions.move(office.officer, petition, "accept", on=D(2026, 3, 4))
    petition.refresh_from_db()
    # 90 working days from Wed 4/3/2026, with 27/4, 30/4 and 1/5 off: Mon 13/7/2026.
    assert petition.due_on == D(2026, 7, 13)
    actions.pause(office.officer, petition, on=D(2026, 4, 1), reason="Chờ kết quả xác minh")
    actions.resume(office.officer, petition, on=D(2026, 4, 8))
    petition.refresh_from_db()
    assert petition.due_on == D(2026, 7, 20)  # 2/4, 3/4, 6/4, 7/4 and 8/4 lost: five days
    actions.extend_deadline(
        office.officer, petition, days=10, reason="Vụ việc phức tạp", decision="12-QĐ/ĐU"
    )
    petition.refresh_from_db()
    assert petition.due_on == D(2026, 8, 3)
    assert petition.extensions.get().due_before == D(2026, 7, 20)


def test_the_whole_handling_line(office: Office, world: World) -> None:
    petition = classify(office, receive(office, world))
    for name, fields in (
        ("accept", {}),
        ("verify", {}),
        ("conclude", {"outcome": "partly", "text": "Đúng một phần", "reference": "3-KL/ĐU"}),
        ("notify", {}),
        ("close", {}),
    ):
        actions.move(office.officer, petition, name, on=D(2026, 4, 2), **fields)
    petition.refresh_from_db()
    assert (petition.state, petition.outcome, petition.notice_reference) == (
        State.CLOSED,
        "partly",
        "02-TB/ĐU",
    )
    assert [s.to_state for s in petition.steps.all()] == [
        "received",
        "classified",
        "accepted",
        "verifying",
        "concluded",
        "notified",
        "closed",
    ]
    with pytest.raises(actions.PetitionError, match="Không thể thực hiện"):
        actions.move(office.officer, petition, "verify", on=D(2026, 4, 3))


def test_the_petitioner_is_sealed(office: Office, world: World, personas: Personas) -> None:
    petition = receive(office, world)
    officer_page = client_for(office.officer).get(f"/petitions/{petition.pk}/").content.decode()
    assert NAME not in officer_page and "0912" not in officer_page
    assert "Tiết lộ" not in officer_page or "petition-reveal" not in officer_page
    url, why = f"/petitions/{petition.pk}/reveal/", {"reason": "Trả lời người gửi đơn"}
    assert client_for(office.officer).post(url, why).status_code == 404
    with pytest.raises(Denied):
        actions.reveal(office.officer, petition, reason="Trả lời người gửi đơn")
    listing = client_for(office.head).get("/petitions/?show=all").content.decode()
    assert NAME not in listing
    export = client_for(office.head).get("/petitions/?show=all&format=xlsx")
    assert NAME.encode() not in export.content
    head = client_for(office.head)
    for missing in ({}, {"reason": "    "}, {"reason": "x" * 501}):
        refused = head.post(url, missing, HTTP_HX_REQUEST="true").content.decode()
        assert NAME not in refused and "lý do" in refused.lower()
        follow = head.post(url, missing, follow=True).content.decode()  # without htmx
        assert NAME not in follow and "lý do" in follow.lower()
    with pytest.raises(ValueError):
        actions.reveal(office.head, petition, reason="")
    assert not AuditEvent.objects.filter(event_type="petition.petitioner_revealed").exists()
    revealed = head.post(url, why, HTTP_HX_REQUEST="true").content.decode()
    assert NAME in revealed and "0912 345 678" in revealed
    event = AuditEvent.objects.get(event_type="petition.petitioner_revealed")
    assert event.actor_id == office.head.pk and event.reason == "Trả lời người gửi đơn"


def test_export_writes_formula_like_text_as_text(office: Office, world: World) -> None:
    """Finding 6 of issue 10: a petition summary typed as a formula is exported as text."""
    summary = "=cmd|' /C calc'!A0"
    receive(office, world, summary=summary, subjects=[("@SUM(A1)", "", None)])
    export = client_for(office.head).get("/petitions/?show=all&format=xlsx")
    header, row = xlsx_cells(export.content)
    cells = {h.value: c for h, c in zip(header, row, strict=True)}
    assert cells["Nội dung"].value == summary and cells["Nội dung"].quotePrefix
    assert cells["Người bị phản ánh"].value == "@SUM(A1)"
    assert cells["Người bị phản ánh"].quotePrefix


def test_a_petition_blocks_the_open_case_about_the_same_person(
    office: Office, world: World
) -> None:
    case = to_verifying(office, open_case(office, world))
    petition = receive(office, world, received_on=D(2026, 3, 20))
    link = CasePetition.objects.get(case=case)
    assert (link.petition_id, link.reference) == (petition.pk, "Đơn thư số đến 1/2026")
    from hoso.vetting import actions as vetting
    from hoso.vetting.models import State as CaseState

    case.state, case.proposal = CaseState.PROPOSED, "Đề xuất"
    case.save()
    with pytest.raises(IllegalMove, match="đơn thư"):
        conclude(office, case)
    vetting.cases.consider_petition(office.officer, link, text="Đã xác minh: nội dung không đúng")
    assert conclude(office, case).number == "15-KL/ĐU"


def test_scope_and_counts(office: Office, world: World, personas: Personas) -> None:
    mine = receive(office, world)
    classify(office, mine, naming=Naming.ANONYMOUS)
    second = classify(office, receive(office, world, received_on=D(2026, 3, 10)))
    actions.move(office.officer, second, "accept", on=D(2026, 3, 11))
    assert client_for(personas.officer_b).get(f"/petitions/{mine.pk}/").status_code == 404
    assert not Petition.objects.visible_to(personas.officer_b).exists()
    counted = counts(Petition.objects.all(), D(2026, 1, 1), D(2026, 3, 31))
    assert (counted["received"], counted["not_handled"], counted["accepted"]) == (2, 1, 1)
    assert counted["by_reason"] == [(Reason.ANONYMOUS.label, 1)]
    assert counts(Petition.objects.all(), D(2026, 4, 1), D(2026, 6, 30))["received"] == 0


def test_intake_page_from_the_member_page(office: Office, world: World) -> None:
    client = client_for(office.clerk)
    page = client.get(f"/members/{office.member.pk}/").content.decode()
    assert f"/petitions/new/?member={office.member.pk}" in page
    response = client.post(
        f"/petitions/new/?member={office.member.pk}",
        {
            "organization": world.commune_a.pk,
            "received_on": "2026-03-02",
            "channel": "forwarded",
            "summary": "Tố cáo",
            "classification": 1,
        },
    )
    assert "Ghi rõ cơ quan đã chuyển đơn." in response.content.decode()
    response = client.post(
        f"/petitions/new/?member={office.member.pk}",
        {
            "organization": world.commune_a.pk,
            "received_on": "2026-03-02",
            "channel": "post",
            "summary": "Tố cáo",
            "classification": 1,
            "petitioner_name": NAME,
        },
        follow=True,
    )
    petition = Petition.objects.get()
    assert petition.subjects.get().person == office.member.person
    assert "Đã vào sổ đơn thư: số đến 1/2026." in response.content.decode()


def test_the_member_of_the_page_is_one_subject(office: Office, world: World) -> None:
    """Issue 16, item 9: the member, linked from the page and typed again, is listed once."""
    person = office.member.person
    response = client_for(office.clerk).post(
        f"/petitions/new/?member={office.member.pk}",
        {
            "organization": world.commune_a.pk,
            "received_on": "2026-03-02",
            "channel": "post",
            "summary": "Tố cáo",
            "classification": 1,
            "subjects": f"{person.full_name.upper()} | Phó Chủ tịch UBND xã\nLê Văn Khác",
        },
    )
    assert response.status_code == 302
    subjects = list(Petition.objects.get().subjects.values_list("name", "position", "person"))
    assert subjects == [
        (person.full_name, "Chi bộ thôn Đông", person.pk),
        ("Lê Văn Khác", "", None),
    ]


def test_a_person_is_linked_to_a_petition_once(office: Office, world: World) -> None:
    from django.db import IntegrityError, transaction

    from hoso.petitions.models import Subject

    person = office.member.person
    petition = receive(office, world, subjects=[("Hoà", "", person), ("Trần Thị Hoà", "", person)])
    assert petition.subjects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Subject.objects.create(petition=petition, name="Hoà", person=person)


def test_confirmations_say_what_was_done(office: Office, world: World) -> None:
    """Issue 16, item 13: each step's message names the petition and its new step."""
    petition = receive(office, world)
    client, url = client_for(office.officer), f"/petitions/{petition.pk}/"
    answers = {"kind": "denunciation", "naming": "named", "within_competence": "yes"}
    page = client.post(f"{url}classify/", answers, follow=True).content.decode()
    assert "Đã chuyển đơn 1/2026 sang bước “Đã phân loại”." in page
    page = client.post(f"{url}move/", {"move": "accept", "on": "2026-03-04"}, follow=True)
    assert "Đã chuyển đơn 1/2026 sang bước “Đã thụ lý”." in page.content.decode()
    page = client.post(f"{url}move/", {"move": "verify", "on": "2026-03-05"}, follow=True)
    assert "Đã chuyển đơn 1/2026 sang bước “Đang thẩm tra, xác minh”." in page.content.decode()
    page = client.post(f"{url}clock/", {"on": "2026-03-06", "reason": "Chờ"}, follow=True)
    assert "Đơn 1/2026: đã tạm dừng tính thời hạn từ ngày 06/03/2026." in page.content.decode()
    for said in ("Đã ghi nhận.", "Đã thực hiện."):
        assert said not in page.content.decode()


def test_time_limits_are_configurable(office: Office, world: World, personas: Personas) -> None:
    from hoso.petitions.models import PetitionRule

    rule = PetitionRule.objects.get(kind=Kind.DENUNCIATION)
    admin = client_for(personas.admin_root)
    admin.post(
        f"/catalogues/petition-limits/{rule.pk}/",
        {"kind": "denunciation", "days": 60, "unit": "working"},
    )
    assert client_for(office.head).get("/catalogues/petition-limits/").status_code == 404
    petition = classify(office, receive(office, world))
    actions.move(office.officer, petition, "accept", on=D(2026, 3, 4))
    petition.refresh_from_db()
    assert petition.due_on == D(2026, 6, 1)  # 60 working days, 27/4, 30/4 and 1/5 off
