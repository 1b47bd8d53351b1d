"""Writing many rows at once, past the models' save(): synthetic data and imports.

PostgreSQL gets COPY; SQLite gets executemany (its values adapted as Django would store
them). `Table` reads a model's columns and defaults from its fields, so a row names only what
it sets and a NOT NULL column left without a value (a field added later, an `auto_now_add`
timestamp) fails loudly instead of writing a broken row, and an encrypted field's value is
encrypted as save() would. Callers run inside a transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection as default_connection
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

from hoso.lib.encrypted import EncryptedTextField

CHUNK = 5000
_MISSING = object()
Connection = BaseDatabaseWrapper


class Table:
    """The columns of one model's table, in order, with the value each takes when not given."""

    def __init__(self, model: type[models.Model]) -> None:
        fields = list(model._meta.concrete_fields)
        self.name: str = model._meta.db_table
        self.columns = tuple(f.column for f in fields)
        self.index = {f.attname: i for i, f in enumerate(fields)}
        self.defaults = [_default(f) for f in fields]
        self._required = frozenset(f.attname for f, d in zip(fields, self.defaults, strict=True)
                                   if d is _MISSING)  # fmt: skip
        self._dates = [i for i, f in enumerate(fields) if isinstance(f, models.DateField)]
        # Encrypted at rest (encrypted.py): COPY must not write their plain text.
        self._sealed = [(i, f) for i, f in enumerate(fields) if isinstance(f, EncryptedTextField)]
        # The tables its foreign keys point at (itself left out).
        self.parents = frozenset(
            f.related_model._meta.db_table
            for f in fields
            if f.is_relation and isinstance(f.related_model, type) and f.related_model is not model
        )

    def row(self, values: dict[str, Any]) -> list[Any]:
        """The row of `values` (by attribute name: `case_id`, not `case`)."""
        row = list(self.defaults)
        index = self.index
        for name, value in values.items():
            row[index[name]] = value
        if not self._required <= values.keys():
            missing = [c for c, v in zip(self.columns, row, strict=True) if v is _MISSING]
            raise ValueError(f"{self.name}: no value for {', '.join(missing)}")
        for i, field in self._sealed:
            row[i] = field.get_prep_value(row[i])
        return row

    def write(
        self, rows: Iterable[list[Any] | tuple[Any, ...]], using: Connection | None = None
    ) -> int:
        """Insert rows made by row(); returns how many."""
        connection = using or default_connection
        if connection.vendor != "postgresql":
            rows = (_for_sqlite(r, self._dates, connection) for r in rows)
        return write_rows(self.name, self.columns, rows, using=connection)


def _default(field: models.Field[Any, Any]) -> Any:
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if field.empty_strings_allowed and field.blank:
        return ""
    return _MISSING


def _for_sqlite(
    row: list[Any] | tuple[Any, ...], dates: list[int], connection: Connection
) -> list[Any]:
    """Dates and times as Django's SQLite backend stores them (ISO text, times in UTC)."""
    row = list(row)
    ops = connection.ops
    for i in dates:
        value = row[i]
        if isinstance(value, dt.datetime):
            row[i] = ops.adapt_datetimefield_value(value)
        elif isinstance(value, dt.date):
            row[i] = ops.adapt_datefield_value(value)
    return row


def write_rows(
    table: str, columns: tuple[str, ...], rows: Iterable[Any], using: Connection | None = None
) -> int:
    """Insert rows already in `columns` order; returns how many."""
    connection = using or default_connection
    count = 0
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
        for chunk in chunks(rows):
            cur.executemany(sql, chunk)
            count += len(chunk)
    return count


_SPECIAL = re.compile(r"[\\\t\n\r]")  # rare: translate() is slow on every string
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(rows: Iterable[tuple[Any, ...] | list[Any]]) -> bytes:
    """Rows in COPY's text format, for a process that makes rows without a connection (the
    one writing then only passes the bytes on). Values: str, int, bool, date, bytes, None."""
    return "".join("\t".join(map(_copy_field, row)) + "\n" for row in rows).encode()


def _copy_field(value: Any) -> str:
    kind = type(value)
    if kind is str:
        text = str(value)
        return text.translate(_ESCAPES) if _SPECIAL.search(text) else text
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is int or kind is dt.date:
        return str(value)
    if kind is bytes:
        return "\\\\x" + bytes(value).hex()  # bytea's hex form, its backslash escaped
    raise TypeError(f"copy_text: no text form for {kind.__name__}")


