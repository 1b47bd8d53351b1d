from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from hoso.access.policy import Denied
from hoso.audit.models import AuditEvent
from hoso.people import actions, importer
from hoso.people.models import Member, Person
from hoso.people.search import search_members
from tests.conftest import Personas, World, client_for

HEADER = [c.header for c in importer.COLUMNS]


def row(**overrides: Any) -> list[Any]:
    base = {
        "Họ": "Nguyễn",
        "Chữ đệm": "Thị",
        "Tên": "Hoà",
        "Giới tính": "Nữ",
        "Ngày sinh": "03/1975",
        "Quê quán": "xã Hòa Bình",
        "Số CCCD": "001175000001",
        "Ngày vào Đảng": "19/05/2000",
        "Ngày chính thức": "19/05/2001",
        "Trạng thái": "Chính thức",
        "Dân tộc": "Kinh",
    }
    base.update(overrides)
    return [base.get(h, "") for h in HEADER]


def xlsx(*rows: list[Any], header: list[str] | None = None) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header or HEADER)
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_good_file_imports_every_row(world: World, personas: Personas) -> None:
    data = xlsx(
        row(),
        row(
            **{
                "Tên": "Lan",
                "Số CCCD": 1175000002,
                "Ký hiệu chi bộ": "cba1",
                "Ngày sinh": 1980,
                "Trạng thái": "du bi",
                "Ngày chính thức": "",
            }
        ),
    )
    report = actions.imports.import_file(data, world.commune_a, personas.clerk_a, "ds.xlsx")
    assert report.errors == [] and report.imported == 2
    hoa = Member.objects.get(person__given_name="Hoà")
    assert hoa.person.birth_date_display() == "03/1975"
    lan = Member.objects.get(person__given_name="Lan")
    assert lan.person.citizen_id == "001175000002"  # the zeros Excel dropped are restored
    assert lan.organization == world.cell_a and lan.status == "probationary"
    assert lan.person.birth_date_precision == "year"
    # Imported rows are searchable and ordered exactly like rows entered by hand.
    assert list(search_members(Member.objects.all(), "nguyen thi hoa ")) == [hoa]
    assert bytes(hoa.sort_key) == bytes(hoa.person.sort_key)
    event = AuditEvent.objects.get(event_type="member.imported")
    assert event.details["rows"] == 2 and len(event.details["sha256"]) == 64


def test_any_error_imports_nothing(world: World, personas: Personas) -> None:
    Person.objects.create(family_name="Có", given_name="Sẵn", sex="M", citizen_id="001175000009")
    data = xlsx(
        row(),
        row(**{"Giới tính": "x", "Số CCCD": "123"}),
        row(**{"Tên": "", "Ngày vào Đảng": "31/02/2001"}),
        row(**{"Số CCCD": "001175000001"}),
        row(**{"Số CCCD": "001175000009"}),
        row(**{"Số CCCD": "001175000010", "Ký hiệu chi bộ": "ZZB1"}),
    )
    report = actions.imports.import_file(data, world.commune_a, personas.clerk_a)
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (3, "Giới tính"),
        (3, "Số CCCD"),
        (4, "Tên"),
        (4, "Ngày vào Đảng"),
        (4, "Số CCCD"),  # checked too, though its name is missing
        (5, "Số CCCD"),
        (6, "Số CCCD"),
        (7, "Ký hiệu chi bộ"),
    }
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert messages[(3, "Giới tính")] == "Ghi Nam hoặc Nữ."
    assert messages[(5, "Số CCCD")] == "Trùng số CCCD với dòng 2."
    assert report.imported == 0 and not Member.objects.exists()
    assert not AuditEvent.objects.filter(event_type="member.imported").exists()


def test_messages_in_english(world: World, personas: Personas) -> None:
    with translation.override("en"):
        report = actions.imports.import_file(
            xlsx(row(**{"Giới tính": "?"})), world.commune_a, personas.clerk_a
        )
    assert report.errors[0].message == "Write Nam or Nữ."


