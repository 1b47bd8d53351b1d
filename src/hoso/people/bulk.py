"""Bulk writing of people and members, for synthetic data and Excel imports.

Rows bypass the models' save(), so the stored search columns are computed here by the same
functions, and every NOT NULL column is written explicitly (tests/people/test_bulk.py keeps
the column lists in step with the models). PostgreSQL gets COPY; SQLite gets executemany.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection

from hoso.lib import vntext
from hoso.lib.bulkrows import write_rows as write_rows  # the callers' name for it

PERSON_COLUMNS = (
    "id",
    "family_name",
    "middle_name",
    "given_name",
    "birth_name",
    "other_names",
    "name_folded",
    "sort_key",
    "sex",
    "birth_date",
    "birth_date_precision",
    "birth_year",
    "birth_place",
    "home_town",
    "residence",
    "ethnicity",
    "religion",
    "nationality",
    "education",
    "political_theory",
    "profession",
    "foreign_language",
    "occupation_before",
    "occupation",
    "citizen_id",
    "citizen_id_issued_on",
    "citizen_id_issued_by",
    "old_id",
    "old_id_issued_on",
    "old_id_issued_by",
)
MEMBER_COLUMNS = (
    "id",
    "person_id",
    "organization_id",
    "status",
    "left_form",
    "card_number",
    "resume_number",
    "badge_number",
    "admission_decision",
    "admitted_on",
    "ceremony_on",
    "official_on",
    "service",
    "org_path",
    "sort_key",
    "search_text",
    "ceremony_due_on",
    "recognition_due_on",
    "alert_version",
    "alert_stage",
    "alert_claim",
)
# Columns whose empty value is NULL rather than "".
NULLABLE = frozenset(
    {
        "birth_date",
        "birth_year",
        "citizen_id",
        "citizen_id_issued_on",
        "old_id_issued_on",
        "admitted_on",
        "ceremony_on",
        "official_on",
        "ceremony_due_on",
        "recognition_due_on",
    }
)
DEFAULTS = {"nationality": "Việt Nam", "birth_date_precision": "day"}


def _value(values: dict[str, Any], column: str) -> Any:
    value = values.get(column)
    if value is None or value == "":
        return None if column in NULLABLE else ""
    return value


def person_values(values: dict[str, Any]) -> dict[str, Any]:
    """A person's column values with its folded name and collation key (computed unless the
    caller passes them, as synth does from its cache)."""
    values = {**DEFAULTS, **values}
    if "sort_key" not in values:
        names = (values["family_name"], values.get("middle_name", ""), values["given_name"])
        values["name_folded"] = vntext.fold(" ".join(n for n in names if n))
        values["sort_key"] = vntext.sort_key(*names)
    born = values.get("birth_date")
    values["birth_year"] = born.year if isinstance(born, dt.date) else None  # as Person.save()
    return values


def member_values(values: dict[str, Any], person: dict[str, Any], org_path: str) -> dict[str, Any]:
    """A member's column values, with the person's search columns copied (see Member.save)."""
    extra = " ".join(
        x
        for x in (person.get("birth_name", ""), person.get("other_names", "").replace(",", " "))
        if x
    )
    search = person["name_folded"] + (f" {vntext.fold(extra)}" if extra else "")
    return {
        "alert_version": 0,  # nothing notified yet (notices/due.py)
        "alert_stage": 0,
        **values,
        "person_id": person["id"],
        "org_path": org_path,
        "sort_key": person["sort_key"],
        "search_text": f" {search} ",
    }


def reserve_ids(table: str, count: int) -> list[int]:
    """Ids for `count` new rows. PostgreSQL takes them from the table's sequence (safe with
    other writers); SQLite, whose writers are serialised, continues after the largest id."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "  # noqa: S608
                "FROM generate_series(1, %s)",
                [count],
            )
            return [r[0] for r in cur.fetchall()]
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        start = cur.fetchone()[0] + 1
        return list(range(start, start + count))


def as_row(record: dict[str, Any], columns: tuple[str, ...]) -> tuple[Any, ...]:
    """The record's values in `columns` order, an empty value as its column stores it."""
    return _row_maker(columns)(record)


@functools.cache
def _row_maker(columns: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    # Called for every row of a 5M load: one dict merge and a C itemgetter, rather than a
    # function call per column.
    empty = {c: _value({}, c) for c in columns}
    get = operator.itemgetter(*columns)

    def make(record: dict[str, Any]) -> tuple[Any, ...]:
        full = empty | record
        for name, value in record.items():
            if value is None or value == "":
                full[name] = empty.get(name)
        return tuple(get(full))

    return make


def write(table: str, columns: tuple[str, ...], records: Iterable[dict[str, Any]]) -> None:
    """Insert records (dicts by column name); call inside a transaction."""
    write_rows(table, columns, (as_row(r, columns) for r in records))
