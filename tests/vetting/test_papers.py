"""The verification request slip: composed from the case, printed to PDF and Word."""

from __future__ import annotations

from typing import Any

import pytest

from hoso.documents import papers, render
from hoso.documents.models import OutgoingDocument
from hoso.vetting import actions
from hoso.vetting import papers as case_papers
from hoso.vetting.models import State, Verdict
from hoso.vetting.transitions import IllegalMove, Move
from hoso.vetting.verification import Target
from tests.conftest import World, client_for
from tests.documents.test_render import docx_text, pdf_pages
from tests.vetting.office import D, Office, issue, open_case, to_verifying


def test_the_slip_says_who_what_and_by_when(office: Office, world: World) -> None:
    case = to_verifying(office, open_case(office, world))
    (request,) = issue(office, case, targets=[Target(relative=office.father)])
    body = request.document.body
    assert body.startswith("Kính gửi: Phòng PV06 Công an tỉnh.")
    assert "Thực hiện Quyết định số 05-QĐ/ĐU ngày 10/03/2026" in body
    assert "Họ và tên: Trần Văn Bình; sinh năm 1955; là bố đẻ của đồng chí Trần Thị Hoà." in body
    assert "Nội dung cần xác minh: Đề nghị xác minh lịch sử chính trị." in body
    assert body.endswith("trước ngày 02/04/2026.")


def test_the_slip_prints_with_number_date_line_mark_and_names(office: Office, world: World) -> None:
    case = to_verifying(office, open_case(office, world))
    (request,) = issue(office, case)
    paper = papers.from_outgoing(request.document, place="Hà Tĩnh", signer_title="Trưởng ban")
    docx = docx_text(render.to_docx(paper))
    for text in (
        "Số 01-PYC/ĐU",
        "Hà Tĩnh, ngày 12 tháng 3 năm 2026",
        "MẬT",
        "Họ và tên: TRẦN THỊ HOÀ; sinh ngày 02/03/1985; quê quán: xã An Bình.",
    ):
        assert text in docx, text
    try:
        pdf = " ".join(pdf_pages(render.to_pdf(paper)))
    except render.PdfUnavailable:
        pytest.skip("PDF output unavailable on this machine (WeasyPrint/Pango)")
    assert "Số 01-PYC/ĐU" in pdf and "MẬT" in pdf and "TRẦN THỊ HOÀ" in pdf


def test_printing_a_secret_slip_goes_through_the_copy_register(
    office: Office, world: World
) -> None:
    case = to_verifying(office, open_case(office, world))
    (request,) = issue(office, case)
    client = client_for(office.officer)
    page = client.get(f"/cases/requests/{request.pk}/").content.decode()
    assert f"/documents/outgoing/{request.document_id}/file/" in page
    response = client.post(
        f"/documents/outgoing/{request.document_id}/file/",
        {
            "file_format": "docx",
            "recipient": "Phòng PV06 Công an tỉnh",
            "place": "Hà Tĩnh",
            "signer_title": "Trưởng ban",
        },
    )
    assert response.status_code == 200
    assert "Bản số 01/01 – Nơi nhận: Phòng PV06 Công an tỉnh" in docx_text(response.content)
    assert request.document.copy_register.count() == 1


def _text_of(document: Any) -> str:
    paper = papers.from_outgoing(document, place="Hà Tĩnh", signer_title="Bí thư")
    return docx_text(render.to_docx(paper))


def _pdf_of(document: Any) -> str:
    paper = papers.from_outgoing(document, place="Hà Tĩnh", signer_title="Bí thư")
    try:
        return " ".join(pdf_pages(render.to_pdf(paper)))
    except render.PdfUnavailable:
        pytest.skip("PDF output unavailable on this machine (WeasyPrint/Pango)")


