"""Uploads are named after what their bytes are, and downloaded as inert attachments (issue 10:
a PDF uploaded as "x.html" kept its name)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.urls import reverse

from hoso.lib import files
from hoso.people import actions
from hoso.people.models import DocumentType, Member, Person
from hoso.petitions import actions as petitions
from hoso.vetting import actions as vetting
from tests.conftest import World, client_for
from tests.vetting.office import Office, open_case

POLYGLOT = b"%PDF-1.7\n<html><script>alert(1)</script></html>\n%%EOF\n"


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("x.html", "application/pdf", "x.pdf"),
        ("Biên bản.PDF", "application/pdf", "Biên bản.PDF"),
        ("ảnh.jpeg", "image/jpeg", "ảnh.jpeg"),
        ("ảnh.png", "image/jpeg", "ảnh.jpg"),
        ("scan", "image/tiff", "scan.tif"),
        ("../../etc/x.svg", "image/png", "x.png"),
        ("C:\\Users\\a\\b.htm", "application/pdf", "b.pdf"),
        ("", "application/pdf", "file.pdf"),
        ("a" * 300 + ".html", "application/pdf", "a" * 251 + ".pdf"),
    ],
)
def test_a_name_gets_the_extension_of_its_detected_type(
    name: str, kind: str, expected: str
) -> None:
    assert files.named(name, kind) == expected


def _download(response: Any, name: str) -> None:
    assert isinstance(response, FileResponse) and response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and f'filename="{name}"' in disposition
    assert ".html" not in disposition
    assert b"".join(response.streaming_content) == POLYGLOT


def test_a_polyglot_is_stored_and_served_as_a_pdf_everywhere(office: Office, world: World) -> None:
    # Dossier scan.
    person = Person.objects.create(family_name="Lê", given_name="Cúc", sex="F")
    member = Member.objects.create(person=person, organization=world.cell_a, status="official")
    doc_type, _ = DocumentType.objects.get_or_create(code="LL", defaults={"name": "Lý lịch"})
    document = actions.dossier.add_document(
        office.clerk, member, doc_type=doc_type, classification=0
    )
    scan = actions.dossier.add_scan(office.clerk, document, SimpleUploadedFile("x.html", POLYGLOT))
    assert scan.original_name == "x.pdf"
    _download(client_for(office.clerk).get(reverse("scan-download", args=[scan.pk])), "x.pdf")
    # Case evidence.
    case = open_case(office, world)
    upload = SimpleUploadedFile("bien-ban.html", POLYGLOT, "text/html")
    item = vetting.cases.add_file(office.officer, case, upload, kind="minutes", title="")
    assert item.original_name == "bien-ban.pdf"
    _download(client_for(office.officer).get(f"/cases/files/{item.pk}/"), "bien-ban.pdf")
    # Petition scan.
    petition = petitions.receive(
        office.clerk,
        world.commune_a,
        received_on=case.received_on,
        channel="post",
        summary="Đơn tố cáo",
        subjects=[("Nguyễn Văn Bị", "Chủ tịch xã", None)],
    )
    letter = petitions.add_scan(office.clerk, petition, SimpleUploadedFile("don.html", POLYGLOT))
    assert letter.original_name == "don.pdf"
    # The original is sealed; the clerk opens the masked copy, uploaded under a web name too.
    masked = petitions.add_masked_copy(
        office.clerk, letter, SimpleUploadedFile("don-che.html", POLYGLOT)
    )
    assert masked.original_name == "don-che.pdf"
    _download(client_for(office.clerk).get(f"/petitions/scans/{masked.pk}/"), "don-che.pdf")


def test_a_row_stored_before_the_fix_is_still_served_as_a_pdf(office: Office, world: World) -> None:
    case = open_case(office, world)
    item = vetting.cases.add_file(
        office.officer, case, SimpleUploadedFile("a.pdf", POLYGLOT), kind="minutes", title=""
    )
    type(item).objects.filter(pk=item.pk).update(original_name="a.html")
    _download(client_for(office.officer).get(f"/cases/files/{item.pk}/"), "a.pdf")
