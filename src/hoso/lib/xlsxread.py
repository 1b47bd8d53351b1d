"""Reading an uploaded .xlsx within limits: a decompression bomb is refused, never unpacked.

An .xlsx file is a zip archive of XML parts, and 8 MB can unpack to more than a gigabyte.
calamine (Rust) reads a sheet fast, but holds all of it in memory as a dense grid from the
first to the last cell used, so neither the archive nor its sheet is handed to it as it is:

1. The archive's directory is checked first: its own size, then the declared unpacked size of
   the whole and of each part, and each part's compression ratio. Python's zipfile never
   unpacks more than a part declares, so a part that lies about its size yields a truncated
   (or CRC-failing) part here, not more data.
2. The worksheet XML is streamed. The <dimension> it declares is checked as soon as it is
   read; then each row as it comes: its number and the count of rows against the row limit,
   its cells' references (each must name its own row; no column beyond MAX_COLUMNS). A sheet
   that lies about its dimension is stopped at the first row beyond the limit.
3. The rows are cut into chunks of at most CHUNK_ROWS rows spanning at most CHUNK_SPAN row
   numbers, which become the sheets of a new workbook, written to a temporary file with the
   original shared strings and styles; calamine reads it one chunk at a time.

Memory therefore depends on the chunk size and on the shared strings (whose part is capped),
not on what the file claims or holds.
"""

from __future__ import annotations

import itertools
import math
import operator
import posixpath
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from django.conf import settings
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

MB = 1 << 20
MAX_COLUMNS = 64  # column BL; the member template uses 17
CHUNK_ROWS = 10_000
CHUNK_SPAN = 2 * CHUNK_ROWS  # rows between a chunk's first and last row numbers
CHUNK_BYTES = 8 * MB
BLOCK = 1 * MB
SMALL_PART = 8 * MB  # styles, the sheet's head before its rows: kilobytes in practice
PARSED_PART = 1 * MB  # the workbook and its relations, parsed here into a tree
DIRECTORY = 1 * MB  # the archive's directory: about 80 bytes per part, a workbook has dozens
RATIO_FROM = 1 * MB  # a ratio says nothing about a part of a few kilobytes
SHARED_STRINGS_SHARE = 4  # the shared strings may take this fraction of the unpacked limit

PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"  # elements may carry a namespace prefix (x:row)
SHEET_DATA = re.compile(rb"<(" + _PREFIX + rb")sheetData(?=[\s/>])[^>]*?(/?)>")
SHEET_DATA_END = re.compile(rb"</" + _PREFIX + rb"sheetData\s*>")
WORKSHEET = re.compile(rb"<(" + _PREFIX + rb")worksheet(?=[\s/>])")
DIMENSION = re.compile(rb"<" + _PREFIX + rb"dimension(?=[\s/>])[^>]*>")
DIMENSION_REF = re.compile(rb'\sref\s*=\s*["\']([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?["\']')


class Refused(ValueError):
    """The file is not read; the message says why, in the user's language."""


@dataclass(frozen=True)
class Limits:
    rows: int  # rows after the header row
    unpacked: int  # bytes, the whole archive as declared
    ratio: int  # unpacked size over packed size, per part

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            rows=settings.IMPORT_MAX_ROWS,
            unpacked=settings.IMPORT_MAX_UNCOMPRESSED_MB * MB,
            ratio=settings.IMPORT_MAX_RATIO,
        )


def not_a_workbook() -> Refused:
    return Refused(
        _(
            "The file is not an Excel workbook (.xlsx): save it with Excel or LibreOffice "
            "as .xlsx and try again."
        )
    )


def unusual() -> Refused:
    return Refused(
        _(
            "The workbook is damaged or unusually built: open it in Excel or LibreOffice, "
            "save it again as .xlsx and try again."
        )
    )


def _n(value: int) -> str:
    """1.048.000 in Vietnamese, 1,048,000 in English (Django's vi format sets no grouping)."""
    return f"{value:,}".replace(",", str(get_format("THOUSAND_SEPARATOR")))


