"""The guarded .xlsx reader on unusual but possible files, and on crafted ones."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from hoso.lib import xlsxread
from tests.people.test_import_limits import MAIN, PARTS, workbook

LIMITS = xlsxread.Limits(rows=1000, unpacked=50 * xlsxread.MB, ratio=100)


def read(data: io.BytesIO, limits: xlsxread.Limits = LIMITS) -> list[tuple[int, list[Any]]]:
    return list(xlsxread.rows(data, limits))


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Chunks of two rows, read 64 bytes at a time; the list receives each chunk's index."""
    monkeypatch.setattr(xlsxread, "CHUNK_ROWS", 2)
    monkeypatch.setattr(xlsxread, "BLOCK", 64)
    read_chunk = xlsxread._chunk_rows
    seen: list[int] = []

    def spy(book: Any, index: int, offset: int) -> Any:
        seen.append(index)
        return read_chunk(book, index, offset)

    monkeypatch.setattr(xlsxread, "_chunk_rows", spy)
    return seen


def sheet(body: str, root: str = f'<worksheet xmlns="{MAIN}">') -> str:
    return f"{root}<sheetData>{body}</sheetData></worksheet>"


def test_rows_and_cells_without_references_across_chunks(small_chunks: list[int]) -> None:
    body = "".join(f"<row><c><v>{i}</v></c><c><v>{i * 10}</v></c></row>" for i in range(1, 8))
    assert read(workbook(sheet(body))) == [(i, [float(i), float(i * 10)]) for i in range(1, 8)]
    assert len(small_chunks) >= 3


def test_prefixed_elements_and_a_late_first_column(
    small_chunks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsxread, "CHUNK_ROWS", 1)
    body = (
        '<x:row r="2"><x:c r="C2"><x:v>7</x:v></x:c></x:row>'
        '<x:row r="4"><x:c r="B4"><x:v>8</x:v></x:c></x:row>'
    )
    xml = f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>{body}</x:sheetData></x:worksheet>'
    # Each chunk starts at its own first column: the reader puts the values back in place.
    assert read(workbook(xml)) == [(2, [None, None, 7.0]), (4, [None, 8.0])]
    assert small_chunks == [0, 1]


def test_an_empty_sheet() -> None:
    assert read(workbook(f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>')) == []


def test_a_row_of_cells_without_references_counts_its_cells() -> None:
    wide = "<row>" + "<c><v>1</v></c>" * (xlsxread.MAX_COLUMNS + 1) + "</row>"
    with pytest.raises(xlsxread.Refused, match="BM"):
        read(workbook(sheet(wide)))


def test_unnumbered_rows_after_a_numbered_one_count_from_it() -> None:
    body = '<row r="1000"><c r="A1000"><v>1</v></c></row>' + "<row><c><v>1</v></c></row>" * 2
    with pytest.raises(xlsxread.Refused, match=r"1\.002"):
        read(workbook(sheet(body)))


def test_a_sheet_cut_inside_its_rows() -> None:
    with pytest.raises(xlsxread.Refused, match="hỏng"):
        read(workbook(f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v>'))


def test_a_dtd_in_the_workbook_part() -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for name, text in PARTS.items():
            if name == "xl/workbook.xml":
                text = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>' + text
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet(""))
    with pytest.raises(xlsxread.Refused, match="hỏng"):
        read(data)


def test_two_parts_of_one_name() -> None:
    data = workbook(sheet('<row r="1"><c r="A1"><v>1</v></c></row>'))
    with zipfile.ZipFile(data, "a") as archive, pytest.warns(UserWarning, match="Duplicate"):
        archive.writestr("xl/worksheets/sheet1.xml", sheet("<row><c><v>2</v></c></row>" * 5000))
    with pytest.raises(xlsxread.Refused, match="hỏng"):
        read(data)


def test_a_part_declaring_less_than_it_holds() -> None:
    """A reader trusting the data would unpack more than declared; zipfile stops and the CRC
    of what it read does not match: the part is damaged, and no more data comes out of it."""
    body = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 2001))
    data = workbook(sheet(body)).getvalue()
    name = b"xl/worksheets/sheet1.xml"
    entry = data.rindex(b"PK\x01\x02", 0, data.index(name, data.index(b"PK\x01\x02")) + 1)
    patched = data[: entry + 24] + (1000).to_bytes(4, "little") + data[entry + 28 :]
    with pytest.raises(xlsxread.Refused, match="hỏng"):
        read(io.BytesIO(patched))


def test_an_archive_with_a_huge_directory() -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        for i in range(20_000):
            archive.writestr(f"xl/media/image{i}.png", b"")
    with pytest.raises(xlsxread.Refused, match="hỏng"):
        read(data)


def test_a_chunk_ends_before_a_row_numbered_far_from_its_first(small_chunks: list[int]) -> None:
    """calamine allocates a chunk from its first to its last row: rows 1 and 150,000 in one
    chunk would be a grid of 150,000 rows."""
    body = (
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="150000"><c r="A150000"><v>2</v></c></row>'
    )
    limits = xlsxread.Limits(rows=200_000, unpacked=50 * xlsxread.MB, ratio=100)
    assert read(workbook(sheet(body)), limits) == [(1, [1.0]), (150_000, [2.0])]
    assert small_chunks == [0, 1]


@pytest.mark.parametrize(
    "body",
    [
        # A cell naming a far row from inside a near one: calamine would place it there.
        '<row r="1"><c r="A1"><v>1</v></c><c r="B150000"><v>2</v></c></row>',
        '<row r="1"><c s="0" r="B150000"><v>2</v></c></row>',
        # A reference in a row without a number.
        '<row><c r="A150000"><v>2</v></c></row>',
        # Two numbers for one row.
        '<row r="1" r="150000"><c><v>2</v></c></row>',
    ],
)
def test_cells_that_would_escape_their_row(body: str) -> None:
    limits = xlsxread.Limits(rows=200_000, unpacked=50 * xlsxread.MB, ratio=100)
    with pytest.raises(xlsxread.Refused, match="hỏng"):
        read(workbook(sheet(body)), limits)


def test_unnumbered_rows_then_a_numbered_one_start_a_new_chunk(small_chunks: list[int]) -> None:
    body = "<row><c><v>1</v></c></row>" + '<row r="900"><c r="A900"><v>2</v></c></row>'
    assert read(workbook(sheet(body))) == [(1, [1.0]), (900, [2.0])]
    assert small_chunks == [0, 1]
