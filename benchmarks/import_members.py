"""Benchmark: importing 100,000 members from Excel (issue 3 target: > 5,000 rows/s).

The baseline, measured in the same run on the same database, inserts the same rows with
plain parameterised INSERTs (executemany) and no validation: the cost of writing the data.

Usage: python benchmarks/import_members.py [--rows 100000] [--sqlite]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import subprocess
import tempfile
import time
from collections.abc import Iterator

from common import HOSO, machine, row, scratch_database, setup_django


@contextlib.contextmanager
def sqlite_database() -> Iterator[dict[str, str]]:
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "HOSO_DATA_DIR": data_dir, "HOSO_DEBUG": "1", "HOSO_HTTPS": "0"}
        env.pop("HOSO_DATABASE_URL", None)
        subprocess.run([*HOSO, "migrate", "-v0"], env=env, check=True)
        yield env


def make_file(rows: int) -> tuple[bytes, list[tuple[str, ...]]]:
    from openpyxl import Workbook

    from hoso.people import importer, synth

    rng = random.Random(7)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("ds")
    sheet.append([c.header for c in importer.COLUMNS])
    plain = []
    for i in range(rows):
        sex = "M" if i % 3 else "F"
        family = rng.choice([f for f, _ in synth.FAMILY_WEIGHTS[:15]])
        middle, given = rng.choice(synth.MIDDLE[sex]), rng.choice(synth.GIVEN[sex])
        cid = f"0{i % 96 + 1:02d}1{80 + i % 20:02d}{i:06d}"
        sheet.append(
            [
                family,
                middle,
                given,
                "Nam" if sex == "M" else "Nữ",
                f"{1 + i % 28:02d}/{1 + i % 12:02d}/19{60 + i % 40}",
                "xã Hòa Bình",
                "",
                "Kinh",
                "Không",
                cid,
                "",
                "19/05/2005",
                "19/05/2006",
                f"TD{i:07d}",
                "",
                "Chính thức",
                "",
            ]
        )
        plain.append((family, middle, given, sex, cid))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), plain


def baseline(plain: list[tuple[str, ...]]) -> float:
    """Plain INSERTs of the same people into a scratch table with the same columns."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE bp (family_name varchar(64), middle_name varchar(64),"
            " given_name varchar(64), sex varchar(1), citizen_id varchar(12))"
        )
        started = time.perf_counter()
        cur.executemany("INSERT INTO bp VALUES (%s, %s, %s, %s, %s)", plain)
        cur.executemany("INSERT INTO bp VALUES (%s, %s, %s, %s, %s)", plain)  # + members
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    database = sqlite_database() if args.sqlite else scratch_database()
    with database as env:
        setup_django(env)
        from django.db import connection

        from hoso.access.models import Grant, User
        from hoso.orgs.models import Level, Organization
        from hoso.people import actions

        root = Organization.objects.add_root(
            create_kwargs={"name": "Đảng bộ thử", "code": "BENCH", "level": Level.UPPER_BASE}
        )
        clerk = User.objects.create_user("bench_clerk")
        Grant.objects.create(user=clerk, organization=root, role="clerk")
        content, plain = make_file(args.rows)
        print(f"machine: {machine() if connection.vendor == 'postgresql' else 'SQLite'}")
        print(f"file: {args.rows:,} rows, {len(content) / 1e6:.1f} MB")
        started = time.perf_counter()
        report = actions.imports.import_file(io.BytesIO(content), root, clerk, "bench.xlsx")
        ours = time.perf_counter() - started
        assert not report.errors and report.imported == args.rows, report.errors[:3]
        base = baseline(plain)
        row(f"import {args.rows:,} rows ({connection.vendor}) s", ours, base, "s ")
        print(f"import rate: {args.rows / ours:,.0f} rows/s (target > 5,000)")


if __name__ == "__main__":
    main()
