"""Exact member aggregates: the reads that the reports and the reconciliation make, the rebuild
from scratch and the check (`hoso aggregates rebuild | verify`).

The table and its maintenance in the transaction of each change are in models/counts.py. An
organization's rows count its whole subtree, so:
- a figure is the organization's rows for one dimension (a few rows, whatever the members);
- its breakdown by the organizations directly below is their rows (children × values);
- the records kept at the organization itself, not below it, are its rows minus its children's.

The rebuild and the check recount with one grouped statement per dimension, over two working
tables filled once: the counted columns of every member record (the members and persons are
read once), and each organization's ancestors-or-self (the prefixes of its path); the records
are counted by organization and value, and each count added to every ancestor.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from hoso.orgs.models import Organization
from hoso.people.models import ACTIVE_STATUSES, Dimension, MemberCount
from hoso.people.models.counts import Tally, add

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


def records(org: Organization) -> int:
    """Member records of every status (those who left or died too) in org's subtree."""
    return sum(counts(org, Dimension.STATUS).values())


def in_party(org: Organization) -> int:
    """Members in the Party (probationary, official, exempted, suspended) in org's subtree."""
    by_status = counts(org, Dimension.STATUS)
    return sum(by_status.get(status, 0) for status in ACTIVE_STATUSES)


# ---- rebuild and check -----------------------------------------------------------------------

# Two working tables of the recount, for the length of one transaction:
# - hoso_anc: each organization with every ancestor-or-self (the prefixes of its path);
# - hoso_leaf: the counted columns of every member record, with its organization, so that the
#   members and persons are read once, not once per dimension.
_WORK = ("hoso_anc", "hoso_leaf", "hoso_counts")
_COLUMN = {
    Dimension.STATUS: "status",
    Dimension.SEX: "sex",
    Dimension.BIRTH_YEAR: "birth_year",
    Dimension.ETHNICITY: "ethnicity",
    Dimension.RELIGION: "religion",
    Dimension.EDUCATION: "education",
}


def _drop_work(cur: Any) -> None:
    for name in _WORK:
        cur.execute(f"DROP TABLE IF EXISTS {name}")


def _prepare(cur: Any) -> None:
    """Fill the working tables from the members as the transaction sees them."""
    _drop_work(cur)
    if connection.vendor == "postgresql":
        cur.execute("SET LOCAL work_mem = '256MB'")  # the groupings fit in memory
    step = Organization.steplen
    depth = Organization.objects.order_by("-depth").values_list("depth", flat=True).first() or 1
    levels = " UNION ALL ".join(f"SELECT {k} AS k" for k in range(1, depth + 1))
    cur.execute(
        "CREATE TEMPORARY TABLE hoso_anc AS "  # noqa: S608
        "SELECT o.id AS org_id, a.id AS ancestor_id FROM orgs_organization o "
        f"JOIN ({levels}) d ON LENGTH(o.path) >= d.k * {step} "
        f"JOIN orgs_organization a ON a.path = SUBSTR(o.path, 1, d.k * {step})"
    )
    # One row per member record, by its copy of its organization's path (what scope and the
    # reports filter on): the members and persons are joined once, not once per dimension.
    cur.execute(
        "CREATE TEMPORARY TABLE hoso_leaf AS "
        "SELECT o.id AS org_id, m.status AS status, p.sex AS sex, p.birth_year AS birth_year, "
        "p.ethnicity AS ethnicity, p.religion AS religion, p.education AS education "
        "FROM people_member m JOIN people_person p ON p.id = m.person_id "
        "JOIN orgs_organization o ON o.path = m.org_path"
    )
    if connection.vendor == "postgresql":
        cur.execute("ANALYZE hoso_anc")
        cur.execute("ANALYZE hoso_leaf")


