"""Exact member aggregates: the reads that the reports and the reconciliation make, the rebuild
from scratch and the check (`hoso aggregates rebuild | verify`).

The table and its maintenance in the transaction of each change are in models/counts.py. An
organization's rows count its whole subtree, so:
- a figure is the organization's rows for one dimension (a few rows, whatever the members);
- its breakdown by the organizations directly below is their rows (children × values);
- the records kept at the organization itself, not below it, are its rows minus its children's.

The rebuild and the check recount with one grouped statement per dimension: the members
grouped by (organization path, value), each group added to every ancestor-or-self of its
path (the prefixes of 4, 8, ... characters, joined on the path's index), grouped again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection

from hoso.orgs.models import Organization
from hoso.people.models import ACTIVE_STATUSES, Dimension, MemberCount
from hoso.people.models.counts import Tally, add

# (value of a member's row, counted for the members in the Party only)
_VALUE = {
    Dimension.STATUS: ("m.status", False),
    Dimension.SEX: ("p.sex", True),
    Dimension.BIRTH_YEAR: ("COALESCE(CAST(p.birth_year AS VARCHAR(8)), '')", True),
    Dimension.ETHNICITY: ("p.ethnicity", True),
    Dimension.RELIGION: ("p.religion", True),
    Dimension.EDUCATION: ("p.education", True),
}
TABLE = MemberCount._meta.db_table


# ---- reads -----------------------------------------------------------------------------------


def counts_of(org_ids: Iterable[int], dimension: str) -> dict[int, dict[str, int]]:
    """{organization id: {value: members}} of each organization's whole subtree (values with
    no member left out)."""
    found: dict[int, dict[str, int]] = {}
    rows = (
        MemberCount.objects.filter(organization_id__in=list(org_ids), dimension=dimension)
        .exclude(n=0)
        .values_list("organization_id", "value", "n")
    )
    for org_id, value, n in rows:
        found.setdefault(org_id, {})[value] = n
    return found


def counts(org: Organization, dimension: str) -> dict[str, int]:
    return counts_of([org.pk], dimension).get(org.pk, {})


def in_party(org: Organization) -> int:
    """Members in the Party (probationary, official, exempted, suspended) in org's subtree."""
    by_status = counts(org, Dimension.STATUS)
    return sum(by_status.get(status, 0) for status in ACTIVE_STATUSES)


# ---- rebuild and check -----------------------------------------------------------------------


def _recount(dimension: str) -> tuple[str, list[Any]]:
    """(SELECT organization_id, value, n of every organization's subtree, its parameters)."""
    value, in_party_only = _VALUE[Dimension(dimension)]
    person = "JOIN people_person p ON p.id = m.person_id" if in_party_only else ""
    params: list[Any] = list(ACTIVE_STATUSES) if in_party_only else []
    where = f"WHERE m.status IN ({', '.join(['%s'] * len(params))})" if in_party_only else ""
    step = Organization.steplen
    depth = Organization.objects.order_by("-depth").values_list("depth", flat=True).first() or 1
    levels = " UNION ALL ".join(f"SELECT {k} AS k" for k in range(1, depth + 1))
    sql = (
        "SELECT o.id AS organization_id, g.v AS value, CAST(SUM(g.n) AS BIGINT) AS n "  # noqa: S608
        f"FROM (SELECT m.org_path AS path, {value} AS v, COUNT(*) AS n "
        f"FROM people_member m {person} {where} GROUP BY m.org_path, {value}) g "
        f"JOIN ({levels}) d ON LENGTH(g.path) >= d.k * {step} "
        f"JOIN orgs_organization o ON o.path = SUBSTR(g.path, 1, d.k * {step}) "
        "GROUP BY o.id, g.v"
    )
    return sql, params