def update_rows(
    table: str,
    key: str,
    columns: tuple[str, ...],
    rows: Iterable[Any],
    using: Connection | None = None,
) -> int:
    """Set `columns` of the rows whose `key` is the first value of each row. PostgreSQL: the
    rows are copied into a temporary table and applied in one UPDATE."""
    connection = using or default_connection
    rows = list(rows)
    if not rows:
        return 0
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            temp = f"_bulk_{table}"
            cur.execute(
                f"CREATE TEMP TABLE {temp} ON COMMIT DROP AS"  # noqa: S608
                f" SELECT {key}, {', '.join(columns)} FROM {table} WITH NO DATA"
            )
            with cur.copy(f"COPY {temp} ({key}, {', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cur.execute(f"ANALYZE {temp}")  # else the join may scan the whole table
            sets = ", ".join(f"{c} = t.{c}" for c in columns)
            cur.execute(
                f"UPDATE {table} AS x SET {sets} FROM {temp} AS t"  # noqa: S608
                f" WHERE x.{key} = t.{key}"
            )
            cur.execute(f"DROP TABLE {temp}")
            return len(rows)
        sets = ", ".join(f"{c} = %s" for c in columns)
        sql = f"UPDATE {table} SET {sets} WHERE {key} = %s"  # noqa: S608
        every = list(range(len(columns)))
        cur.executemany(sql, [(*_for_sqlite(r[1:], every, connection), r[0]) for r in rows])
    return len(rows)


def next_id(table: str) -> int:
    """The first id after the largest one of `table` (synthetic loads take their ids in a
    block and move the sequence past them afterwards: `move_sequence`)."""
    connection = default_connection
    with connection.cursor() as cur:
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        largest = int(cur.fetchone()[0])
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT last_value FROM pg_sequences WHERE sequencename = %s", [f"{table}_id_seq"]
            )
            found = cur.fetchone()
            if found and found[0] is not None:
                largest = max(largest, int(found[0]))
    return largest + 1


def defer_indexes(table: str, using: Connection) -> list[str]:
    """Drop the secondary indexes of `table` (neither its key nor a unique one) in `using`'s
    transaction, and return the statements that make them again: a load that inserts millions
    of rows builds each index once, by one sort, at its end, rather than inserting every row
    into it (PostgreSQL). The DDL is transactional: a load rolled back keeps them."""
    with using.cursor() as cur:
        cur.execute(
            "SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
            "JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
            "WHERE t.relname = %s AND NOT x.indisunique AND NOT x.indisprimary",
            [table],
        )
        found = cur.fetchall()
        for name, _ddl in found:
            cur.execute(f'DROP INDEX "{name}"')
    return [ddl for _name, ddl in found]


def defer_foreign_keys(table: str, using: Connection) -> list[str]:
    """Drop the foreign keys of `table` in `using`'s transaction and return the statements that
    add them again: each is then checked once, by one join over the loaded rows, rather than
    by a deferred check queued per row (PostgreSQL; millions of them held until commit, and a
    table with checks pending cannot be indexed)."""
    with using.cursor() as cur:
        cur.execute(
            "SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "JOIN pg_class t ON t.oid = c.conrelid WHERE t.relname = %s AND c.contype = 'f'",
            [table],
        )
        found = cur.fetchall()
        for name, _ddl in found:
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    return [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {ddl}' for name, ddl in found]


def move_sequence(table: str, using: Connection | None = None) -> None:
    """Move PostgreSQL's id sequence of `table` past its largest id."""
    connection = using or default_connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608
            f" GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), 1))"
        )


def chunks(rows: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Staged:
    """Changes to existing rows gathered while a load runs and applied at its end, in one
    UPDATE: what the load reads meanwhile stays as it was, however its writes are scheduled.
    On PostgreSQL the rows wait in a temporary table (dropped at commit)."""

    def __init__(self, table: str, columns: tuple[str, ...], key: str = "id") -> None:
        self.table, self.columns, self.key = table, columns, key
        self.temp = f"_staged_{table}_{abs(hash(columns)) % 10_000}"
        self.pending: list[Any] = []
        self.created = False
        self.count = 0

    def add(self, rows: list[Any], using: Connection | None = None) -> None:
        """Rows of (key, *values)."""
        connection = using or default_connection
        self.count += len(rows)
        if connection.vendor != "postgresql":
            self.pending.extend(rows)
            return
        names = ", ".join((self.key, *self.columns))
        with connection.cursor() as cur:
            if not self.created:
                cur.execute(
                    f"CREATE TEMP TABLE {self.temp} ON COMMIT DROP AS"  # noqa: S608
                    f" SELECT {names} FROM {self.table} WITH NO DATA"
                )
                self.created = True
            with cur.copy(f"COPY {self.temp} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def apply(self, using: Connection | None = None) -> int:
        connection = using or default_connection
        if connection.vendor != "postgresql":
            return update_rows(self.table, self.key, self.columns, self.pending, using=connection)
        if not self.created:
            return 0
        sets = ", ".join(f"{c} = t.{c}" for c in self.columns)
        with connection.cursor() as cur:
            cur.execute(f"ANALYZE {self.temp}")  # else the join may scan the whole table
            cur.execute(
                f"UPDATE {self.table} AS x SET {sets} FROM {self.temp} AS t"  # noqa: S608
                f" WHERE x.{self.key} = t.{self.key}"
            )
            cur.execute(f"DROP TABLE {self.temp}")
        return self.count