def test_decision_appraisal_and_conclusion_papers(office: Office, world: World) -> None:
    case = open_case(office, world)
    actions.cases.move(office.officer, case, Move.REVIEW)
    actions.cases.move(office.officer, case, Move.ASK_DECISION)
    decision = actions.papers.issue_decision(
        office.head, case, on=D(2026, 3, 10), signer="Nguyễn Văn An", authority="T/M"
    )
    case.refresh_from_db()
    assert (case.state, case.decision_number, case.decision_date) == (
        State.PLANNING,
        "01-QĐ/ĐU",
        D(2026, 3, 10),
    )
    text = _text_of(decision)
    for expected in (
        "Số 01-QĐ/ĐU",
        "Hà Tĩnh, ngày 10 tháng 3 năm 2026",
        "MẬT",
        "QUYẾT ĐỊNH",
        "Điều 1. Thẩm tra, xác minh tiêu chuẩn chính trị đối với đồng chí Trần Thị"
        " Hoà, sinh ngày 02/03/1985",
        "T/M",
        "Nguyễn Văn An",
    ):
        assert expected in text, expected
    actions.cases.set_team(
        office.head, case, [office.officer, office.officer2, office.officer3], office.officer
    )
    actions.cases.write(office.officer, case, field="plan", text="Kế hoạch")
    actions.cases.move(office.officer, case, Move.START_VERIFYING)
    (request,) = issue(office, case)
    actions.requests.record_reply(
        office.officer,
        request,
        received_on=D(2026, 3, 20),
        reference="215/PV06",
        summary="Đã xác minh.",
        items=[("Quê quán", "Đúng như khai", Verdict.MATCH)],
    )
    actions.cases.move(office.officer, case, Move.COMPILE)
    actions.cases.write(
        office.officer,
        case,
        field="proposal",
        text="Đề nghị Ban Thường vụ kết luận đồng chí Trần Thị Hoà đủ tiêu chuẩn.",
    )
    report = actions.papers.issue_appraisal(
        office.officer, case, on=D(2026, 4, 2), signer="Lê Văn Bình", authority="K/T"
    )
    text = _text_of(report)
    for expected in (
        "Số 01-BC/ĐU",
        "I. KẾT QUẢ THẨM TRA, XÁC MINH",
        "Phiếu số 01-PYC/ĐU ngày 12/03/2026 gửi Phòng PV06 Công an tỉnh",
        "Văn bản trả lời số 215/PV06 ngày 20/03/2026",
        "Quê quán: Đúng như khai",
        "II. ĐỀ XUẤT",
        "đủ tiêu chuẩn",
    ):
        assert expected in text, expected
    assert "Số 01-BC/ĐU" in _pdf_of(report)
    actions.cases.move(office.officer, case, Move.PROPOSE)
    conclusion = actions.papers.conclude_numbered(
        office.head,
        case,
        outcome="DU",
        text="Đồng chí Trần Thị Hoà đủ tiêu chuẩn chính trị.",
        signed_on=D(2026, 4, 20),
        signer="Nguyễn Văn An",
        authority="T/M",
    )
    assert conclusion.number == "01-KL/ĐU"
    kl = next(d for d in case_papers.of_case(case) if d.kind.code == "KL")
    pdf = _pdf_of(kl)
    assert "Số 01-KL/ĐU" in pdf and "Trần Thị Hoà" in pdf and "MẬT" in pdf
    assert [d.kind.code for d in case_papers.of_case(case)] == ["QĐ", "PYC", "BC", "KL"]


def test_a_refused_conclusion_gives_its_number_back(office: Office, world: World) -> None:
    case = to_verifying(office, open_case(office, world))
    with pytest.raises(IllegalMove):
        actions.papers.conclude_numbered(
            office.head,
            case,
            outcome="DU",
            text="x",
            signed_on=D(2026, 4, 20),
            signer="A",
            authority="T/M",
        )
    assert not OutgoingDocument.objects.filter(kind__code="KL").exists()


