"""Arrival from outside hoso, passports, and Excel export of every member list."""

from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from hoso.audit.models import AuditEvent
from hoso.people.models import EventKind, Member
from tests.conftest import Personas, World, client_for


def test_member_received_from_outside_hoso(world: World, personas: Personas) -> None:
    client = client_for(personas.clerk_a)
    response = client.post(
        reverse("member-new"),
        {
            "p-family_name": "Lò",
            "p-middle_name": "Văn",
            "p-given_name": "Pọm",
            "p-sex": "M",
            "p-birth_date_precision": "day",
            "p-nationality": "Việt Nam",
            "m-organization": world.cell_a.pk,
            "m-status": "official",
            "a-from_text": "Đảng ủy xã Mường Thanh, Điện Biên",
            "a-letter_number": "88-GGT/ĐU",
            "a-received_on": "2026-04-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    member = Member.objects.get(person__given_name="Pọm")
    event = member.events.get()
    assert event.kind == EventKind.TRANSFER_IN and "Mường Thanh" in event.counterpart
    register = client.get(reverse("register", args=["members"]))
    assert "01/04/2026 – Đảng ủy xã Mường Thanh, Điện Biên" in register.content.decode()
    missing_date = client.post(
        reverse("member-new"),
        {
            "p-family_name": "A",
            "p-given_name": "B",
            "p-sex": "M",
            "p-birth_date_precision": "day",
            "p-nationality": "Việt Nam",
            "m-organization": world.cell_a.pk,
            "m-status": "official",
            "a-from_text": "X",
        },
    )
    assert missing_date.status_code == 200 and not Member.objects.filter(person__given_name="B")


def test_passport_recorded_on_the_resume_page(world: World, personas: Personas) -> None:
    from hoso.people.models import Person

    person = Person.objects.create(family_name="Vi", given_name="Hùng", sex="M")
    member = Member.objects.create(person=person, organization=world.cell_a, status="official")
    client = client_for(personas.clerk_a)
    client.post(
        reverse("member-resume", args=[member.pk]),
        {
            "op": "passport",
            "h-number": "C1234567",
            "h-kind": "official",
            "h-expires_on": "2030-01-01",
        },
    )
    passport = person.passports.get()
    assert passport.kind == "official" and passport.expires_on == dt.date(2030, 1, 1)
    assert "C1234567" in client.get(reverse("member-detail", args=[member.pk])).content.decode()


def test_every_member_list_exports_to_excel(world: World, personas: Personas) -> None:
    from hoso.people.models import Person

    person = Person.objects.create(family_name="Tạ", given_name="Xuân", sex="F")
    Member.objects.create(person=person, organization=world.cell_a, status="official")
    client = client_for(personas.clerk_a)
    for name, params in (("dossier-incomplete", {}), ("supplements", {"year": 2025})):
        response = client.get(reverse(name), {**params, "format": "xlsx"})
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert rows[1][0] == "TẠ XUÂN", name
    assert AuditEvent.objects.filter(event_type="member.exported").count() == 2
