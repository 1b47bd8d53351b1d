from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from hoso.access.policy import Denied
from hoso.audit.models import AuditEvent
from hoso.people import actions
from hoso.people.models import Correction, Member, Person, Relationship
from tests.conftest import Personas, World, client_for


@pytest.fixture
def member(world: World, personas: Personas) -> Member:
    person = Person.objects.create(
        family_name="Đinh", middle_name="Văn", given_name="Mười", sex="M"
    )
    member = Member.objects.create(person=person, organization=world.cell_a, status="official")
    actions.resume.add_relative(
        personas.clerk_a,
        member,
        relationship=Relationship.objects.get(code="bo-de"),
        full_name="Đinh Văn Chín",
        birth_year=1940,
        residence="xã An Bình",
        political_history="Tham gia kháng chiến 1960-1975",
        political_history_source="Lý lịch 2-KNĐ",
        current_status="Đã từ trần",
    )
    actions.resume.add_entry(
        personas.clerk_a,
        member,
        kind="work",
        started_on=dt.date(2000, 3, 1),
        started_precision="month",
        content="Cán bộ xã An Bình",
    )
    actions.resume.add_entry(
        personas.clerk_a,
        member,
        kind="historical",
        started_on=dt.date(1990, 1, 1),
        started_precision="year",
        content="Đặc điểm lịch sử X",
    )
    return member


def test_notes_masked_until_revealed(member: Member, personas: Personas) -> None:
    clerk = client_for(personas.clerk_a)
    page = clerk.get(reverse("member-resume", args=[member.pk])).content.decode()
    assert "Đinh Văn Chín" in page and "Cán bộ xã An Bình" in page
    assert "kháng chiến" not in page and "Đặc điểm lịch sử X" not in page
    url = reverse("member-resume", args=[member.pk])
    reveal = {"op": "reveal", "reason": "Xác minh lý lịch để kết nạp"}
    assert clerk.post(url, reveal).status_code == 403
    head = client_for(personas.head_p)
    refused = head.post(url, {"op": "reveal", "reason": " "}).content.decode()
    assert "kháng chiến" not in refused and "Đặc điểm lịch sử X" not in refused
    assert "lý do" in refused.lower()
    assert not AuditEvent.objects.filter(event_type="resume.revealed").exists()
    with pytest.raises(ValueError):
        actions.resume.reveal(personas.head_p, member, reason="")
    shown = head.post(url, reveal)
    assert (
        "kháng chiến" in shown.content.decode() and "Đặc điểm lịch sử X" in shown.content.decode()
    )
    event = AuditEvent.objects.get(event_type="resume.revealed")
    assert event.actor == personas.head_p
    assert event.reason == "Xác minh lý lịch để kết nạp"


def test_period_with_partial_dates(member: Member) -> None:
    work = member.person.biography.get(kind="work")
    assert work.period == "03/2000 – nay" or work.period == "03/2000 – now"


def test_relative_corrections_keep_the_old_note(member: Member, personas: Personas) -> None:
    relative = member.person.relatives.get()
    actions.dossier.correct(
        personas.clerk_a,
        relative,
        {"birth_year": 1941},
        approval="Xác minh 12-XM/ĐU",
        reason="Theo giấy khai sinh",
    )
    relative.refresh_from_db()
    assert relative.birth_year == 1941
    assert Correction.objects.get().before == {"birth_year": 1940}
    with pytest.raises(Denied):
        actions.resume.add_relative(
            personas.officer_b,
            member,
            relationship=Relationship.objects.get(code="vo"),
            full_name="X",
        )


def test_add_through_the_page(member: Member, personas: Personas) -> None:
    client = client_for(personas.clerk_a)
    response = client.post(
        reverse("member-resume", args=[member.pk]),
        {
            "op": "relative",
            "r-relationship": Relationship.objects.get(code="vo").pk,
            "r-side": "own",
            "r-full_name": "Lê Thị Mai",
            "r-birth_year": 1975,
        },
    )
    assert response.status_code == 302
    assert member.person.relatives.filter(full_name="Lê Thị Mai").exists()


def test_passport_form_shows_its_fields_and_added_passports(
    member: Member, personas: Personas
) -> None:
    """The form rendered without fields, and a passport added was never listed."""
    clerk = client_for(personas.clerk_a)
    url = reverse("member-resume", args=[member.pk])
    page = clerk.get(url).content.decode()
    assert 'name="h-number"' in page and 'name="h-expires_on"' in page
    added = clerk.post(url, {"op": "passport", "h-number": "C1234567", "h-kind": "ordinary"})
    assert added.status_code == 302
    page = clerk.get(url).content.decode()
    assert "C1234567" in page
    again = clerk.post(url, {"op": "passport", "h-number": "C1234567", "h-kind": "ordinary"})
    assert again.status_code == 200  # the same number twice: the form says so, nothing written
    assert member.person.passports.count() == 1


def test_the_biography_form_speaks_of_dates_in_vietnamese(
    member: Member, personas: Personas
) -> None:
    """Issue 16, defect 3: its dates were labelled "Nơi đi / Nơi đến" and their precision
    "Started precision / Ended precision", in English."""
    page = client_for(personas.clerk_a).get(reverse("member-resume", args=[member.pk]))
    text = page.content.decode()
    assert "Từ ngày" in text and "Đến ngày" in text and "Độ chính xác của ngày bắt đầu" in text
    assert "Nơi đi" not in text and "Started precision" not in text
