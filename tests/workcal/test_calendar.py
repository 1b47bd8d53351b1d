from __future__ import annotations

import datetime as dt

from django.urls import reverse

from hoso.audit.models import AuditEvent
from hoso.lib.workdays import Period, Unit
from hoso.workcal.models import SpecialDay
from hoso.workcal.service import deadline
from tests.conftest import Personas, World, client_for, make_user


def test_seeded_calendar_skips_tet_2026(db: object) -> None:
    # Friday 13/02/2026 + 1 working day: Tết Bính Ngọ keeps offices closed until 23/02.
    assert deadline(dt.date(2026, 2, 13), Period(1, Unit.WORKING)) == dt.date(2026, 2, 23)
    # 30 working days from an admission decision on Friday 16/01/2026 (the ceremony deadline
    # of domain.md): 20 working days to 13/02, Tết week off, 10 more to Friday 06/03.
    assert deadline(dt.date(2026, 1, 16), Period(30, Unit.WORKING)) == dt.date(2026, 3, 6)
    assert deadline(dt.date(2026, 1, 16), Period(30, Unit.CALENDAR)) == dt.date(2026, 2, 15)


def test_substituted_saturday_2025_is_a_working_day(db: object) -> None:
    assert deadline(dt.date(2025, 4, 25), Period(1, Unit.WORKING)) == dt.date(2025, 4, 26)


def test_everyone_reads_only_national_admins_edit(world: World, personas: Personas) -> None:
    page = client_for(personas.clerk_a).get(reverse("calendar"), {"year": 2026})
    assert "Tết Nguyên đán Bính Ngọ" in page.content.decode()
    assert page.context["form"] is None
    refused = client_for(personas.admin_a).post(
        reverse("calendar"), {"date": "2026-12-31", "kind": "holiday", "name": "x"}
    )
    assert refused.status_code == 404
    national = make_user("admin_tw", world.root, "admin")
    client = client_for(national)
    client.post(
        reverse("calendar"),
        {
            "date": "2026-09-03",
            "kind": "holiday",
            "name": "Nghỉ thêm Quốc khánh",
            "confirmed": "on",
        },
    )
    day = SpecialDay.objects.get(date=dt.date(2026, 9, 3))
    assert day.confirmed
    assert deadline(dt.date(2026, 9, 2), Period(1, Unit.WORKING)) == dt.date(2026, 9, 4)
    client.post(reverse("calendar-day", args=[day.pk]), {"op": "delete"})
    assert not SpecialDay.objects.filter(date=dt.date(2026, 9, 3)).exists()
    ops = [e.details["op"] for e in AuditEvent.objects.filter(event_type="calendar.changed")]
    assert ops == ["removed", "added"]  # newest first
