"""Benchmark: memory and time of the member import on hostile and on large files (issue 10).

Files, written directly as zip archives (streaming, no spreadsheet library):
- bomb        1,048,000 rows x 14 columns of repetitive text: ~8 MB packed, ~1.37 GB unpacked,
              with an honest <dimension ref="A1:N1048000"/> and honest declared sizes;
- bomb, limits raised: the same file with HOSO_IMPORT_MAX_UNCOMPRESSED_MB=2000 and
              HOSO_IMPORT_MAX_RATIO=1000, so that its declared dimension is what stops it;
- bomb, no dimension: the same, without <dimension>, so only counting rows while streaming
              stops it;
- strings     a sheet of two rows whose shared strings part holds tiny strings up to its cap
              (a quarter of the unpacked limit): the most memory a file within limits takes;
- valid       --rows realistic members (shared strings, real date cells, as Excel saves them),
              imported for real.

Each import runs in a fresh child process (`hoso.people.actions.imports.import_file`, the code the
upload page and `hoso import-members` call); its peak RSS comes from os.wait4. Baselines, in
the same run: the peak RSS of a child that only sets Django up and imports the same modules,
and the time zipfile takes merely to unpack the file's sheet.

Usage: python benchmarks/import_bomb.py [--rows 200000] [--sqlite] [--src OTHER/src]
(--src runs the children on another source tree, e.g. a checkout from before the fix.)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from common import machine, row, scratch_database
from import_members import sqlite_database

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
STYLES = (
    f'<styleSheet xmlns="{MAIN}"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
    '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
    "</styleSheet>"
)
MB = 1 << 20


def column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def write_package(path: Path, sheet: Iterator[bytes], strings: list[str] | None) -> None:
    """An .xlsx with one sheet (streamed in) and, if given, its shared strings."""
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="ds" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>'
            + (
                f'<Relationship Id="rId3" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
                if strings is not None
                else ""
            )
            + "</Relationships>"
        ),
        "xl/styles.xml": STYLES,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            for piece in sheet:
                out.write(piece)
        if strings is not None:
            with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
                out.write(f'<sst xmlns="{MAIN}" uniqueCount="{len(strings)}">'.encode())
                for start in range(0, len(strings), 10_000):
                    items = strings[start : start + 10_000]
                    out.write("".join(f"<si><t>{escape(s)}</t></si>" for s in items).encode())
                out.write(b"</sst>")


def bomb_sheet(rows: int, dimension: bool) -> Iterator[bytes]:
    """Rows of the same 14 inline strings (cells placed one after another, as the format
    allows): ~1,300 bytes a row in which only the row number changes, packed ~170 to 1."""
    cells = '<c t="inlineStr"><is><t>Nguyễn Văn An, xã Hòa Bình, Ba Vì, TP Hà Nội</t></is></c>' * 14
    head = f'<worksheet xmlns="{MAIN}">'
    if dimension:
        head += f'<dimension ref="A1:N{rows}"/>'
    yield (head + "<sheetData>").encode()
    for start in range(1, rows + 1, 1000):
        stop = min(start + 1000, rows + 1)
        yield "".join(f'<row r="{n}">{cells}</row>' for n in range(start, stop)).encode()
    yield b"</sheetData></worksheet>"


def valid_sheet(rows: int, strings: list[str]) -> Iterator[bytes]:
    """Members as Excel saves them: text in shared strings, dates as numbers styled as dates."""
    from hoso.people import importer, synth

    index: dict[str, int] = {}

    def shared(text: str) -> str:
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return f'<c r="{{ref}}" t="s"><v>{index[text]}</v></c>'

    rng = random.Random(7)
    yield f'<worksheet xmlns="{MAIN}"><dimension ref="A1:Q{rows + 1}"/><sheetData>'.encode()
    header = "".join(
        shared(c.header).replace("{ref}", f"{column(j)}1") for j, c in enumerate(importer.COLUMNS)
    )
    yield f'<row r="1">{header}</row>'.encode()
    block = []
    for i in range(rows):
        n = i + 2
        sex = "M" if i % 3 else "F"
        values: list[str] = [
            shared(rng.choice([f for f, _ in synth.FAMILY_WEIGHTS[:15]])),
            shared(rng.choice(synth.MIDDLE[sex])),
            shared(rng.choice(synth.GIVEN[sex])),
            shared("Nam" if sex == "M" else "Nữ"),
            f'<c r="{{ref}}" s="1"><v>{21916 + i % 14000}</v></c>',  # 1960 onwards
            shared(f"xã {rng.choice(['Hòa Bình', 'An Khánh', 'Tân Lập', 'Đông Anh'])}"),
            "",
            shared("Kinh"),
            shared("Không"),
            shared(f"0{i % 96 + 1:02d}1{80 + i % 20:02d}{i:06d}"),
            "",
            f'<c r="{{ref}}" s="1"><v>{38491 + i % 5000}</v></c>',  # 2005 onwards
            "",
            shared(f"TD{i:07d}"),
            "",
            shared("Chính thức"),
            "",
        ]
        cells = "".join(v.replace("{ref}", f"{column(j)}{n}") for j, v in enumerate(values) if v)
        block.append(f'<row r="{n}">{cells}</row>')
        if len(block) == 1000:
            yield "".join(block).encode()
            block = []
    yield ("".join(block) + "</sheetData></worksheet>").encode()


def strings_sheet(strings: list[str], cap: int) -> Iterator[bytes]:
    """Two rows (the second invalid: nothing is written) and shared strings up to `cap` bytes."""
    from hoso.people import importer

    header = "".join(
        f'<c r="{column(j)}1" t="inlineStr"><is><t>{c.header}</t></is></c>'
        for j, c in enumerate(importer.COLUMNS)
    )
    size, i = 0, 0
    while size < cap - 4096:
        strings.append(f"{i:x}")
        size += len(strings[-1]) + 16  # <si><t></t></si>
        i += 1
    yield (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">{header}</row>'
        '<row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData></worksheet>'
    ).encode()


def generate(folder: Path, rows: int) -> None:
    """Write the files (in a child process: the parent must stay small, see measure())."""
    write_package(folder / "bomb.xlsx", bomb_sheet(1_048_000, dimension=True), None)
    write_package(folder / "bomb-nodim.xlsx", bomb_sheet(1_048_000, dimension=False), None)
    strings: list[str] = []
    write_package(folder / "strings.xlsx", strings_sheet(strings, 200 * MB // 4), strings)
    strings = []
    write_package(folder / "valid.xlsx", valid_sheet(rows, strings), strings)


def prepare() -> None:
    """The organization and the clerk the imports run as; the machine line."""
    from django.db import connection

    from hoso.access.models import Grant, User
    from hoso.orgs.models import Level, Organization

    root = Organization.objects.add_root(
        create_kwargs={"name": "Đảng bộ thử", "code": "BENCH", "level": Level.UPPER_BASE}
    )
    clerk = User.objects.create_user("bench_clerk")
    Grant.objects.create(user=clerk, organization=root, role="clerk")
    print(f"machine: {machine() if connection.vendor == 'postgresql' else 'SQLite'}")


def child(case: str, argument: str) -> None:
    """Run in a fresh process: one import (or a baseline), the result as JSON on stdout."""
    import django

    django.setup()
    if case == "generate":
        generate(Path(argument), int(os.environ["BENCH_ROWS"]))
        return
    if case == "prepare":
        prepare()
        return
    started = time.perf_counter()
    result: dict[str, Any] = {}
    if case == "unzip":  # baseline time: unpack the sheet and do nothing with it
        with zipfile.ZipFile(argument) as archive, archive.open("xl/worksheets/sheet1.xml") as f:
            while f.read(MB):
                pass
    elif case == "import":
        from hoso.access.models import User
        from hoso.orgs.models import Organization
        from hoso.people import actions, importer

        org = Organization.objects.get(code="BENCH")
        clerk = User.objects.get(username="bench_clerk")
        with open(argument, "rb") as handle:
            try:
                report = actions.imports.import_file(handle, org, clerk, "bench.xlsx")
                result = {"imported": report.imported, "errors": len(report.errors)}
                if report.errors:
                    result["first"] = report.errors[0].message
            except Exception as exc:  # the old importer raised whatever calamine raised
                result = {"refused": str(exc)}
    from hoso.people import importer  # the bare baseline imports the same code

    assert importer
    result["seconds"] = time.perf_counter() - started
    print(json.dumps(result, ensure_ascii=False))


def measure(
    case: str, path: Path, env: dict[str, str], extra: dict[str, str] | None = None
) -> tuple[dict[str, Any], float]:
    """(the child's result, its peak RSS in MB from os.wait4).

    Linux carries a process's peak RSS over fork and exec, so a child's ru_maxrss is at least
    the parent's RSS when it was started: the parent therefore never loads Django nor writes
    the files itself (children do), and stays at a few megabytes."""
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", case, str(path)],
        env={**env, **(extra or {})},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        return {"failed": process.returncode, "seconds": float("nan")}, usage.ru_maxrss / 1024
    return json.loads(output.strip().splitlines()[-1]), usage.ru_maxrss / 1024


def outcome(result: dict[str, Any]) -> str:
    if "refused" in result:
        return "refused: " + result["refused"][:110]
    if "failed" in result:
        return f"child died (exit {result['failed']})"
    if result.get("errors"):
        return f"{result['errors']} errors, nothing imported: {result.get('first', '')[:80]}"
    return f"imported {result['imported']:,} members"


@contextlib.contextmanager
def database(sqlite: bool) -> Iterator[dict[str, str]]:
    with sqlite_database() if sqlite else scratch_database() as env:
        yield env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--src", default="", help="run the imports on this source tree")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with database(args.sqlite) as env, tempfile.TemporaryDirectory() as scratch:
        env = {**env, "DJANGO_SETTINGS_MODULE": "hoso.config.settings"}
        folder = Path(scratch)
        helper = [sys.executable, __file__, "--child"]
        subprocess.run([*helper, "prepare", "-"], env=env, check=True)
        started = time.perf_counter()
        generate_env = {**env, "BENCH_ROWS": str(args.rows)}
        subprocess.run([*helper, "generate", scratch], env=generate_env, check=True)
        print(f"files written in {time.perf_counter() - started:.0f} s")
        if args.src:
            env["PYTHONPATH"] = args.src
        raised = {"HOSO_IMPORT_MAX_UNCOMPRESSED_MB": "2000", "HOSO_IMPORT_MAX_RATIO": "1000"}
        files = [
            ("bomb", folder / "bomb.xlsx", {}),
            ("bomb, limits raised", folder / "bomb.xlsx", raised),
            ("bomb, no dimension", folder / "bomb-nodim.xlsx", raised),
            ("shared strings at their cap", folder / "strings.xlsx", {}),
            (f"valid, {args.rows:,} rows", folder / "valid.xlsx", {}),
        ]
        _, bare_mb = measure("bare", folder / "bomb.xlsx", env)
        for label, path, extra in files:
            with zipfile.ZipFile(path) as archive:
                unpacked = sum(i.file_size for i in archive.infolist())
            unzip, _ = measure("unzip", path, env)
            result, peak = measure("import", path, env, extra)
            print(
                f"{label}: {path.stat().st_size / MB:.1f} MB packed, {unpacked / MB:,.0f} MB "
                f"unpacked -> {outcome(result)}"
            )
            row(f"  {label}: peak RSS", peak, bare_mb, "MB")
            row(f"  {label}: time", result["seconds"], unzip["seconds"], "s ")


if __name__ == "__main__":
    main()