def _mb(size: int) -> str:
    return _n(math.ceil(size / MB))


def _column_name(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters[:4]:  # four letters are already far beyond any limit
        number = number * 26 + letter - 64
    return number


def rows(handle: IO[bytes], limits: Limits) -> Iterator[tuple[int, list[Any]]]:
    """(sheet row number, values from column A) for each row with a value, first sheet only."""
    archive = _open(handle)
    _check_archive(archive, limits)
    parts = _locate(archive)
    with tempfile.TemporaryDirectory(prefix="hoso-import-") as scratch:
        path = Path(scratch) / "chunks.xlsx"
        offsets = _rewrite(archive, parts, limits, path)
        try:
            with CalamineWorkbook.from_path(str(path)) as book:
                for index, offset in enumerate(offsets):
                    yield from _chunk_rows(book, index, offset)
        except CalamineError:
            raise unusual() from None


def _open(handle: IO[bytes]) -> zipfile.ZipFile:
    """The archive, once its directory is known to be of an ordinary size."""
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(max(0, size - 22 - 0xFFFF))
    tail = handle.read()
    # The end of central directory record, found where zipfile looks for it: the last 22
    # bytes, else the last occurrence within the space a comment may take.
    end = len(tail) - 22 if tail[-22:-18] == b"PK\x05\x06" else tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) - end < 22:
        raise not_a_workbook()
    directory = int.from_bytes(tail[end + 12 : end + 16], "little")
    if directory > DIRECTORY or b"PK\x06\x07" in tail[max(0, end - 20) : end]:
        raise unusual()  # zipfile would read every entry of a huge directory (or a zip64 one)
    handle.seek(0)
    try:
        return zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, ValueError, OSError):
        raise not_a_workbook() from None


