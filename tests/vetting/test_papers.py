"""The verification request slip: composed from the case, printed to PDF and Word."""

from __future__ import annotations

import pytest

from hoso.documents import papers, render
from hoso.vetting.verification import Target
from tests.conftest import World, client_for
from tests.documents.test_render import docx_text, pdf_pages
from tests.vetting.office import Office, issue, open_case, to_verifying


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
        "Số 01-PYC/DUA",
        "Hà Tĩnh, ngày 12 tháng 3 năm 2026",
        "MẬT",
        "Họ và tên: TRẦN THỊ HOÀ; sinh ngày 02/03/1985; quê quán: xã An Bình.",
    ):
        assert text in docx, text
    try:
        pdf = " ".join(pdf_pages(render.to_pdf(paper)))
    except render.PdfUnavailable:
        pytest.skip("PDF output unavailable on this machine (WeasyPrint/Pango)")
    assert "Số 01-PYC/DUA" in pdf and "MẬT" in pdf and "TRẦN THỊ HOÀ" in pdf


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
