"""The scanned letter names the petitioner: the original is sealed like the identity (heads
and leaders only, with a typed reason in the audit event); officers and clerks work on the
masked copy that the intake clerk uploads."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hoso.access.policy import Denied
from hoso.audit.models import AuditEvent
from hoso.petitions import actions
from hoso.petitions.models import Petition, Scan
from tests.conftest import World, client_for
from tests.petitions.test_petitions import NAME, receive
from tests.vetting.office import Office

ORIGINAL = b"%PDF-1.4 Nguoi gui: Pham Van To, thon Dong"
MASKED = b"%PDF-1.4 Nguoi gui: XXXXXXXX"
WHY = {"reason": "Đối chiếu chữ ký người tố cáo"}


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def petition(office: Office, world: World) -> Petition:
    petition = receive(office, world)
    actions.add_scan(office.clerk, petition, SimpleUploadedFile("don.pdf", ORIGINAL))
    return petition


def test_the_original_scan_is_sealed_from_clerks_and_officers(
    office: Office, petition: Petition
) -> None:
    original = petition.scans.get()
    for user in (office.clerk, office.officer):
        client = client_for(user)
        assert client.get(f"/petitions/scans/{original.pk}/").status_code == 404
        assert client.post(f"/petitions/scans/{original.pk}/", WHY).status_code == 404
        with pytest.raises(Denied):
            actions.open_scan(user, original, reason=WHY["reason"])
        page = client.get(f"/petitions/{petition.pk}/").content.decode()
        assert f'href="/petitions/scans/{original.pk}/"' not in page
        assert f'action="/petitions/scans/{original.pk}/"' not in page
        assert "Chưa có bản đã che thông tin người gửi" in page
        assert "don.pdf" not in page  # the name given to the original may tell too much
    assert (
        not AuditEvent.objects.filter(event_type__startswith="petition.scan_")
        .exclude(event_type="petition.scan_added")
        .exists()
    )


def test_a_head_opens_the_original_only_with_a_reason(office: Office, petition: Petition) -> None:
    original = petition.scans.get()
    head = client_for(office.head)
    page = head.get(f"/petitions/{petition.pk}/").content.decode()
    assert f'action="/petitions/scans/{original.pk}/"' in page and 'name="reason"' in page
    url = f"/petitions/scans/{original.pk}/"
    for refused in (head.get(url, follow=True), head.post(url, {"reason": " "}, follow=True)):
        assert refused.status_code == 200 and not refused.streaming
        assert "lý do" in refused.content.decode().lower()
    assert not AuditEvent.objects.filter(event_type="petition.scan_revealed").exists()
    opened = head.post(url, WHY)
    assert opened.status_code == 200 and _body(opened) == ORIGINAL
    assert opened["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(event_type="petition.scan_revealed")
    assert (event.actor_id, event.reason) == (office.head.pk, WHY["reason"])
    assert event.details["scan"] == original.pk


def test_officers_work_on_the_masked_copy(office: Office, petition: Petition) -> None:
    original = petition.scans.get()
    clerk = client_for(office.clerk)
    uploaded = clerk.post(
        f"/petitions/scans/{original.pk}/mask/",
        {"file": SimpleUploadedFile("don-che.pdf", MASKED)},
    )
    assert uploaded.status_code == 302
    copy = Scan.objects.get(masked=True)
    assert copy.original_id == original.pk and copy.petition_id == petition.pk
    added = AuditEvent.objects.get(event_type="petition.scan_masked")
    assert added.actor_id == office.clerk.pk and added.details["original"] == original.pk
    officer = client_for(office.officer)
    page = officer.get(f"/petitions/{petition.pk}/").content.decode()
    assert f"/petitions/scans/{copy.pk}/" in page
    assert "Chưa có bản đã che thông tin người gửi" not in page
    opened = officer.get(f"/petitions/scans/{copy.pk}/")
    assert _body(opened) == MASKED and NAME.encode() not in _body(opened)
    read = AuditEvent.objects.get(event_type="petition.scan_opened")
    assert read.actor_id == office.officer.pk and read.details["scan"] == copy.pk
    # The original stays sealed; a masked copy is not masked again.
    assert officer.get(f"/petitions/scans/{original.pk}/").status_code == 404
    with pytest.raises(actions.PetitionError):
        actions.add_masked_copy(office.clerk, copy, SimpleUploadedFile("x.pdf", MASKED))
    bad = clerk.post(
        f"/petitions/scans/{original.pk}/mask/",
        {"file": SimpleUploadedFile("x.exe", b"MZ not a scan")},
        follow=True,
    )
    assert Scan.objects.filter(masked=True).count() == 1
    assert "PDF" in bad.content.decode()


def test_intake_takes_the_masked_copy_with_the_original(office: Office, world: World) -> None:
    client = client_for(office.clerk)
    client.post(
        "/petitions/new/",
        {
            "organization": world.commune_a.pk,
            "received_on": "2026-03-02",
            "channel": "post",
            "summary": "Tố cáo",
            "subjects": "Trần Thị Hoà | Phó Chủ tịch UBND xã",
            "classification": 1,
            "petitioner_name": NAME,
            "scan": SimpleUploadedFile("don.pdf", ORIGINAL),
            "masked_scan": SimpleUploadedFile("don-che.pdf", MASKED),
        },
    )
    original = Scan.objects.get(masked=False)
    copy = Scan.objects.get(masked=True)
    assert copy.original == original and original.petition == copy.petition
    assert AuditEvent.objects.filter(event_type="petition.scan_masked").count() == 1