def _check_archive(archive: zipfile.ZipFile, limits: Limits) -> None:
    entries = archive.infolist()
    if len({e.filename for e in entries}) != len(entries):
        raise unusual()  # two parts of one name: which one a reader takes is anyone's guess
    if any(e.flag_bits & 1 or e.compress_type not in (0, 8) for e in entries):
        raise unusual()  # encrypted, or packed otherwise than stored or deflated
    total = sum(e.file_size for e in entries)
    if total > limits.unpacked:
        raise Refused(
            _(
                "The workbook unpacks to %(found)s MB (as declared in the file); at most "
                "%(limit)s MB can be imported at once. Split the file."
            )
            % {"found": _mb(total), "limit": _mb(limits.unpacked)}
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > RATIO_FROM and ratio > limits.ratio:
            raise Refused(
                _(
                    "Part %(part)s of the workbook is compressed %(found)s to 1, beyond the "
                    "%(limit)s to 1 of an ordinary workbook: it is refused as a possible "
                    "decompression bomb."
                )
                % {"part": entry.filename, "found": _n(int(ratio)), "limit": _n(limits.ratio)}
            )


def _part_too_big(part: str, size: int, limit: int) -> Refused:
    return Refused(
        _(
            "Part %(part)s of the workbook unpacks to %(found)s MB; at most %(limit)s MB is "
            "allowed for it."
        )
        % {"part": part, "found": _mb(size), "limit": _mb(limit)}
    )


@dataclass(frozen=True)
class Parts:
    sheet: zipfile.ZipInfo
    styles: zipfile.ZipInfo | None
    shared_strings: zipfile.ZipInfo | None
    date1904: bool


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    """A small part, parsed into a tree: the workbook, or a list of relations."""
    try:
        entry = archive.getinfo(name)
    except KeyError:
        raise not_a_workbook() from None
    if entry.file_size > PARSED_PART:
        raise _part_too_big(name, entry.file_size, PARSED_PART)
    try:
        data = archive.read(entry)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise unusual() from None
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise unusual()  # no OOXML part has a DTD; entities are how an XML bomb expands
    try:
        return ElementTree.fromstring(data)  # noqa: S314 - small, and without any DTD
    except ElementTree.ParseError:
        raise unusual() from None


def _targets(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """{relationship id: (type, part name)} of a part, from its .rels file."""
    folder, name = posixpath.split(part)
    relations = _xml(archive, posixpath.join(folder, "_rels", name + ".rels"))
    found = {}
    for relation in relations.iter(f"{{{PACKAGE}}}Relationship"):
        target = relation.get("Target", "")
        if relation.get("TargetMode") == "External":
            continue
        resolved = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        found[relation.get("Id", "")] = (relation.get("Type", ""), posixpath.normpath(resolved))
    return found


def _locate(archive: zipfile.ZipFile) -> Parts:
    """The first sheet, the styles and the shared strings, as the workbook's relations say."""
    books = [p for t, p in _targets(archive, "").values() if t.endswith("/officeDocument")]
    workbook = books[0] if books else "xl/workbook.xml"
    related = _targets(archive, workbook)
    tree = _xml(archive, workbook)
    first = tree.find(f"{{{MAIN}}}sheets/{{{MAIN}}}sheet")
    if first is None or first.get(f"{{{OFFICE}}}id") not in related:
        raise not_a_workbook()
    properties = tree.find(f"{{{MAIN}}}workbookPr")
    date1904 = properties is not None and properties.get("date1904") in ("1", "true")

    def part(kind: str) -> zipfile.ZipInfo | None:
        names = [p for t, p in related.values() if t.endswith("/" + kind)]
        try:
            return archive.getinfo(names[0]) if names else None
        except KeyError:
            raise unusual() from None

    sheet = related[first.get(f"{{{OFFICE}}}id", "")][1]
    try:
        return Parts(
            archive.getinfo(sheet), part("styles"), part("sharedStrings"), date1904=date1904
        )
    except KeyError:
        raise unusual() from None


def _rewrite(archive: zipfile.ZipFile, parts: Parts, limits: Limits, path: Path) -> list[int]:
    """Write the sheet's rows, in chunks, as the sheets of a new workbook; return the offsets
    to add to calamine's row numbers (0 when the rows carry their numbers)."""
    if parts.styles and parts.styles.file_size > SMALL_PART:
        raise _part_too_big(parts.styles.filename, parts.styles.file_size, SMALL_PART)
    strings_limit = limits.unpacked // SHARED_STRINGS_SHARE
    strings = parts.shared_strings
    if strings and strings.file_size > strings_limit:
        raise _part_too_big(strings.filename, strings.file_size, strings_limit)
    try:
        with (
            archive.open(parts.sheet) as source,
            zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as book,
        ):
            offsets = _write_chunks(source, book, limits)
            for entry, name in ((parts.styles, "styles"), (strings, "sharedStrings")):
                if entry is not None:
                    with archive.open(entry) as src, book.open(f"xl/{name}.xml", "w") as dst:
                        shutil.copyfileobj(src, dst, BLOCK)
            _write_workbook(book, len(offsets), parts)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise unusual() from None
    return offsets


def _write_chunks(source: IO[bytes], book: zipfile.ZipFile, limits: Limits) -> list[int]:
    """Each chunk as a sheet of the new workbook; return the chunks' row number offsets."""
    head, rest, empty, sheet_data, worksheet = _head(source)
    _check_dimension(head, limits)
    head = DIMENSION.sub(b"", head)  # a chunk's extent is not the sheet's
    opening = head + b"<" + sheet_data + b"sheetData>"
    closing = b"</" + sheet_data + b"sheetData></" + worksheet + b"worksheet>"
    rows = _Rows(limits, prefixed=bool(sheet_data))
    if not empty:
        for number, chunk in enumerate(_cut(source, rest, rows), start=1):
            book.writestr(f"xl/worksheets/chunk{number}.xml", opening + chunk + closing)
    return rows.offsets


def _head(source: IO[bytes]) -> tuple[bytes, bytes, bool, bytes, bytes]:
    """(XML before <sheetData>, bytes after its opening tag, empty sheet, prefixes)."""
    buffer = b""
    while (found := SHEET_DATA.search(buffer)) is None:
        block = source.read(64 * 1024)
        if not block or len(buffer) > SMALL_PART:
            raise unusual()
        buffer += block
    root = WORKSHEET.search(buffer, 0, found.start())
    if root is None:
        raise unusual()
    return (
        buffer[: found.start()],
        buffer[found.end() :],
        found.group(2) == b"/",
        found.group(1),
        root.group(1),
    )


def _too_many_rows(found: int, limits: Limits, declared: bool) -> Refused:
    if declared:
        text = _(
            "The sheet declares rows up to row %(found)s; at most %(limit)s member rows (not "
            "counting the header row) can be imported at once. Split the file."
        )
    else:
        text = _(
            "The sheet reaches row %(found)s or beyond; at most %(limit)s member rows (not "
            "counting the header row) can be imported at once. Split the file."
        )
    return Refused(text % {"found": _n(found), "limit": _n(limits.rows)})


def _too_wide(found: int) -> Refused:
    return Refused(
        _(
            "The sheet has a cell in column %(found)s; only columns A to %(limit)s are read. "
            "Delete what lies beyond and try again."
        )
        % {"found": _column_name(found), "limit": _column_name(MAX_COLUMNS)}
    )


def _check_dimension(head: bytes, limits: Limits) -> None:
    """The extent the sheet declares, read before any row: a bomb usually says what it is."""
    dimension = DIMENSION.search(head)
    ref = DIMENSION_REF.search(dimension.group(0)) if dimension else None
    if ref is None:
        return
    letters, digits = (ref.group(3), ref.group(4)) if ref.group(3) else ref.group(1, 2)
    if int(digits) - 1 > limits.rows:
        raise _too_many_rows(int(digits), limits, declared=True)
    if _column_number(letters) > MAX_COLUMNS:
        raise _too_wide(_column_number(letters))


@dataclass(frozen=True)
class _Syntax:
    row: re.Pattern[bytes]  # a row's start tag, its attributes captured
    cell: re.Pattern[bytes]  # a cell's start tag
    cell_row: re.Pattern[bytes]  # the row number in a cell's reference


# An attribute r (perhaps prefixed: which attributes calamine takes is not ours to guess).
_R = rb"(?<![\w.:-])(?:[\w.-]+:)?r\s*=\s*[\"']\s*"
NUMBER = re.compile(_R + rb"([0-9]+)")
WIDE_CELL = re.compile(rb"r\s*=\s*[\"']\s*([A-Za-z]{2,})[0-9]")  # column AA and beyond


def _syntax(prefix: bytes) -> _Syntax:
    return _Syntax(
        row=re.compile(rb"<" + prefix + rb"row(?=[\s/>])([^>]*)>"),
        cell=re.compile(rb"<" + prefix + rb"c(?=[\s/>])"),
        cell_row=re.compile(rb"<" + prefix + rb"c(?=[\s/>])[^>]*?" + _R + rb"[A-Za-z]*([0-9]+)"),
    )


REGULAR_ROW = re.compile(rb'<row r="([0-9]+)"')
REGULAR_CELL = re.compile(rb'<c r="[A-Z]{1,3}([0-9]+)"')

# calamine matches elements by their local name, so <x:row> is a row to it whatever x is:
# rows are found with patterns that allow any prefix, unless the XML holds none, in which
# case literal patterns (about ten times faster) find the same.
PLAIN = _syntax(b"")
PREFIXED = _syntax(_PREFIX)


class _Rows:
    """The rows read so far, checked against the limits as they come, and where the chunks
    start. calamine allocates each chunk as a dense grid from its first to its last cell, so
    a chunk also ends before a row numbered far from its first one."""

    def __init__(self, limits: Limits, prefixed: bool) -> None:
        self.limits = limits
        self.prefixed = prefixed
        self.count = 0
        self.previous = 0  # number of the last row: calamine counts on from it
        self.in_chunk = 0
        self.low = self.high = 0
        self.relative = False  # the chunk's first row has no number: calamine counts from 0
        self.offsets: list[int] = []  # per chunk, what to add to calamine's row numbers

    def cuts(self, piece: bytes) -> list[int]:
        """Check the rows of a piece; return where in it new chunks start."""
        for letters in WIDE_CELL.findall(piece):
            if _column_number(letters.upper()) > MAX_COLUMNS:
                raise _too_wide(_column_number(letters.upper()))
        regular = self._regular(piece)
        rows = regular if regular is not None else self._irregular(piece)
        cuts = []
        for start, number, numbered in rows:
            self.count += 1
            reach = max(number, self.count)
            if reach - 1 > self.limits.rows:
                raise _too_many_rows(reach, self.limits, declared=False)
            if self._place(number, numbered):
                cuts.append(start)
            self.previous = number
        return cuts

    def _regular(self, piece: bytes) -> list[tuple[int, int, bool]] | None:
        """(start, number, True) of each row, when the piece is written the way Excel,
        LibreOffice and openpyxl write it: no prefix, each row and each cell with its
        reference as first attribute, every cell naming its own row. None otherwise."""
        if self.prefixed or b":row" in piece or b":c" in piece:
            return None
        head, *rows = piece.split(b"<row ")
        numbers = REGULAR_ROW.findall(piece)
        cells = REGULAR_CELL.findall(piece)
        if (
            head.strip()
            or len(numbers) != len(rows)
            or len(cells) != piece.count(b"<c ")
            or piece.count(b' r="') != len(numbers) + len(cells)  # no second r anywhere
            or b"<c>" in piece
            or b"<c/" in piece
            or b"<row>" in piece
            or b"<row/" in piece
        ):
            return None
        per_row = map(operator.methodcaller("count", b"<c "), rows)
        if list(itertools.chain.from_iterable(map(itertools.repeat, numbers, per_row))) != cells:
            return None  # a cell naming another row than its own: looked at row by row
        starts = itertools.accumulate((len(r) + 5 for r in rows), initial=len(head))
        return [(start, int(n), True) for start, n in zip(starts, numbers, strict=False)]

    def _irregular(self, piece: bytes) -> Iterator[tuple[int, int, bool]]:
        """(start, number, numbered) of each row, row by row, for any other spelling."""
        syntax = PLAIN if not self.prefixed and b":row" not in piece else PREFIXED
        tags = list(syntax.row.finditer(piece))
        referenced, previous = 0, self.previous
        for i, tag in enumerate(tags):
            cells = piece[tag.end() : tags[i + 1].start() if i + 1 < len(tags) else len(piece)]
            numbers = NUMBER.findall(tag.group(1))
            if len(numbers) > 1:
                raise unusual()
            number = int(numbers[0]) if numbers else previous + 1
            rows_of_cells = syntax.cell_row.findall(cells)
            # A cell's reference places it, whatever row holds it: it must name its own row.
            if rows_of_cells and (not numbers or set(rows_of_cells) != {numbers[0]}):
                raise unusual()
            referenced += len(rows_of_cells)
            yield tag.start(), number, bool(numbers)
            previous = number
        if referenced != len(syntax.cell.findall(piece)):
            self._count_cells(piece, tags, syntax)

    def _place(self, number: int, numbered: bool) -> bool:
        """Count a row into the chunk being filled, or start a new chunk with it; return
        whether the chunk before must be cut off here."""
        cut = bool(self.in_chunk) and (
            self.in_chunk >= CHUNK_ROWS
            or max(self.high, number) - min(self.low, number) >= CHUNK_SPAN
            or (self.relative and numbered)  # calamine would count on from 0, then jump
        )
        if cut or not self.in_chunk:
            self.in_chunk, self.low, self.high = 0, number, number
            self.relative = not numbered
            self.offsets.append(number - 1 if self.relative else 0)
        self.in_chunk += 1
        self.low, self.high = min(self.low, number), max(self.high, number)
        return cut

    def end_chunk(self) -> None:
        self.in_chunk = 0

    @staticmethod
    def _count_cells(piece: bytes, tags: list[re.Match[bytes]], syntax: _Syntax) -> None:
        """Cells without a reference: calamine places each after the one before it."""
        for i, tag in enumerate(tags):
            cells = piece[tag.end() : tags[i + 1].start() if i + 1 < len(tags) else len(piece)]
            if len(syntax.cell.findall(cells)) > MAX_COLUMNS:
                raise _too_wide(len(syntax.cell.findall(cells)))


def _pieces(source: IO[bytes], buffer: bytes) -> Iterator[bytes]:
    """<sheetData> as it is read, in pieces of whole rows (cut where the last row read
    starts); stops at </sheetData>."""
    while True:
        block = source.read(BLOCK)
        buffer += block
        close = SHEET_DATA_END.search(buffer) if b"sheetData" in buffer else None
        if close is not None:  # what follows the rows (merged cells, links...) is not read
            yield buffer[: close.start()]
            return
        if not block:
            raise unusual()  # the sheet stops inside its rows
        cut = _last_row_start(buffer)
        if cut == 0 and len(buffer) > CHUNK_BYTES:
            raise unusual()  # one row larger than a whole chunk
        if cut:
            yield buffer[:cut]
            buffer = buffer[cut:]


def _last_row_start(buffer: bytes) -> int:
    at = buffer.rfind(b"<row")
    while at >= 0 and PLAIN.row.match(buffer, at) is None:
        at = buffer.rfind(b"<row", 0, at)
    if at > 0 or b":row" not in buffer:
        return max(at, 0)
    starts = [m.start() for m in PREFIXED.row.finditer(buffer)]
    return starts[-1] if starts else 0


def _cut(source: IO[bytes], buffer: bytes, rows: _Rows) -> Iterator[bytes]:
    """The rows in chunks: a new chunk where `rows` says, or after about CHUNK_BYTES."""
    pending: list[bytes] = []
    size = 0
    for piece in _pieces(source, buffer):
        start = 0
        for cut in rows.cuts(piece):
            pending.append(piece[start:cut])
            start = cut
            yield b"".join(pending)
            pending, size = [], 0
        pending.append(piece[start:])
        size += len(piece) - start
        if size >= CHUNK_BYTES and rows.in_chunk:
            yield b"".join(pending)
            pending, size = [], 0
            rows.end_chunk()
    if rows.in_chunk:
        yield b"".join(pending)


def _write_workbook(book: zipfile.ZipFile, chunks: int, parts: Parts) -> None:
    """The parts calamine needs to open the new workbook: one sheet per chunk."""
    relations = [
        (f"rId{i}", f"{OFFICE}/worksheet", f"worksheets/chunk{i}.xml") for i in range(1, chunks + 1)
    ]
    if parts.styles:
        relations.append(("rIdStyles", f"{OFFICE}/styles", "styles.xml"))
    if parts.shared_strings:
        relations.append(("rIdStrings", f"{OFFICE}/sharedStrings", "sharedStrings.xml"))
    sheets = "".join(
        f'<sheet name="{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, chunks + 1)
    )
    date1904 = ' date1904="1"' if parts.date1904 else ""
    book.writestr(
        "[Content_Types].xml",
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/></Types>',
    )
    book.writestr(
        "_rels/.rels", _relations([("rId1", f"{OFFICE}/officeDocument", "xl/workbook.xml")])
    )
    book.writestr("xl/_rels/workbook.xml.rels", _relations(relations))
    book.writestr(
        "xl/workbook.xml",
        f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><workbookPr{date1904}/>'
        f"<sheets>{sheets}</sheets></workbook>",
    )


def _relations(items: list[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{p}"/>' for i, t, p in items)
    return f'<Relationships xmlns="{PACKAGE}">{body}</Relationships>'


def _chunk_rows(book: CalamineWorkbook, index: int, offset: int) -> Iterator[tuple[int, list[Any]]]:
    sheet = book.get_sheet_by_index(index)
    if sheet.start is None:
        return  # rows without a value
    top, left = sheet.start
    pad: list[Any] = [None] * left
    for number, values in enumerate(sheet.to_python(skip_empty_area=True), start=offset + top + 1):
        if any(value != "" for value in values):  # calamine gives "" for an empty cell
            yield number, pad + values
