from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from hoso.documents.models import DocumentKind, OutgoingDocument
from hoso.orgs.models import Term
from tests.conftest import Personas, World, client_for, xlsx_cells


def test_outgoing_register_page(world: World, personas: Personas) -> None:
    Term.objects.create(
        organization=world.commune_a, name="2025-2030", starts_on=dt.date(2025, 10, 1)
    )
    client = client_for(personas.clerk_a)
    url = reverse("documents-outgoing")
    response = client.post(
        url,
        {
            "organization": world.commune_a.pk,
            "classification": 1,
            "kind": DocumentKind.objects.get(code="PYC").pk,
            "issued_on": "2026-05-04",
            "summary": "Phiếu yêu cầu xác minh lý lịch",
            "signer": "Lê Minh Tuấn",
            "authority": "T/L",
            "recipients": "Công an tỉnh",
            "copies": 2,
        },
    )
    assert response.status_code == 302
    document = OutgoingDocument.objects.get()
    assert document.reference == "01-PYC/ĐU" and document.copies == 2
    page = client.get(url, {"q": "01-PYC"}).content.decode()
    assert "01-PYC/ĐU" in page and "Phiếu yêu cầu xác minh lý lịch" in page
    client.post(reverse("documents-cancel", args=[document.pk]), {"reason": "Sai nơi nhận"})
    document.refresh_from_db()
    assert document.cancelled
    sheet = client.get(url, {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "01-PYC/ĐU" and rows[1][-2] == "Đã hủy: Sai nơi nhận"


def test_register_export_writes_formula_like_text_as_text(world: World, personas: Personas) -> None:
    """Finding 6 of issue 10: a document summary typed as a formula is exported as text."""
    Term.objects.create(
        organization=world.commune_a, name="2025-2030", starts_on=dt.date(2025, 10, 1)
    )
    client = client_for(personas.clerk_a)
    url = reverse("documents-outgoing")
    summary = "=cmd|' /C calc'!A0"
    client.post(
        url,
        {
            "organization": world.commune_a.pk,
            "classification": 0,
            "kind": DocumentKind.objects.get(code="PYC").pk,
            "issued_on": "2026-05-04",
            "summary": summary,
            "signer": "Lê Minh Tuấn",
            "recipients": "+Công an tỉnh",
            "copies": 3,
        },
    )
    header, row = xlsx_cells(client.get(url, {"format": "xlsx"}).content)
    cells = {h.value: c for h, c in zip(header, row, strict=True)}
    assert cells["Trích yếu"].value == summary and cells["Trích yếu"].quotePrefix
    assert cells["Nơi nhận"].value == "+Công an tỉnh" and cells["Nơi nhận"].quotePrefix
    assert cells["Số bản"].data_type == "n" and cells["Số bản"].value == 3


def test_incoming_register_page_and_roles(world: World, personas: Personas) -> None:
    client = client_for(personas.clerk_a)
    client.post(
        reverse("documents-incoming"),
        {
            "organization": world.commune_a.pk,
            "classification": 0,
            "received_on": "2026-05-05",
            "sender": "Công an tỉnh",
            "sender_reference": "45/CAT-PV01",
            "summary": "Trả lời phiếu 01-PYC/ĐU",
        },
    )
    page = client.get(reverse("documents-incoming")).content.decode()
    assert "1/2026" in page and "45/CAT-PV01" in page
    # A leader reads the registers but gives no numbers; an administrator sees none.
    leader = client_for(personas.head_p)
    assert "45/CAT-PV01" in leader.get(reverse("documents-incoming")).content.decode()
    assert client_for(personas.admin_root).get(reverse("documents-incoming")).status_code == 404


def test_generate_files_from_the_register(world: World, personas: Personas, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile
    from docx import Document

    from hoso.documents import actions
    from tests.conftest import make_user
    from tests.documents.test_render import docx_text, pdf_pages

    Term.objects.create(
        organization=world.commune_a, name="2025-2030", starts_on=dt.date(2025, 10, 1)
    )
    kind = DocumentKind.objects.get(code="TB")
    plain = actions.numbering.allocate(
        personas.clerk_a,
        world.commune_a,
        kind,
        issued_on=dt.date(2026, 5, 6),
        summary="V/v lịch họp",
        body="Đoạn một về lịch họp.\n\nĐoạn hai: đồng chí Đỗ Thị Hường.",
        signer="Nguyễn Văn An",
        authority="T/M",
        recipients="Các chi bộ\nLưu VP",
    )
    client = client_for(personas.clerk_a)
    url = reverse("documents-generate", args=[plain.pk])
    response = client.post(
        url, {"file_format": "docx", "place": "An Bình", "signer_title": "Bí thư"}
    )
    text = docx_text(response.content)
    assert "Số 01-TB/ĐU" in text and "Đỗ Thị Hường" in text and "T/M" in text
    assert "An Bình, ngày 06 tháng 5 năm 2026" in text and "- Lưu VP" in text
    pdf = client.post(url, {"file_format": "pdf", "place": "An Bình", "signer_title": "Bí thư"})
    assert pdf["Content-Type"] == "application/pdf"
    assert "Đoạn hai: đồng chí Đỗ Thị Hường." in " ".join(pdf_pages(pdf.content))
    secret = actions.numbering.allocate(
        personas.clerk_a,
        world.commune_a,
        kind,
        issued_on=dt.date(2026, 5, 6),
        summary="Mật",
        classification=1,
    )
    refused = client.post(
        reverse("documents-generate", args=[secret.pk]),
        {"file_format": "pdf", "place": "An Bình", "signer_title": "Bí thư"},
    )
    assert refused.status_code == 200 and not secret.copy_register.exists()
    # A national administrator replaces the type's Word template.
    custom = Document()
    custom.add_paragraph("MẪU RIÊNG {{ reference }}")
    path = tmp_path / "t.docx"
    custom.save(str(path))
    admin = client_for(make_user("admin_tw", world.root, "admin"))
    admin.post(
        reverse("documents-template-upload", args=[kind.pk]),
        {"template": SimpleUploadedFile("t.docx", path.read_bytes())},
    )
    again = client.post(url, {"file_format": "docx", "place": "An Bình", "signer_title": "Bí thư"})
    assert "MẪU RIÊNG Số 01-TB/ĐU" in docx_text(again.content)
    assert client.post(reverse("documents-template-upload", args=[kind.pk])).status_code == 404