def test_trip_notice_and_petition_notices(office: Office, world: World) -> None:
    from hoso.petitions import actions as petitions
    from hoso.travel import actions as travel

    trip = travel.request_trip(
        office.officer,
        office.member,
        purpose="official",
        countries="Nhật Bản",
        planned_from=D(2026, 6, 1),
        planned_to=D(2026, 6, 8),
        funding="state",
        passport_type="official",
        requested_on=D(2026, 5, 4),
    )
    travel.move(office.officer, trip, "opinion", on=D(2026, 5, 6), text="Đồng ý")
    travel.move(office.head, trip, "approve", on=D(2026, 5, 8), number="45-QĐ/ĐU")
    travel.move(office.officer, trip, "notify", on=D(2026, 5, 9))
    notice = OutgoingDocument.objects.get(object_type="travel.trip", object_id=str(trip.pk))
    text = _text_of(notice)
    for expected in (
        "Số 01-TB/ĐU",
        "Hà Tĩnh, ngày 09 tháng 5 năm 2026",
        "Căn cứ Quyết định số 45-QĐ/ĐU ngày 08/05/2026",
        "đồng ý để đồng chí ra nước ngoài (công tác) tại Nhật Bản",
        "trong 7 ngày làm việc sau khi về nước",
        "Nộp lại hộ chiếu",
    ):
        assert expected in text, expected
    petition = petitions.receive(
        office.clerk,
        world.commune_a,
        received_on=D(2026, 3, 2),
        channel="post",
        summary="Phản ánh về kê khai tài sản của đồng chí Trần Thị Hoà",
        subjects=[("Trần Thị Hoà", "", None)],
        petitioner_name="Phạm Văn Tố",
    )
    petitions.classify(
        office.officer,
        petition,
        kind="denunciation",
        naming="named",
        within_competence=True,
        repeated=False,
        new_evidence=False,
    )
    petitions.move(office.officer, petition, "accept", on=D(2026, 3, 4))
    petitions.move(office.officer, petition, "verify", on=D(2026, 3, 5))
    petitions.move(
        office.officer,
        petition,
        "conclude",
        on=D(2026, 4, 1),
        outcome="false",
        text="Nội dung tố cáo không có cơ sở.",
        reference="3-KL/ĐU",
    )
    petitions.move(office.officer, petition, "notify", on=D(2026, 4, 3))
    ack, result = OutgoingDocument.objects.filter(
        object_type="petitions.petition", object_id=str(petition.pk)
    ).order_by("number")
    assert "thời hạn giải quyết đến ngày 13/07/2026" in _text_of(ack)
    text = _text_of(result)
    assert "Số 03-TB/ĐU" in text and "Kết quả: Nội dung đơn không đúng" in text
    assert "Phạm Văn Tố" not in text and "Phạm Văn Tố" not in _text_of(ack)  # sealed
    page = client_for(office.officer).get(f"/petitions/{petition.pk}/").content.decode()
    assert f"/documents/outgoing/{ack.pk}/file/" in page
    assert f"/documents/outgoing/{result.pk}/file/" in page
    page = client_for(office.officer).get(f"/travel/{trip.pk}/").content.decode()
    assert f"/documents/outgoing/{notice.pk}/file/" in page


def test_the_registers_link_documents_to_their_case(office: Office, world: World) -> None:
    case = to_verifying(office, open_case(office, world))
    (request,) = issue(office, case)
    actions.requests.record_reply(
        office.officer,
        request,
        received_on=D(2026, 3, 20),
        reference="215/PV06",
        summary="Đã xác minh.",
        items=[],
    )
    client = client_for(office.officer)
    for register in ("/documents/outgoing/", "/documents/incoming/"):
        page = client.get(register).content.decode()
        assert f'<a href="/cases/{case.pk}/">Hồ sơ thẩm tra {case.pk}</a>' in page, register


def test_every_paper_prints_to_pdf_and_word(office: Office, world: World) -> None:
    """Slip, decision, appraisal, conclusion, trip notice, petition notices: each read back
    from both formats with its number, date line, secrecy mark and Vietnamese names."""
    test_decision_appraisal_and_conclusion_papers(office, world)
    test_trip_notice_and_petition_notices(office, world)
    documents = list(OutgoingDocument.objects.select_related("kind", "organization"))
    assert {d.kind.code for d in documents} == {"PYC", "QĐ", "BC", "KL", "TB"}
    for document in documents:
        expected = [f"Số {document.reference}", _date_line(document)]
        if document.classification:
            expected.append("MẬT")
        word, pdf = _text_of(document), _pdf_of(document)
        for text in expected:
            assert text in word, (document.reference, text)
            assert text in pdf, (document.reference, text)
        # The subject's name with its tone marks (slips print it in capitals, as on the ID).
        assert "TRẦN THỊ HOÀ" in word.upper() and "TRẦN THỊ HOÀ" in pdf.upper()


def _date_line(document: Any) -> str:
    from hoso.documents.paper import date_line

    return date_line("Hà Tĩnh", document.issued_on)
