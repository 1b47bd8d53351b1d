"""A registered document is seen exactly by those who may see what it belongs to: the
restricted case, the petition, the trip. The registers, search, Excel, files, cancelling and
the API follow that rule; a document that belongs to nothing keeps the register's own scope."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from openpyxl import load_workbook

from hoso.access.models import User
from hoso.access.roles import Clearance, Role
from hoso.documents.actions import numbering
from hoso.documents.models import DocumentKind, IncomingDocument, OutgoingDocument
from hoso.petitions import actions as petitions
from hoso.vetting import actions
from tests.conftest import Personas, World, client_for, make_user
from tests.vetting.office import D, Office, issue, open_case, to_verifying

GENERATE = {"file_format": "docx", "place": "An Bình", "signer_title": "Trưởng ban"}


def sees_outgoing(user: User, document: OutgoingDocument) -> bool:
    """Whether the document shows anywhere a reader of the outgoing register could look."""
    client = client_for(user)
    listing = _table(client.get("/documents/outgoing/"))
    found = _table(client.get("/documents/outgoing/", {"q": document.reference}))
    sheet = client.get("/documents/outgoing/", {"format": "xlsx"})
    cells = [str(c) for row in _rows(sheet.content) for c in row]
    shown = [
        document.reference in listing,
        document.reference in found,
        document.reference in cells,
        client.get(f"/documents/outgoing/{document.pk}/file/").status_code == 200,
        *_in_api(client, "outgoing-documents", document.pk, document.reference),
    ]
    assert len(set(shown)) == 1, shown  # seen everywhere or nowhere
    return shown[0]


def _in_api(client: Client, route: str, pk: int, number: str) -> list[bool]:
    """Whether the API's register lists the document, finds it by its number, and opens it."""
    listed = client.get(f"/api/v1/{route}/").json()["results"]
    found = client.get(f"/api/v1/{route}/", {"q": number}).json()["results"]
    return [
        pk in [row["id"] for row in listed],
        pk in [row["id"] for row in found],
        client.get(f"/api/v1/{route}/{pk}/").status_code == 200,
    ]


def _table(response: Any) -> str:
    """The register's rows (the search box repeats the query above them)."""
    page = response.content.decode()
    return page[page.index("<tbody>") : page.index("</tbody>")]


def _rows(content: bytes) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def sees_incoming(client: Client, document: IncomingDocument) -> bool:
    listing = _table(client.get("/documents/incoming/"))
    found = _table(client.get("/documents/incoming/", {"q": document.sender_reference}))
    cells = [
        str(c)
        for row in _rows(client.get("/documents/incoming/", {"format": "xlsx"}).content)
        for c in row
    ]
    shown = [
        document.sender_reference in listing,
        document.sender_reference in found,
        document.sender_reference in cells,
        *_in_api(client, "incoming-documents", document.pk, document.sender_reference),
    ]
    assert len(set(shown)) == 1, shown
    return shown[0]


def test_the_papers_of_a_restricted_case_stay_with_its_team(
    office: Office, world: World, personas: Personas
) -> None:
    case = to_verifying(office, open_case(office, world, restricted=True))
    (vr,) = issue(office, case)
    slip = vr.document
    reply = actions.requests.record_reply(
        office.officer,
        vr,
        received_on=D(2026, 3, 20),
        reference="77/PV06-BM",
        summary="Không có vấn đề",
        items=[],
    )
    unowned = numbering.allocate(
        office.clerk,
        world.commune_a,
        DocumentKind.objects.get(code="TB"),
        issued_on=D(2026, 3, 12),
        summary="V/v lịch họp chi bộ",
    )
    outsider = make_user("officer_a9", world.commune_a, Role.OFFICER, Clearance.CONFIDENTIAL)
    for user in (outsider, office.clerk):
        assert not sees_outgoing(user, slip), user
        assert not sees_incoming(client_for(user), reply.incoming), user
        assert sees_outgoing(user, unowned), user
        client = client_for(user)
        refused = client.post(f"/documents/outgoing/{slip.pk}/cancel/", {"reason": "Nhầm số"})
        assert refused.status_code == 404
        assert client.post(f"/documents/outgoing/{slip.pk}/file/", GENERATE).status_code == 404
        slip.refresh_from_db()
        assert not slip.cancelled and not slip.copy_register.exists()
        # A document that does not exist answers the same.
        assert client.get(f"/documents/outgoing/{slip.pk + 999}/file/").status_code == 404
        assert not OutgoingDocument.objects.visible_to(user).filter(pk=slip.pk).exists()
    for user in (office.officer2, office.head, personas.head_p):  # team, head, head above
        assert sees_outgoing(user, slip), user
        assert sees_incoming(client_for(user), reply.incoming), user
    # The team member may still act on it.
    ok = client_for(office.officer2).post(
        f"/documents/outgoing/{slip.pk}/cancel/", {"reason": "Nhầm số"}
    )
    assert ok.status_code == 302
    slip.refresh_from_db()
    assert slip.cancelled


def test_the_papers_of_a_petition_follow_the_petition(office: Office, world: World) -> None:
    DocumentKind.objects.get_or_create(code="CV", defaults={"name": "Công văn"})
    petition = petitions.receive(
        office.head,
        world.commune_a,
        received_on=D(2026, 3, 2),
        channel="post",
        summary="Tố cáo sai phạm đất đai",
        subjects=[("Trần Thị Hoà", "", None)],
        petitioner_name="Phạm Văn Tố",
        classification=Clearance.SECRET,
    )
    # A letter about the petition, registered at a lower secrecy level than the petition.
    letter = numbering.allocate(
        office.head,
        world.commune_a,
        DocumentKind.objects.get(code="CV"),
        issued_on=D(2026, 3, 3),
        summary="V/v đề nghị cung cấp hồ sơ đất đai",
        classification=Clearance.CONFIDENTIAL,
        object_type="petitions.petition",
        object_id=str(petition.pk),
    )
    assert not sees_outgoing(office.officer, letter)  # Mật clearance: not the Tối mật petition
    assert client_for(office.officer).get(f"/petitions/{petition.pk}/").status_code == 404
    assert sees_outgoing(office.head, letter)


def test_petition_notices_name_no_petitioner(office: Office, world: World) -> None:
    petition = petitions.receive(
        office.clerk,
        world.commune_a,
        received_on=D(2026, 3, 2),
        channel="post",
        summary="Phản ánh",
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
    notice = OutgoingDocument.objects.get(object_type="petitions.petition")
    assert sees_outgoing(office.officer, notice)
    text = " ".join([notice.summary, notice.body, notice.recipients])
    assert "Phạm Văn Tố" not in text and "Người gửi đơn" in text
    sheet = client_for(office.officer).get("/documents/outgoing/", {"format": "xlsx"})
    assert not any("Phạm Văn Tố" in str(c) for row in _rows(sheet.content) for c in row)


def test_every_owner_type_written_by_hoso_is_registered() -> None:
    from hoso.documents import owners

    assert {"vetting.case", "petitions.petition", "travel.trip"} <= set(owners.registered())
