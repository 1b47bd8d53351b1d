from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hoso.access.policy import Denied
from hoso.audit.models import AuditEvent
from hoso.people import actions, dossier
from hoso.people.models import Correction, DocumentType, Member, Person
from hoso.people.search import search_members
from tests.conftest import Personas, World

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def member(world: World) -> Member:
    person = Person.objects.create(family_name="Bùi", middle_name="Thị", given_name="Xuân", sex="F")
    return Member.objects.create(person=person, organization=world.cell_a, status="official")


def doc_type(code: str) -> DocumentType:
    return DocumentType.objects.get(code=code)


def test_missing_document_needs_a_reason(member: Member, personas: Personas) -> None:
    with pytest.raises(actions.dossier.DossierError):
        actions.dossier.add_document(
            personas.clerk_a, member, doc_type=doc_type("2-KNĐ"), present=False
        )
    doc = actions.dossier.add_document(
        personas.clerk_a,
        member,
        doc_type=doc_type("2-KNĐ"),
        present=False,
        missing_reason="Thất lạc khi chuyển sinh hoạt",
    )
    assert not doc.present
    assert AuditEvent.objects.filter(event_type="dossier.document_added").count() == 1


def test_no_document_above_ones_clearance(member: Member, personas: Personas) -> None:
    with pytest.raises(Denied):  # the clerk holds Mật; this is Tối mật
        actions.dossier.add_document(
            personas.clerk_a, member, doc_type=doc_type("XM"), classification=2
        )


def test_corrections_keep_every_version(member: Member, personas: Personas) -> None:
    doc = actions.dossier.add_document(
        personas.clerk_a,
        member,
        doc_type=doc_type("QĐ-KN"),
        number="12-QĐ/ĐU",
        issued_on=dt.date(2001, 5, 19),
        pages=1,
    )
    with pytest.raises(actions.dossier.DossierError, match="văn bản cho phép"):
        actions.dossier.correct(
            personas.clerk_a, doc, {"number": "21-QĐ/ĐU"}, approval="", reason="x"
        )
    with pytest.raises(actions.dossier.DossierError):
        actions.dossier.correct(
            personas.clerk_a, doc, {"recorded_by": None}, approval="a", reason="b"
        )
    actions.dossier.correct(
        personas.clerk_a,
        doc,
        {"number": "21-QĐ/ĐU"},
        approval="Công văn 7-CV/ĐU",
        reason="Ghi nhầm số",
    )
    actions.dossier.correct(
        personas.clerk_a,
        doc,
        {"issued_on": dt.date(2001, 5, 20)},
        approval="Công văn 9-CV/ĐU",
        reason="Ghi nhầm ngày",
    )
    doc.refresh_from_db()
    assert doc.number == "21-QĐ/ĐU" and doc.version == 3
    history = list(Correction.objects.filter(object_id=doc.pk).order_by("version"))
    assert [(c.version, c.before, c.after) for c in history] == [
        (2, {"number": "12-QĐ/ĐU"}, {"number": "21-QĐ/ĐU"}),
        (3, {"issued_on": "2001-05-19"}, {"issued_on": "2001-05-20"}),
    ]
    assert AuditEvent.objects.filter(event_type="dossier.corrected").count() == 2


def test_correcting_a_name_updates_search(member: Member, personas: Personas) -> None:
    actions.dossier.correct(
        personas.clerk_a,
        member.person,
        {"given_name": "Xuyến"},
        approval="QĐ 3-QĐ/ĐU",
        reason="Theo CCCD",
    )
    assert list(search_members(Member.objects.all(), "bui thi xuyen ")) == [member]
    with pytest.raises(actions.dossier.DossierError, match=r"Nothing|Không"):
        actions.dossier.correct(
            personas.clerk_a, member.person, {"given_name": "Xuyến"}, approval="QĐ", reason="lặp"
        )


def test_scans_are_checked_hashed_and_stored_by_hash(member: Member, personas: Personas) -> None:
    doc = actions.dossier.add_document(personas.clerk_a, member, doc_type=doc_type("2-KNĐ"))
    scan = actions.dossier.add_scan(personas.clerk_a, doc, SimpleUploadedFile("ly lich.pdf", PDF))
    assert scan.content_type == "application/pdf" and scan.size == len(PDF)
    assert scan.file.name.endswith(scan.sha256) and "ly lich" not in scan.file.name
    with pytest.raises(actions.dossier.DossierError, match="PDF"):
        actions.dossier.add_scan(
            personas.clerk_a, doc, SimpleUploadedFile("x.pdf", b"MZ\x90\x00exe")
        )
    with pytest.raises(Denied):
        actions.dossier.add_scan(personas.officer_b, doc, SimpleUploadedFile("y.pdf", PDF))


