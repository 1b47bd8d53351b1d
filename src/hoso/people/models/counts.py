"""Exact member counts (people/aggregates.py has the reads, the rebuild and the check).

One row per (organization, dimension, value): how many member records of that organization's
whole subtree have that value. Dimensions: the status of every record, and the sex, year of
birth, ethnicity, religion and general education of the members in the Party. So a figure is
one organization's rows and its breakdown is its children's rows, whatever the number of
members below.

The counts are kept in the transaction of every change, here in the model layer, as the
members' copies of their organization's path are: `Member.save()` and `Person.save()` call
`changed()` with the state before and after, read under the member's row lock; the writers
that bypass the models (the bulk writer of imports, `synth`, a moved organization's copied
paths) apply a grouped `Tally` or rebuild. `hoso aggregates verify` recounts and compares.

Lock order, the same for every writer, so that writers wait for each other but never
deadlock: the member's row first, then the person's, then the count rows in (organization,
dimension, value) order in one statement, then the audit chain's head.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.utils.translation import gettext_lazy as _

from hoso.orgs.models import Organization

# Statuses of the members in the Party (ACTIVE_STATUSES of members.py, which imports this).
IN_PARTY = frozenset({"probationary", "official", "exempted", "suspended"})
# The person's columns that are counted, and the member's.
PERSON_FIELDS = frozenset({"sex", "birth_date", "birth_year", "ethnicity", "religion", "education"})
MEMBER_FIELDS = frozenset({"status", "organization", "organization_id", "org_path", "person"})
UPSERT_ROWS = 500  # rows of one INSERT ... ON CONFLICT statement


class Dimension(models.TextChoices):
    STATUS = "status", _("status")
    SEX = "sex", _("sex")
    BIRTH_YEAR = "birth_year", _("year of birth")
    ETHNICITY = "ethnicity", _("ethnicity")
    RELIGION = "religion", _("religion")
    EDUCATION = "education", _("general education")


class MemberCount(models.Model):
    """How many member records of `organization`'s subtree have `value` in `dimension`."""

    pk = models.CompositePrimaryKey("organization", "dimension", "value")
    # No constraint in the database: the rebuild writes millions of rows, each of which a
    # foreign key would check; nodes are never deleted (Organization.delete raises). The
    # primary key's index starts with the organization.
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    dimension = models.CharField(max_length=16, choices=Dimension.choices)
    value = models.CharField(max_length=64, blank=True)  # "" for none recorded
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("member count")
        verbose_name_plural = _("member counts")

    def __str__(self) -> str:
        return f"{self.organization_id} {self.dimension}={self.value!r}: {self.n}"


@dataclass(frozen=True)
class State:
    """What of one member record is counted, as stored."""

    status: str
    org_path: str
    sex: str
    birth_year: int | None
    ethnicity: str
    religion: str
    education: str
    person_id: int = 0  # not counted: whose attributes these are

    def counted(self) -> list[tuple[str, str]]:
        keys = [(Dimension.STATUS.value, self.status)]
        if self.status in IN_PARTY:
            year = "" if self.birth_year is None else str(self.birth_year)
            keys += [
                (Dimension.SEX.value, self.sex or ""),
                (Dimension.BIRTH_YEAR.value, year),
                (Dimension.ETHNICITY.value, self.ethnicity or ""),
                (Dimension.RELIGION.value, self.religion or ""),
                (Dimension.EDUCATION.value, self.education or ""),
            ]
        return keys


class Tally:
    """Net changes to the counts by (organization path, dimension, value), applied to every
    ancestor of each path at once: one sorted statement per UPSERT_ROWS rows."""

    def __init__(self) -> None:
        self.changes: Counter[tuple[str, str, str]] = Counter()

    def add(self, state: State | None, sign: int = 1) -> None:
        if state is not None:
            for dimension, value in state.counted():
                self.changes[(state.org_path, dimension, value)] += sign

    def deltas(self) -> dict[tuple[int, str, str], int]:
        """(organization id, dimension, value) -> change, for every ancestor-or-self."""
        step = Organization.steplen
        paths = {path for (path, _d, _v), n in self.changes.items() if n}
        prefixes = {p[:i] for p in paths for i in range(step, len(p) + 1, step)}
        ids = _ids_of(prefixes)
        deltas: Counter[tuple[int, str, str]] = Counter()
        for (path, dimension, value), n in self.changes.items():
            if not n:
                continue
            for i in range(step, len(path) + 1, step):
                found = ids.get(path[:i])
                if found is not None:
                    deltas[(found, dimension, value)] += n
        return {key: n for key, n in deltas.items() if n}

    def apply(self) -> int:
        rows = sorted(self.deltas().items())
        add(rows)
        return len(rows)


