"""Finding 7 of issue 10: a decompression bomb, an oversized sheet or a non-workbook is refused
with a message naming the limit, before anything is unpacked or written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from hoso.audit.models import AuditEvent
from hoso.lib import xlsxread
from hoso.people import actions
from hoso.people.models import Member, Person
from tests.conftest import Personas, World, client_for
from tests.people.test_import import HEADER, row

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/></Types>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
        '<sheet name="ds" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}


def column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_xml(
    rows: list[list[Any]], dimension: str | None = None, numbers: list[int] | None = None
) -> str:
    """A worksheet of inline strings, as any writer would make it, with an optional dimension."""
    body = []
    for i, values in enumerate(rows):
        n = numbers[i] if numbers else i + 1
        cells = "".join(
            f'<c r="{column(j)}{n}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'
            for j, v in enumerate(values)
            if v not in (None, "")
        )
        body.append(f'<row r="{n}">{cells}</row>')
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{MAIN}">{head}<sheetData>{"".join(body)}</sheetData></worksheet>'


def workbook(sheet: str, **extra: bytes) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in extra.items():
            archive.writestr(name.replace("__", "/"), data)
    buffer.seek(0)
    return buffer


def members(n: int) -> list[list[Any]]:
    return [HEADER] + [
        row(**{"Tên": f"Lan {i}", "Số CCCD": f"0011750{i:05d}"}) for i in range(1, n + 1)
    ]


def refused(data: io.BytesIO, world: World, personas: Personas) -> str:
    with pytest.raises(xlsxread.Refused) as caught:
        actions.imports.import_file(data, world.commune_a, personas.clerk_a, "ds.xlsx")
    assert not Member.objects.exists() and not Person.objects.exists()
    assert not AuditEvent.objects.filter(event_type="member.imported").exists()
    return str(caught.value)


def test_a_workbook_of_the_right_shape_is_read_by_this_reader(
    world: World, personas: Personas
) -> None:
    report = actions.imports.import_file(
        workbook(sheet_xml(members(3))), world.commune_a, personas.clerk_a
    )
    assert report.errors == [] and report.imported == 3


def test_declared_size_over_the_limit(world: World, personas: Personas, settings: Any) -> None:
    settings.IMPORT_MAX_UNCOMPRESSED_MB = 1
    padded = workbook(sheet_xml(members(1)), xl__media__image1_png=bytes(2 << 20))
    message = refused(padded, world, personas)
    assert message == (
        "Sổ tính khi giải nén chiếm 3 MB (theo khai báo trong tệp); mỗi lần chỉ nhập "
        "được tối đa 1 MB. Hãy chia nhỏ tệp."
    )


def test_compression_ratio_over_the_limit(world: World, personas: Personas) -> None:
    bomb = workbook(sheet_xml(members(1)), xl__media__image1_png=bytes(4 << 20))
    message = refused(bomb, world, personas)
    assert "xl/media/image1_png" in message and "100" in message and "bom giải nén" in message


def test_declared_dimension_over_the_row_limit(
    world: World, personas: Personas, settings: Any
) -> None:
    settings.IMPORT_MAX_ROWS = 5
    message = refused(workbook(sheet_xml(members(2), "A1:N1048000")), world, personas)
    assert "1.048.000" in message and "5" in message


def test_rows_found_over_the_limit_whatever_the_dimension_says(
    world: World, personas: Personas, settings: Any
) -> None:
    settings.IMPORT_MAX_ROWS = 5
    message = refused(workbook(sheet_xml(members(8), "A1:Q2")), world, personas)
    assert message == (
        "Trang tính có tới dòng 7 trở lên; mỗi lần chỉ nhập được tối đa 5 dòng đảng viên "
        "(không kể dòng tiêu đề). Hãy chia nhỏ tệp."
    )


def test_a_far_row_number_counts_as_rows(world: World, personas: Personas) -> None:
    far = sheet_xml(members(2), numbers=[1, 2, 1_048_000])
    assert "1.048.000" in refused(workbook(far), world, personas)


def test_a_cell_far_to_the_right_is_refused(world: World, personas: Personas) -> None:
    wide = sheet_xml([HEADER, row()]).replace(
        "</row></sheetData>", '<c r="XFD2"><v>1</v></c></row></sheetData>'
    )
    assert "XFD" in refused(workbook(wide), world, personas)


def test_exactly_the_row_limit_is_imported(world: World, personas: Personas, settings: Any) -> None:
    settings.IMPORT_MAX_ROWS = 5
    report = actions.imports.import_file(
        workbook(sheet_xml(members(5))), world.commune_a, personas.clerk_a
    )
    assert report.errors == [] and report.imported == 5


def test_not_a_workbook(world: World, personas: Personas) -> None:
    assert refused(io.BytesIO(b"not a workbook"), world, personas) == (
        "Tệp không phải là sổ tính Excel (.xlsx): hãy lưu tệp bằng Excel hoặc LibreOffice "
        "dưới dạng .xlsx rồi thử lại."
    )
    with translation.override("en"):
        assert refused(io.BytesIO(b"PK\x03\x04 broken"), world, personas).startswith(
            "The file is not an Excel workbook (.xlsx)"
        )
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert "Excel" in refused(plain_zip, world, personas)


def test_chunks_keep_row_numbers_dates_and_shared_strings(
    world: World, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader cuts the sheet in chunks: errors still name the right rows."""
    import datetime as dt

    from tests.people.test_import import xlsx

    monkeypatch.setattr(xlsxread, "CHUNK_ROWS", 3)
    monkeypatch.setattr(xlsxread, "BLOCK", 256)
    chunks: list[int] = []
    read_chunk = xlsxread._chunk_rows
    monkeypatch.setattr(
        xlsxread, "_chunk_rows", lambda b, i, o: chunks.append(i) or read_chunk(b, i, o)
    )
    rows = [
        row(
            **{
                "Tên": f"Lan {i}",
                "Số CCCD": f"0011750{i:05d}",
                "Ngày vào Đảng": dt.date(2001, 5, i),
            }
        )
        for i in range(1, 11)
    ]
    rows[7] = row(**{"Giới tính": "x", "Số CCCD": "001175000108"})  # sheet row 9
    report = actions.imports.import_file(xlsx(*rows), world.commune_a, personas.clerk_a)
    assert [(e.row, e.column) for e in report.errors] == [(9, "Giới tính")]
    rows[7] = row(**{"Tên": "Lan 8", "Số CCCD": "001175000108"})
    report = actions.imports.import_file(xlsx(*rows), world.commune_a, personas.clerk_a)
    assert report.errors == [] and report.imported == 10
    assert Member.objects.get(person__given_name="Lan 10").admitted_on == dt.date(2001, 5, 10)
    assert max(chunks) == 3  # header and 10 rows: 4 chunks, each read on its own