def _recount(dimension: str) -> tuple[str, list[Any]]:
    """(SELECT organization_id, value, n of every organization's subtree, its parameters),
    over the working tables: one grouped statement per dimension (the records counted by
    their own organization first, then each count added to that organization's ancestors)."""
    column = _COLUMN[Dimension(dimension)]
    params: list[Any] = [] if dimension == Dimension.STATUS else list(ACTIVE_STATUSES)
    where = f"WHERE status IN ({', '.join(['%s'] * len(params))})" if params else ""
    # Years are grouped as numbers (faster), written as text ("" for none recorded).
    value = "COALESCE(CAST(own.v AS VARCHAR(8)), '')" if column == "birth_year" else "own.v"
    sql = (
        f"SELECT a.ancestor_id AS organization_id, {value} AS value, "  # noqa: S608
        "CAST(SUM(own.n) AS BIGINT) AS n "
        f"FROM (SELECT org_id, {column} AS v, COUNT(*) AS n FROM hoso_leaf {where} "
        f"GROUP BY org_id, {column}) own "
        "JOIN hoso_anc a ON a.org_id = own.org_id GROUP BY a.ancestor_id, own.v"
    )
    return sql, params


def rebuild() -> dict[str, int]:
    """Recount every organization's rows from the members; call inside a transaction.

    Writers of counts are held off first (PostgreSQL: SHARE lock, which waits for those in
    flight to commit, so the recount sees every change whose counts it replaces; SQLite: one
    writer at a time), the recount is computed aside, and only the final copy empties and
    refills the table (readers wait for that part only)."""
    written: dict[str, int] = {}
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"LOCK TABLE {TABLE} IN SHARE MODE")
        _prepare(cur)
        cur.execute(
            "CREATE TEMPORARY TABLE hoso_counts "
            "(organization_id BIGINT, dimension VARCHAR(16), value VARCHAR(64), n BIGINT)"
        )
        for dimension in Dimension:
            sql, params = _recount(dimension)
            cur.execute(
                "INSERT INTO hoso_counts (organization_id, dimension, value, n) "  # noqa: S608
                f"SELECT r.organization_id, %s, r.value, r.n FROM ({sql}) r",
                [dimension.value, *params],
            )
            written[dimension.value] = cur.rowcount
        _refill(cur)
        _drop_work(cur)
    return written


def _refill(cur: Any) -> None:
    copy = (
        f"INSERT INTO {TABLE} (organization_id, dimension, value, n) "  # noqa: S608
        "SELECT organization_id, dimension, value, n FROM hoso_counts"
    )
    if connection.vendor != "postgresql":
        cur.execute(f"DELETE FROM {TABLE}")  # noqa: S608
        cur.execute(copy)
        return
    # The table is locked for the rest of the transaction by TRUNCATE: its key is dropped and
    # built again once, a sort, rather than maintained row by row (4 times faster at 1M rows).
    constraints = connection.introspection.get_constraints(cur, TABLE)
    key = next(name for name, c in constraints.items() if c["primary_key"])
    cur.execute(f"TRUNCATE {TABLE}")
    cur.execute(f'ALTER TABLE {TABLE} DROP CONSTRAINT "{key}"')
    cur.execute(copy)
    cur.execute(
        f'ALTER TABLE {TABLE} ADD CONSTRAINT "{key}" '
        "PRIMARY KEY (organization_id, dimension, value)"
    )


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
    """(rows compared, the rows whose stored count differs from a recount). One transaction,
    one snapshot (PostgreSQL: REPEATABLE READ): a change committed meanwhile is on both sides
    or on neither."""
    compared, found = 0, []
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql" and not _inside_transaction_already():
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        _prepare(cur)
        for dimension in Dimension:
            found += _compare(cur, dimension)
            cur.execute(
                f"SELECT COUNT(*) FROM {TABLE} WHERE dimension = %s AND n <> 0",  # noqa: S608
                [dimension.value],
            )
            compared += int(cur.fetchone()[0])
        _drop_work(cur)
    return compared, found


def _inside_transaction_already() -> bool:
    """An outer block (a caller's, a test's) has run statements: the isolation level is
    its own, and its single connection sees nothing concurrent anyway."""
    return len(connection.atomic_blocks) > 1


def _compare(cur: Any, dimension: Dimension) -> list[Difference]:
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
    return [
        Difference(org_id, dimension.value, value, counted, stored)
        for (org_id, value), (counted, stored) in sorted(pairs.items())
    ]


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