def test_checklist_and_incomplete(member: Member, personas: Personas) -> None:
    states = {t.code: state for t, _, state in dossier.checklist(member)}
    assert states["2-KNĐ"] == "missing" and states["3-HSĐV"] == "optional"
    assert list(dossier.incomplete(Member.objects.all())) == [member]
    for t in DocumentType.objects.filter(required=True):
        if t.applies_to("official"):
            actions.dossier.add_document(personas.clerk_a, member, doc_type=t)
    assert list(dossier.incomplete(Member.objects.all())) == []
    assert {s for _, _, s in dossier.checklist(member)} == {"present", "optional"}


def test_dossier_pages(member: Member, personas: Personas) -> None:
    from django.urls import reverse

    from tests.conftest import client_for

    client = client_for(personas.clerk_a)
    response = client.post(
        reverse("dossier-add", args=[member.pk]),
        {
            "doc_type": doc_type("QĐ-KN").pk,
            "number": "5-QĐ/ĐU",
            "present": "on",
            "classification": 1,
        },
    )
    assert response.status_code == 302
    doc = member.documents.get()
    client.post(
        reverse("document-detail", args=[doc.pk]),
        {"op": "scan", "file": SimpleUploadedFile("qd.pdf", PDF)},
    )
    scan = doc.scans.get()
    download = client.get(reverse("scan-download", args=[scan.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(event_type="dossier.scan_opened").count() == 1
    client.post(
        reverse("document-detail", args=[doc.pk]),
        {
            "op": "correct",
            "doc_type": doc.doc_type_id,
            "number": "6-QĐ/ĐU",
            "present": "on",
            "classification": 1,
            "approval": "CV 1-CV/ĐU",
            "reason": "Sai số",
        },
    )
    doc.refresh_from_db()
    assert doc.number == "6-QĐ/ĐU" and doc.version == 2
    page = client.get(reverse("member-dossier", args=[member.pk])).content.decode()
    assert "6-QĐ/ĐU" in page and "CV 1-CV/ĐU" in page
    incomplete = client.get(reverse("dossier-incomplete"))
    assert [m.pk for m in incomplete.context["members"]] == [member.pk]


def test_documents_above_clearance_are_invisible(member: Member, personas: Personas) -> None:
    from django.urls import reverse

    from tests.conftest import client_for, make_user

    chief = make_user("chief", member.organization, "head", clearance=3)
    secret = actions.dossier.add_document(
        chief, member, doc_type=doc_type("XM"), number="TUYET-MAT", classification=3
    )
    client = client_for(personas.clerk_a)  # clearance Mật
    assert client.get(reverse("document-detail", args=[secret.pk])).status_code == 404
    assert (
        "TUYET-MAT" not in client.get(reverse("member-dossier", args=[member.pk])).content.decode()
    )
    assert client_for(chief).get(reverse("document-detail", args=[secret.pk])).status_code == 200


def test_correction_form_masks_the_sensitive_fields(member: Member, personas: Personas) -> None:
    """The correction form showed ethnicity and religion to a clerk for whom the member page
    masks them: they stay hidden, a blank keeps them, a value typed replaces them."""
    from django.urls import reverse

    from tests.conftest import client_for

    member.person.ethnicity, member.person.religion = "Tày", "Phật giáo"
    member.person.save()
    clerk = client_for(personas.clerk_a)
    url = reverse("member-correct", args=[member.pk])
    shown = clerk.get(url)
    page = shown.content.decode()
    assert "Tày" not in page and "Phật giáo" not in page
    form = shown.context["form"]
    data = {
        name: "" if value is None else getattr(value, "pk", value)
        for name, value in ((n, form[n].value()) for n in form.fields)
    }
    data.update(given_name="Xuân Hoa", approval="CV 2-CV/ĐU", reason="Sai tên")
    assert clerk.post(url, data).status_code == 302
    person = Person.objects.get(pk=member.person_id)
    assert (person.given_name, person.ethnicity, person.religion) == (
        "Xuân Hoa",
        "Tày",
        "Phật giáo",
    )
    data.update(religion="Không", reason="Sai tôn giáo")
    assert clerk.post(url, data).status_code == 302
    person.refresh_from_db()
    assert (person.ethnicity, person.religion) == ("Tày", "Không")
