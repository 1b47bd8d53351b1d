"""COPY text made without a connection (synth's worker processes) reads back as the values."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from hoso.lib import bulkrows


def test_copy_text_escapes_what_copy_reads_specially() -> None:
    text = bulkrows.copy_text([("a\tb\nc\\d\re", None, 7, True, dt.date(2026, 1, 2), b"\x2a\x00")])
    assert text == b"a\\tb\\nc\\\\d\\re\t\\N\t7\tt\t2026-01-02\t\\\\x2a00\n"
    with pytest.raises(TypeError, match="float"):
        bulkrows.copy_text([(1.5,)])


def test_copy_text_reads_back_as_the_values(db: object) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    row = ("Nguyễn\tVăn\nA \\ B\r", None, 42, False, dt.date(1970, 1, 1), b"\xff\x00\\")
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE t (s text, n text, i int, b bool, d date, x bytea)")
        with cur.copy("COPY t FROM STDIN") as copy:
            copy.write(bulkrows.copy_text([row, ("", "", 0, True, dt.date(2026, 12, 3), b"")]))
        cur.execute("SELECT * FROM t")
        got = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in cur]
    assert got == [row, ("", "", 0, True, dt.date(2026, 12, 3), b"")]
