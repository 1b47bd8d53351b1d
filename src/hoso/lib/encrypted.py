"""Model fields whose values are stored encrypted (vault.py), and the re-encryption of a column.

A field decrypts when read and encrypts when written, so the rest of hoso handles plain text.
The database sees only ciphertext, which is random: such a field cannot be searched, sorted or
compared in SQL. Only `isnull` and `= ''` (is it filled?) are allowed; any other lookup fails
loudly instead of silently matching nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.apps import apps
from django.core.exceptions import FieldError
from django.db import connection, migrations, models, transaction
from django.db.models.lookups import Exact, IsNull

from hoso.lib import vault

CHUNK = 2000


class _Blank(Exact):  # type: ignore[type-arg]
    """`= ''` only: whether the value is empty."""

    def get_prep_lookup(self) -> Any:
        if self.rhs != "":
            raise FieldError(f"{self.lhs.target.name} is encrypted: it cannot be searched")
        return ""


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text stored encrypted; `single_line`: a one-line input in forms (a name, an address).
    `max_length` limits the plain text in forms; the column itself is unbounded text."""

    def __init__(self, *args: Any, single_line: bool = False, **kwargs: Any) -> None:
        self.single_line = single_line
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.single_line:
            kwargs["single_line"] = True
        return name, path, args, kwargs

    @property
    def context(self) -> str:
        return f"{self.model._meta.db_table}.{self.column}"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return value if value is None else vault.open_(value, self.context)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return value if value is None else vault.seal(value, self.context)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            return _Blank
        if lookup_name == "isnull":
            return IsNull
        raise FieldError(f"{self.name} is encrypted: it cannot be searched ({lookup_name})")

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(f"{self.name} is encrypted: it cannot be transformed ({lookup_name})")

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        if self.single_line:
            kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)


class EncryptedJSONField(EncryptedTextField):
    """A JSON value stored encrypted as a whole (the values before and after a correction)."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        plain = super().from_db_value(value, expression, connection)
        return json.loads(plain) if plain else plain

    def to_python(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) and value else value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return vault.seal(json.dumps(value, ensure_ascii=False, sort_keys=True), self.context)

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj), ensure_ascii=False, sort_keys=True)

    _pyi_private_set_type: Any  # JSON values, not text
    _pyi_private_get_type: Any

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return None  # set by actions only


def fields() -> list[EncryptedTextField]:
    """Every encrypted field of every installed model, in a stable order."""
    found = [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]
    return sorted(found, key=lambda f: f.context)


@dataclass(frozen=True)
class Chunk:
    """One transaction of reseal(): the values of rows first..last (by id) of a column."""

    column: str  # table.column
    key: str  # the key they are now under ("" when decrypted)
    first: int
    last: int
    values: int


def reseal(
    table: str,
    column: str,
    *,
    using: Any = None,
    plain: bool = False,
    on_chunk: Callable[[Chunk], None] | None = None,
) -> int:
    """Re-encrypt under the newest key every value of the column that is not already: values
    of an older key, and plain text written before the column was encrypted (a migration);
    `plain`: decrypt every value instead (a migration undone). Chunks commit one by one, so an
    interrupted run resumes where it stopped; a row the app changed meanwhile is left to the
    app's own write. `on_chunk` is called inside each chunk's transaction (its audit event).
    Returns the number of values rewritten."""
    using = using or connection
    context = f"{table}.{column}"
    quoted_table, quoted = using.ops.quote_name(table), using.ops.quote_name(column)
    newest = vault.newest_id()
    done_pattern = f"{vault.PREFIX}{newest}:%" if newest and not plain else f"{vault.PREFIX}%"
    select = (
        f"SELECT id, {quoted} FROM {quoted_table} WHERE id > %s AND {quoted} <> '' "  # noqa: S608
        f"AND {quoted} {'' if plain else 'NOT'} LIKE %s ORDER BY id LIMIT {CHUNK}"
    )
    update = f"UPDATE {quoted_table} SET {quoted} = %s WHERE id = %s AND {quoted} = %s"  # noqa: S608
    done, last = 0, 0
    while True:
        with transaction.atomic(using=using.alias), using.cursor() as cur:
            cur.execute(select, [last, done_pattern])
            rows = cur.fetchall()
            if not rows:
                return done
            changes = []
            for pk, stored in rows:
                text = vault.open_(stored, context) if stored.startswith(vault.PREFIX) else stored
                changes.append((text if plain else vault.seal(text, context), pk, stored))
            cur.executemany(update, changes)
            # Rows the app rewrote since the SELECT are not written (compare-and-swap).
            written = cur.rowcount if cur.rowcount >= 0 else len(changes)
            if on_chunk is not None:
                key = "" if plain else vault.newest_id() or ""
                on_chunk(Chunk(context, key, rows[0][0], rows[-1][0], written))
            done += written
            last = rows[-1][0]


def migration(*columns: tuple[str, str]) -> Any:
    """A migration operation that encrypts the values already in these (table, column) pairs,
    and decrypts them when the migration is undone."""

    def forward(apps: Any, schema_editor: Any) -> None:
        for table, column in columns:
            reseal(table, column, using=schema_editor.connection)

    def backward(apps: Any, schema_editor: Any) -> None:
        for table, column in columns:
            reseal(table, column, using=schema_editor.connection, plain=True)

    return migrations.RunPython(forward, backward, elidable=False)


def census(table: str, column: str, *, using: Any = None) -> dict[str, int]:
    """How many values of the column each key holds ("" for plain text, not yet encrypted)."""
    using = using or connection
    quoted_table, quoted = using.ops.quote_name(table), using.ops.quote_name(column)
    start = len(vault.PREFIX) + 1
    with using.cursor() as cur:
        cur.execute(
            f"SELECT CASE WHEN {quoted} LIKE %s THEN SUBSTR({quoted}, {start}, "  # noqa: S608
            f"{vault.KEY_ID_WIDTH}) ELSE '' END, COUNT(*) "
            f"FROM {quoted_table} WHERE {quoted} <> '' GROUP BY 1",
            [f"{vault.PREFIX}%"],
        )
        return {key or "": count for key, count in cur.fetchall()}