def _ids_of(paths: Iterable[str]) -> dict[str, int]:
    wanted = sorted(paths)
    found: dict[str, int] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        found.update(Organization.objects.filter(path__in=chunk).values_list("path", "id"))
    return found


def add(rows: list[tuple[tuple[int, str, str], int]]) -> None:
    """Add each change to its row (created at 0 if missing), in the order given: sorted by
    the caller, so that concurrent writers lock the rows they share in the same order."""
    table = MemberCount._meta.db_table
    with connection.cursor() as cur:
        for i in range(0, len(rows), UPSERT_ROWS):
            chunk = rows[i : i + UPSERT_ROWS]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            params: list[Any] = [x for (org, dim, value), n in chunk for x in (org, dim, value, n)]
            cur.execute(
                f"INSERT INTO {table} (organization_id, dimension, value, n) "  # noqa: S608
                f"VALUES {values} ON CONFLICT (organization_id, dimension, value) "
                f"DO UPDATE SET n = {table}.n + excluded.n",
                params,
            )


# ---- the model layer's maintenance: Member.save() and Person.save() --------------------------

_STATE = (
    "SELECT m.status, m.org_path, p.sex, p.birth_year, p.ethnicity, p.religion, p.education, "
    "m.person_id "
    "FROM people_member m JOIN people_person p ON p.id = m.person_id WHERE m.id = %s"
)


def _lock(sql: str, params: list[Any]) -> int | None:
    """The id the statement finds, its row locked for the rest of the transaction (SQLite
    serialises writers: no row lock needed)."""
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cur:
        cur.execute(sql, params)
        found = cur.fetchone()
    return None if found is None else int(found[0])


def state_of(member_id: int | None) -> State | None:
    """The counted state of a member as stored now (after taking its lock, a fresh read)."""
    if member_id is None:
        return None
    with connection.cursor() as cur:
        cur.execute(_STATE, [member_id])
        found = cur.fetchone()
    return None if found is None else State(*found)


def lock_member(member_id: int | None) -> State | None:
    """Lock a member's row and read its counted state (None: not stored yet)."""
    if member_id is None:
        return None
    found = _lock("SELECT id FROM people_member WHERE id = %s", [member_id])
    return state_of(found)


def after_save(before: State | None, member: Any, fields: Iterable[str] | None) -> State | None:
    """The state a member's save just wrote (`fields`: the columns written, None: all): its
    own columns as saved, the person's as read under the lock (a person's counted change takes
    the member's lock first, so they cannot have moved meanwhile). A new record, or one given
    another person, is read again."""
    if before is None or before.person_id != member.person_id:
        return state_of(member.pk)
    return dataclasses.replace(before, **_written(member, fields, ("status", "org_path")))


def person_saved(before: State | None, person: Any, fields: Iterable[str] | None) -> State | None:
    """The state after a save of the member's person: the person's columns as saved."""
    if before is None:
        return None
    names = ("sex", "birth_year", "ethnicity", "religion", "education")
    return dataclasses.replace(before, **_written(person, fields, names))


def _written(obj: Any, fields: Iterable[str] | None, names: tuple[str, ...]) -> dict[str, Any]:
    saved = None if fields is None else set(fields)
    return {name: getattr(obj, name) for name in names if saved is None or name in saved}


def lock_member_of(person_id: int) -> int | None:
    """Lock the row of the person's member, if any, before the person's row is written."""
    return _lock("SELECT id FROM people_member WHERE person_id = %s", [person_id])


def counted(fields: Iterable[str] | None, names: frozenset[str]) -> bool:
    """Does a save of these fields (None: all) touch what is counted?"""
    return fields is None or not names.isdisjoint(fields)


def changed(before: State | None, after: State | None) -> None:
    """Move one member record's counts from `before` to `after` (None: not a record)."""
    if before == after:
        return
    tally = Tally()
    tally.add(before, -1)
    tally.add(after, +1)
    tally.apply()