def rebuild() -> dict[str, int]:
    """Recount every organization's rows from the members; call inside a transaction. Other
    writers of counts wait for it (PostgreSQL: TRUNCATE's table lock; SQLite: one writer)."""
    written: dict[str, int] = {}
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"TRUNCATE {TABLE}")
        else:
            cur.execute(f"DELETE FROM {TABLE}")  # noqa: S608
        for dimension in Dimension:
            sql, params = _recount(dimension)
            cur.execute(
                f"INSERT INTO {TABLE} (organization_id, dimension, value, n) "  # noqa: S608
                f"SELECT r.organization_id, %s, r.value, r.n FROM ({sql}) r",
                [dimension.value, *params],
            )
            written[dimension.value] = cur.rowcount
    return written


@dataclass(frozen=True)
class Difference:
    organization_id: int
    dimension: str
    value: str
    counted: int  # recounted from the members now
    stored: int  # in the table

    def line(self, codes: dict[int, str]) -> str:
        org = codes.get(self.organization_id, f"#{self.organization_id}")
        return (
            f"{org} {self.dimension}={self.value!r}: counted {self.counted}, stored {self.stored}"
        )


def differences() -> tuple[int, list[Difference]]:
    """(rows compared, the rows whose stored count differs from a recount). Each dimension is
    compared in one statement, so a change committed meanwhile is on both sides or neither."""
    compared, found = 0, []
    with connection.cursor() as cur:
        for dimension in Dimension:
            sql, params = _recount(dimension)
            cur.execute(
                f"WITH r AS ({sql}), s AS (SELECT organization_id, value, "  # noqa: S608
                f"CAST(n AS BIGINT) AS n FROM {TABLE} WHERE dimension = %s AND n <> 0) "
                "SELECT 'r', organization_id, value, n FROM "
                "(SELECT * FROM r EXCEPT SELECT * FROM s) a UNION ALL "
                "SELECT 's', organization_id, value, n FROM "
                "(SELECT * FROM s EXCEPT SELECT * FROM r) b",
                [*params, dimension.value],
            )
            pairs: dict[tuple[int, str], list[int]] = {}
            for side, org_id, value, n in cur.fetchall():
                pair = pairs.setdefault((org_id, value), [0, 0])
                pair[0 if side == "r" else 1] = int(n)
            found += [
                Difference(org_id, dimension.value, value, counted, stored)
                for (org_id, value), (counted, stored) in sorted(pairs.items())
            ]
            cur.execute(
                f"SELECT COUNT(*) FROM {TABLE} WHERE dimension = %s AND n <> 0",  # noqa: S608
                [dimension.value],
            )
            compared += int(cur.fetchone()[0])
    return compared, found


# ---- a moved organization (orgs.hooks.MOVED) -------------------------------------------------


def moved(old: str, new: str) -> None:
    """A node moved from path `old` to `new`: its subtree's counts (its own rows, unchanged)
    leave the old ancestors and join the new ones; the ancestors both share do not change.
    Called after the tree and the members' paths are rewritten, in the move's transaction."""
    node = Organization.objects.filter(path=new).values_list("id", flat=True).first()
    if node is None:
        return
    step = Organization.steplen
    ancestors = {
        p: i
        for p, i in Organization.objects.filter(
            path__in=[x[:k] for x in (old, new) for k in range(step, len(x), step)]
        ).values_list("path", "id")
    }
    was = {ancestors[old[:k]] for k in range(step, len(old), step) if old[:k] in ancestors}
    now = {ancestors[new[:k]] for k in range(step, len(new), step) if new[:k] in ancestors}
    rows = MemberCount.objects.filter(organization_id=node).exclude(n=0)
    changes: dict[tuple[int, str, str], int] = {}
    for dimension, value, n in rows.values_list("dimension", "value", "n"):
        for org_id in was - now:
            changes[(org_id, dimension, value)] = -n
        for org_id in now - was:
            changes[(org_id, dimension, value)] = n
    add(sorted(changes.items()))


__all__ = ["Difference", "Tally", "counts", "counts_of", "differences", "in_party", "rebuild"]
