"""Importing a cadre list: persons found in scope by number, categories and posts written all
together or not at all, row errors in Vietnamese."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from hoso.audit.models import AuditEvent
from hoso.cadres import actions, importer
from hoso.cadres.models import Cadre, Post
from hoso.people.models import Member, Person
from tests.cadres.helpers import category, kind, rule
from tests.conftest import Personas, World, client_for
from tests.vetting.office import Office

HEADER = [c.header for c in importer.COLUMNS]


def row(**values: Any) -> list[Any]:
    base = {
        "Số CCCD": "001185000001",
        "Họ và tên": "Trần Thị Hoà",
        "Diện quản lý": "BTVDUX",
        "Thuộc diện từ ngày": "01/11/2025",
        "Chức danh": "PCT_UBND_XA",
        "Chức vụ (ghi như quyết định)": "Phó Chủ tịch UBND xã An Bình",
        "Cơ quan, đơn vị": "UBND xã An Bình",
        "Cơ quan dân cử": "HĐND xã An Bình",
        "Nhiệm kỳ": "2021-2026",
        "Từ ngày": "15/07/2021",
        "Số quyết định": "05/NQ-HĐND",
    }
    base.update(values)
    return [base.get(h, "") for h in HEADER]


def xlsx(*rows: list[Any]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def _setup(office: Office, world: World) -> Person:
    rule()
    category()
    kind()
    kind("T_VT", key=False, secret=True, mode="appointed")
    person = office.member.person
    person.citizen_id = "001185000001"
    person.save()
    office.member.card_number = "0123456"
    office.member.save()
    return person


def test_a_good_file_writes_every_row(office: Office, world: World) -> None:
    person = _setup(office, world)
    second = row(**{"Số CCCD": "", "Số thẻ đảng viên": "0123456", "Diện quản lý": "",
                    "Chức danh": "Chức danh T_VT", "Chức vụ (ghi như quyết định)": "",
                    "Cơ quan dân cử": "", "Nhiệm kỳ": "", "Từ ngày": "02/01/2019"})  # fmt: skip
    report = actions.imports.import_file(xlsx(row(), second), world.commune_a, office.officer)
    assert report.errors == [] and report.imported == 2
    cadre = Cadre.objects.get()
    assert (cadre.person, cadre.committee, cadre.organization) == (
        person,
        world.commune_a,
        world.commune_a,
    )
    assert sorted(Post.objects.values_list("kind__code", flat=True)) == ["PCT_UBND_XA", "T_VT"]
    event = AuditEvent.objects.get(event_type="cadre.imported")
    assert (event.details["cadres"], event.details["categories"], event.details["posts"]) == (
        1,
        1,
        2,
    )


def test_one_bad_row_imports_nothing(office: Office, world: World) -> None:
    _setup(office, world)
    bad = [
        row(**{"Số CCCD": "079090000001"}),  # nobody of this scope
        row(**{"Họ và tên": "Nguyễn Văn Khác"}),  # not the recorded name
        row(**{"Diện quản lý": "KHONG_CO"}),
        row(**{"Cơ quan dân cử": ""}),  # an elected post without its body
        row(**{"Từ ngày": "31/02/2021"}),
        row(**{"Diện quản lý": "", "Chức danh": ""}),
    ]
    report = actions.imports.import_file(xlsx(row(), *bad), world.commune_a, office.officer)
    assert report.imported == 0
    assert sorted((e.row, e.column) for e in report.errors) == [
        (3, "Số CCCD"),
        (4, "Số CCCD"),
        (5, "Diện quản lý"),
        (6, "Chức danh"),
        (7, "Từ ngày"),
        (8, ""),
    ]
    messages = {e.row: e.message for e in report.errors}
    assert "Không có cán bộ hay đảng viên nào trong phạm vi" in messages[3]
    assert Cadre.objects.count() == 0 and Post.objects.count() == 0
    assert not AuditEvent.objects.filter(event_type="cadre.imported").exists()


def test_a_foreign_member_is_not_found(office: Office, world: World, personas: Personas) -> None:
    _setup(office, world)
    foreign = Person.objects.create(
        family_name="Đỗ", given_name="ZZB", sex="M", citizen_id="079090000001"
    )
    Member.objects.create(person=foreign, organization=world.cell_b, status="official")
    report = actions.imports.import_file(
        xlsx(row(**{"Số CCCD": "079090000001", "Họ và tên": ""})), world.commune_a, office.officer
    )
    assert [e.row for e in report.errors] == [2]
    assert "ZZB" not in report.errors[0].message


def test_the_page_and_the_template(office: Office, world: World) -> None:
    _setup(office, world)
    client = client_for(office.officer)
    template = client.get(reverse("cadre-import-template"))
    assert template.status_code == 200 and template.content[:2] == b"PK"
    upload = SimpleUploadedFile("cb.xlsx", xlsx(row()).getvalue())
    response = client.post(
        reverse("cadre-import"), {"organization": world.commune_a.pk, "file": upload}
    )
    assert response.context["report"].imported == 1
    assert Post.objects.count() == 1
