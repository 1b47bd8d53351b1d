"""Benchmark: the cost of encryption at rest, PostgreSQL (issue 14, item 6).

N biography entries (an encrypted column) are written, read and rotated; each figure is printed
next to the same work on a copy of the table whose column holds the same text in clear (no
encryption), measured in the same run:

- bulk write (the COPY of `hoso synth` and imports, lib/bulkrows.Table): rows per second;
- read: one page of 10,000 values through the ORM (decrypted) against the raw column (p50);
- rotation (`hoso vault rotate`'s re-encryption, lib/encrypted.reseal, audited per chunk):
  values per second, against the same chunked read-and-update with no cryptography.

Usage: python benchmarks/vault.py [--rows 200000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time

from common import compare, machine, row, scratch_database, setup_django

TEXT = "Bị kỷ luật khiển trách năm 2015 vì vi phạm quy định về kê khai tài sản, thu nhập"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    os.environ["HOSO_FIELD_KEY_DIR"] = tempfile.mkdtemp(prefix="hoso-bench-field-keys-")
    with scratch_database() as env:
        setup_django(env)
        print(f"machine: {machine()}")
        _run(args.rows)


def _run(n: int) -> None:
    from django.db import connection, transaction

    from hoso.access.models import User
    from hoso.lib import bulkrows
    from hoso.people.models import BiographyEntry, Person

    user = User.objects.create(username="bench")
    person = Person.objects.create(family_name="Lê", given_name="An", sex="M")
    at = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    table = bulkrows.Table(BiographyEntry)
    values = [
        {"id": i, "person_id": person.pk, "kind": "discipline", "content": f"{TEXT} ({i})",
         "recorded_by_id": user.pk, "recorded_at": at}
        for i in range(1, n + 1)
    ]  # fmt: skip
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE bench_entries (LIKE people_biographyentry INCLUDING ALL)")

    started = time.perf_counter()
    with transaction.atomic():
        table.write([table.row(v) for v in values])
    ours = n / (time.perf_counter() - started)
    started = time.perf_counter()
    with transaction.atomic():
        bulkrows.write_rows("bench_entries", table.columns, (_plain_row(table, v) for v in values))
    base = n / (time.perf_counter() - started)
    row(f"bulk write, {n:,} rows", ours, base, "rows/s")

    page = 10_000
    compare(
        f"read {page:,} values, ORM (decrypted)",
        lambda: list(
            BiographyEntry.objects.order_by("id").values_list("content", flat=True)[:page]
        ),
        lambda: _raw_page(page),
        runs=20,
    )

    from hoso.audit import actions
    from hoso.lib import vault

    vault.make()  # the rotation's new key
    started = time.perf_counter()
    done = actions.reseal_column("people_biographyentry", "content")
    ours = done / (time.perf_counter() - started)
    started = time.perf_counter()
    plain = _plain_pass("bench_entries", "content")
    base = plain / (time.perf_counter() - started)
    row(f"rotation, {done:,} values re-encrypted", ours, base, "values/s")


def _plain_row(table: object, values: dict[str, object]) -> list[object]:
    """The row as Table.row makes it, with the column left in clear."""
    from hoso.lib import bulkrows

    assert isinstance(table, bulkrows.Table)
    out = list(table.defaults)
    for name, value in values.items():
        out[table.index[name]] = value
    return out


def _raw_page(page: int) -> list[str]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"SELECT content FROM bench_entries ORDER BY id LIMIT {page}")
        return [r[0] for r in cur.fetchall()]


def _plain_pass(table: str, column: str) -> int:
    """reseal()'s chunked read-and-update, the value written back as it was (no crypto)."""
    from django.db import connection, transaction

    from hoso.lib import encrypted

    done, last = 0, 0
    while True:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                f"SELECT id, {column} FROM {table} WHERE id > %s AND {column} <> '' "
                f"AND {column} NOT LIKE 'x%%' ORDER BY id LIMIT {encrypted.CHUNK}",
                [last],
            )
            rows = cur.fetchall()
            if not rows:
                return done
            cur.executemany(
                f"UPDATE {table} SET {column} = %s WHERE id = %s AND {column} = %s",
                [(stored, pk, stored) for pk, stored in rows],
            )
            cur.execute("SELECT 1")  # reseal()'s audit event per chunk is one more statement
            done += len(rows)
            last = rows[-1][0]


if __name__ == "__main__":
    main()