def test_upload_page_shows_the_refusal(world: World, personas: Personas, settings: Any) -> None:
    settings.IMPORT_MAX_ROWS = 5
    client = client_for(personas.clerk_a)
    upload = SimpleUploadedFile("ds.xlsx", workbook(sheet_xml(members(8), "A1:Q9")).getvalue())
    page = client.post(
        reverse("member-import"), {"organization": world.commune_a.pk, "file": upload}
    )
    assert page.status_code == 200 and page.context["report"] is None
    assert "tối đa 5 dòng đảng viên" in page.content.decode()
    garbage = SimpleUploadedFile("ds.xlsx", b"not a workbook")
    page = client.post(
        reverse("member-import"), {"organization": world.commune_a.pk, "file": garbage}
    )
    assert page.status_code == 200 and "không phải là sổ tính Excel" in page.content.decode()
    assert not Member.objects.exists()


def test_command_shows_the_refusal(tmp_path: Path, world: World, personas: Personas) -> None:
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(workbook(sheet_xml(members(1)), xl__media__a_png=bytes(4 << 20)).getvalue())
    with pytest.raises(CommandError, match=r"bom giải nén.*nothing was imported"):
        call_command("import_members", str(bomb), org="DUA", user="clerk_a")
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="không phải là sổ tính Excel"):
        call_command("import_members", str(garbage), org="DUA", user="clerk_a")
    assert not Member.objects.exists()