def test_missing_columns_and_empty_file(world: World, personas: Personas) -> None:
    report = actions.imports.import_file(
        xlsx(["x"], header=["Họ", "Tên"]), world.commune_a, personas.clerk_a
    )
    assert report.errors[0].row == 1 and "Giới tính" in report.errors[0].column
    empty = actions.imports.import_file(xlsx(), world.commune_a, personas.clerk_a)
    assert empty.errors and empty.imported == 0


def test_only_into_own_scope(world: World, personas: Personas) -> None:
    with pytest.raises(Denied):
        actions.imports.import_file(xlsx(row()), world.commune_b, personas.clerk_a)


def test_template_is_importable(world: World, personas: Personas) -> None:
    report = actions.imports.import_file(
        io.BytesIO(importer.template()), world.commune_a, personas.clerk_a
    )
    assert report.errors == [] and report.imported == 1


def test_command(
    tmp_path: Path, world: World, personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(row()).getvalue())
    call_command("import_members", str(good), org="DUA", user="clerk_a")
    assert "imported 1 members into DUA" in capsys.readouterr().out
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx(row(**{"Số CCCD": "001175000001"})).getvalue())
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_members", str(bad), org="DUA", user="clerk_a")
    assert "row 2 · Số CCCD" in capsys.readouterr().err


def test_upload_page(world: World, personas: Personas) -> None:
    client = client_for(personas.clerk_a)
    upload = SimpleUploadedFile("ds.xlsx", xlsx(row(), row()).getvalue())
    page = client.post(
        reverse("member-import"), {"organization": world.commune_a.pk, "file": upload}
    )
    assert (
        "nothing was imported" in page.content.decode()
        or "không nhập dòng nào" in page.content.decode()
    )
    upload = SimpleUploadedFile("ds.xlsx", xlsx(row()).getvalue())
    page = client.post(
        reverse("member-import"),
        {"organization": world.commune_a.pk, "file": upload},
        HTTP_HX_REQUEST="true",
    )
    assert page.context["report"].imported == 1
    garbage = SimpleUploadedFile("ds.xlsx", b"not a workbook")
    page = client.post(
        reverse("member-import"), {"organization": world.commune_a.pk, "file": garbage}
    )
    assert page.status_code == 200 and page.context["report"] is None
    template = client.get(reverse("member-import-template"))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")


def test_every_error_of_every_row_in_one_pass(world: World, personas: Personas) -> None:
    """A date in 2030 and an official member without an official date were accepted; a row
    with a cell in error had its other checks (organization, duplicate) only on the next
    upload; duplicate-ID errors came after the rest, not in row order."""
    Person.objects.create(family_name="Có", given_name="Sẵn", sex="M", citizen_id="001175000009")
    data = xlsx(
        row(**{"Số CCCD": "001175000009"}),  # 2: already in hoso
        row(
            **{
                "Ngày vào Đảng": "19/05/2030",
                "Trạng thái": "Dự bị",
                "Ngày chính thức": "",
                "Số CCCD": "",
            }
        ),
        row(**{"Ngày chính thức": "", "Số CCCD": "001175000003"}),  # 4: official, no date
        row(**{"Giới tính": "x", "Ký hiệu chi bộ": "ZZB1", "Số CCCD": "001175000009"}),
        row(**{"Trạng thái": "Dự bị", "Số CCCD": "001175000005"}),  # 6: has an official date
        row(**{"Ngày sinh": "01/01/2001", "Ngày vào Đảng": "01/01/1999", "Số CCCD": ""}),
    )
    report = actions.imports.import_file(data, world.commune_a, personas.clerk_a)
    found = [(e.row, e.column) for e in report.errors]
    assert found == [
        (2, "Số CCCD"),
        (3, "Ngày vào Đảng"),
        (4, "Ngày chính thức"),
        (5, "Giới tính"),
        (5, "Số CCCD"),
        (5, "Ký hiệu chi bộ"),
        (6, "Ngày chính thức"),
        (7, "Ngày vào Đảng"),
    ]
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert messages[(3, "Ngày vào Đảng")] == "Ngày này không thể sau hôm nay."
    assert messages[(5, "Số CCCD")] == "Trùng số CCCD với dòng 2."
    assert report.imported == 0 and not Member.objects.exists()
