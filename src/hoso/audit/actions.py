"""Actions on the installation's field encryption keys (lib/vault.py), each change audited:
a rotation makes a new key and re-encrypts every value under it, one event per chunk."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from hoso.audit import events
from hoso.audit.chain import record
from hoso.lib import encrypted, vault


def rotate_field_key() -> str:
    """A new field key, used for every value written from now on (by the other processes within
    a second: lib/vault.ring); returns its id. The values already stored are re-encrypted
    by reseal_fields()."""
    key_id = vault.make()
    with transaction.atomic():
        record(events.FIELD_KEY_MADE.code, details={"key": key_id})
    return key_id


def reseal_column(table: str, column: str) -> int:
    """One pass of re-encryption over a column, each chunk with its audit event."""
    return encrypted.reseal(table, column, on_chunk=_chunk_event)


def reseal_fields(report: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Every encrypted value under the newest key: {table.column: values re-encrypted}."""
    counts = {}
    for field in encrypted.fields():
        table, column = field.model._meta.db_table, field.column
        done = total = reseal_column(table, column)
        # A row the app rewrote under the older key while the pass ran (before it saw the new
        # key) was skipped by the pass: one more finds it.
        while done:
            done = reseal_column(table, column)
            total += done
        counts[field.context] = total
        if report is not None:
            report(field.context, total)
    return counts


def _chunk_event(chunk: encrypted.Chunk) -> None:
    """Each chunk's event, in the chunk's transaction: which rows of which column."""
    record(
        events.FIELDS_RESEALED.code,
        details={"column": chunk.column, "key": chunk.key, "first": chunk.first,
                 "last": chunk.last, "values": chunk.values},
    )  # fmt: skip
