"""Issue 16, defect 11: deadlines past the covered years are provisional and said so; a year is
imported from a file (all-or-nothing, every error at once); the worker warns before the
deadlines reach a year that is not entered."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hoso.audit.models import AuditEvent
from hoso.lib.workdays import Period, Unit
from hoso.notices.models import Notification
from hoso.notices.passes import PASSES
from hoso.web.calendar_watch import calendar_pass
from hoso.workcal import importer, service
from hoso.workcal.models import CoveredYear, SpecialDay
from hoso.workcal.service import deadline, due
from tests.conftest import Personas, World, client_for, make_user
from tests.vetting.office import D, Office, open_case

D28 = dt.date


def test_shipped_years_are_covered(db: object) -> None:
    assert service.covered_years() >= {2025, 2026, 2027}
    assert service.last_covered_year() == 2027


def test_a_deadline_past_the_covered_years_is_provisional(db: object) -> None:
    # Inside 2026: definite.
    inside = due(dt.date(2026, 2, 13), Period(1, Unit.WORKING))
    assert (inside.on, inside.provisional) == (dt.date(2026, 2, 23), False)
    # From Friday 24/12/2027, 10 working days run into 2028, which has no calendar: still
    # computed (weekends only: 27-31/12, 3-7/01), but provisional and naming the year.
    late = due(dt.date(2027, 12, 24), Period(10, Unit.WORKING))
    assert late.on == dt.date(2028, 1, 7)
    assert late.provisional and late.uncovered == (2028,)
    assert deadline(dt.date(2027, 12, 24), Period(10, Unit.WORKING)) == late.on
    # Calendar days do not depend on holidays.
    assert not due(dt.date(2027, 12, 24), Period(30, Unit.CALENDAR)).provisional


def test_the_case_page_and_queue_mark_a_provisional_due_date(
    office: Office, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2027, 12, 6))
    late = open_case(office, world, request_date=D(2027, 12, 1), received_on=D(2027, 12, 2))
    early = open_case(office, world)
    assert late.due_on.year == 2028 and early.due_on.year == 2026
    client = client_for(office.officer)
    page = client.get(reverse("case-detail", args=[late.pk])).content.decode()
    assert 'data-testid="provisional"' in page
    assert "tạm tính — lịch ngày làm việc năm 2028 chưa được cập nhật" in page
    other = client.get(reverse("case-detail", args=[early.pk])).content.decode()
    assert 'data-testid="provisional"' not in other
    queue = client.get(reverse("case-list")).content.decode()
    assert queue.count('data-testid="provisional"') == 1


def _csv(*rows: str) -> bytes:
    return ("Ngày,Loại,Tên\n" + "\n".join(rows) + "\n").encode("utf-8")


def _national(world: World) -> Client:
    """A client of the installation-wide administrator (the one who edits the calendar)."""
    from hoso.access.models import User

    found = User.objects.filter(username="admin_tw").first()
    return client_for(found or make_user("admin_tw", world.root, "admin"))


def _upload(client: Client, content: bytes, name: str = "2028.csv", year: int = 2028) -> Any:
    return client.post(
        reverse("calendar-import"),
        {"year": year, "file": SimpleUploadedFile(name, content)},
    )


@pytest.fixture
def late_2027(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    today = dt.date(2027, 11, 20)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today)
    return today


TET_2028 = [
    "01/01/2028,nghỉ lễ,Tết Dương lịch",
    "2028-01-24,nghỉ lễ,Tết Nguyên đán Mậu Thân",
    "25/01/2028,nghỉ lễ,Tết Nguyên đán Mậu Thân",
    "26/01/2028,nghỉ lễ,Tết Nguyên đán Mậu Thân",
    "27/01/2028,nghỉ lễ,Tết Nguyên đán Mậu Thân",
    "28/01/2028,nghỉ bù,Nghỉ bù (làm bù thứ Bảy 05/02)",
    "05/02/2028,làm bù,Làm bù cho ngày 28/01",
]


def test_import_a_year_from_csv(world: World, late_2027: dt.date) -> None:
    before = due(dt.date(2028, 1, 21), Period(5, Unit.WORKING))
    assert (before.on, before.provisional) == (dt.date(2028, 1, 28), True)
    response = _upload(_national(world), _csv(*TET_2028))
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == "/calendar/?year=2028"
    assert SpecialDay.objects.filter(date__year=2028).count() == 7
    assert CoveredYear.objects.get(year=2028).source == CoveredYear.Source.IMPORTED
    # Tết and the day in lieu are off, Saturday 05/02 is worked: Fri 21/01 + 5 working days
    # = Mon 31/01, Tue 01/02, Wed 02/02, Thu 03/02, Fri 04/02; one more lands on Sat 05/02.
    after = due(dt.date(2028, 1, 21), Period(5, Unit.WORKING))
    assert (after.on, after.provisional) == (dt.date(2028, 2, 4), False)
    assert due(dt.date(2028, 1, 21), Period(6, Unit.WORKING)).on == dt.date(2028, 2, 5)
    event = AuditEvent.objects.get(event_type="calendar.changed")
    assert event.details["op"] == "imported" and event.details["year"] == 2028
    assert len(event.details["days"]) == 7 and event.details["file"] == "2028.csv"
    page = _national(world).get(reverse("calendar"), {"year": 2028}).content.decode()
    assert "Tết Nguyên đán Mậu Thân" in page and 'data-testid="year-not-covered"' not in page


def test_import_replaces_the_year_and_reads_the_excel_template(world: World) -> None:
    client = _national(world)
    template = client.get(reverse("calendar-import-template"), {"year": 2027})
    assert template.status_code == 200
    assert template["Content-Disposition"].endswith('lich-ngay-lam-viec-2027.xlsx"')
    assert SpecialDay.objects.filter(date__year=2027).count() > 4
    response = _upload(client, template.content, "mau.xlsx", 2027)
    assert response.status_code == 302, response.content.decode()
    # The template's four fixed holidays replace the eleven shipped ones, confirmed.
    days = SpecialDay.objects.filter(date__year=2027)
    assert [d.date for d in days] == [D(2027, 1, 1), D(2027, 4, 30), D(2027, 5, 1), D(2027, 9, 2)]
    assert all(d.confirmed for d in days)
    event = AuditEvent.objects.get(event_type="calendar.changed")
    assert len(event.details["replaced"]) == 11
    csv_template = client.get(reverse("calendar-import-template"), {"year": 2029, "format": "csv"})
    assert csv_template.content.decode("utf-8-sig").splitlines()[1].startswith("01/01/2029,")


def test_a_bad_file_changes_nothing_and_lists_every_error(world: World) -> None:
    days_before = list(SpecialDay.objects.values_list("date", "kind", "name"))
    content = _csv(
        "01/01/2028,nghỉ lễ,Tết Dương lịch",
        "31/02/2028,nghỉ lễ,Không có ngày này",  # 3: bad date
        "02/09/2029,nghỉ lễ,Quốc khánh",  # 4: not in 2028
        "01/01/2028,nghỉ lễ,Tết Dương lịch",  # 5: duplicate of row 2
        "30/04/2028,nghỉ phép,Giải phóng",  # 6: unknown kind
        "03/05/2028,làm bù,Làm bù",  # 7: a Wednesday cannot be worked in exchange
        "02/09/2028,nghỉ lễ,",  # 8: no name
    )
    response = _upload(_national(world), content)
    assert response.status_code == 200
    report = response.context["report"]
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "Ngày"),
        (4, "Ngày"),
        (5, "Ngày"),
        (6, "Loại"),
        (7, "Loại"),
        (8, "Tên"),
    ]
    page = response.content.decode()
    assert "6 lỗi: không nhập dòng nào." in page
    assert "Ngày 02/09/2029 không thuộc năm 2028." in page
    assert "đã có ở dòng 2" in page
    assert "nghỉ phép" in page
    assert list(SpecialDay.objects.values_list("date", "kind", "name")) == days_before
    assert not CoveredYear.objects.filter(year=2028).exists()
    assert not AuditEvent.objects.filter(event_type="calendar.changed").exists()


def test_a_file_that_is_neither_csv_nor_a_workbook(world: World) -> None:
    response = _upload(_national(world), b"\xff\xfe\x00garbage", "x.xlsx")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not CoveredYear.objects.filter(year=2028).exists()


def test_only_national_administrators_import(world: World, personas: Personas) -> None:
    for user in (personas.clerk_a, personas.admin_a):  # admin_a: a province's, not the root's
        client = client_for(user)
        assert client.get(reverse("calendar-import")).status_code == 404
        assert client.get(reverse("calendar-import-template")).status_code == 404
        assert _upload(client, _csv(*TET_2028)).status_code == 404
    assert not SpecialDay.objects.filter(date__year=2028).exists()
    assert not CoveredYear.objects.filter(year=2028).exists()


def test_importer_reads_english_headers_and_kinds(db: object) -> None:
    content = b"Date;Kind;Name\n01/01/2028;holiday;New Year\n08/01/2028;working;Exchange\n"
    report = importer.read(io.BytesIO(content), "y.csv", 2028)
    assert not report.errors
    assert [(d.date, d.kind) for d in report.days] == [
        (D28(2028, 1, 1), SpecialDay.Kind.HOLIDAY),
        (D28(2028, 1, 8), SpecialDay.Kind.WORKING),
    ]


def test_worker_warns_administrators_before_deadlines_reach_an_uncovered_year(
    world: World, late_2027: dt.date
) -> None:
    assert PASSES["calendar"] is calendar_pass
    national = make_user("admin_tw", world.root, "admin")
    line = calendar_pass()
    assert line.startswith("WARNING 2028 not covered (last covered 2027)")
    told = Notification.objects.get(user=national)
    assert "2028" in told.text and told.url == reverse("calendar-import")
    assert calendar_pass().endswith("0 administrators told")  # once per year
    assert Notification.objects.filter(key="calendar:uncovered:2028").count() == 1
    page = client_for(national).get(reverse("calendar"), {"year": 2027}).content.decode()
    assert 'data-testid="coverage-gap"' in page
    _upload(client_for(national), _csv(*TET_2028))
    assert calendar_pass() == ""


def test_worker_is_quiet_while_the_calendar_reaches_far_enough(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 3, 1))
    assert calendar_pass() == ""
    assert not Notification.objects.exists()
