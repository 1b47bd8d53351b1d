"""Exact casework counters: the figures of cases, conclusions, requests, help for others,
petitions, trips and member events, served from reports.IndicatorCount rows (whatever the
records in the scope), kept in the transaction of every change, rebuilt and checked by
`hoso aggregates rebuild | verify`.

The points of each record (ledgers.py) are counted by month and by year under every ancestor
of its organization, by category, secrecy level and restriction:
- an event figure for a period is the sum of its points in the period's months (a year's row
  for each whole year); the days of a month the period covers only in part (a cut-off day
  other than the month's end) are counted from the records of those days;
- a state figure at the period's end is the sum of its points up to then, when the period
  ends on a month's last day; at another day it is computed from the records.

Only what the viewer may see is summed: a viewer with the whole subtree in scope, the levels
up to their clearance, and restricted cases only for the heads and leaders who see them all
(anyone else: computed from the records, which apply the restriction).

Maintenance: the models' save and delete signals (connected in apps.py) read the points of the
records the object concerns before the write and after it, in the same transaction, and add
the difference. A writer that bypasses the models (synth, a bulk import of events) rebuilds.
Lock order, as for the member counts: the record first, then the counter rows in key order.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, Q, Sum
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from hoso.access import policy
from hoso.lib.bulkrows import write_rows
from hoso.lib.periods import Period
from hoso.orgs.models import Organization
from hoso.reports.ledgers import BY_CODE, CODES, LEDGERS, RESTRICTED, STATES, Ledger, Place, Point
from hoso.reports.models import IndicatorCount

TABLE = IndicatorCount._meta.db_table
UPSERT_ROWS = 500
# (indicator, organization id, span, day, category, classification, restricted)
Key = tuple[str, int, str, dt.date, str, int, bool]
# The same at the record's own organization, before the ancestors and spans.
Own = tuple[str, int, dt.date, str, int, bool]


# ---- points to counter rows ------------------------------------------------------------------


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _year(day: dt.date) -> dt.date:
    return day.replace(month=1, day=1)


def add_points(own: Counter[Own], place: Place, points: Iterable[Point], sign: int = 1) -> None:
    for p in points:
        key = (p.code, place.organization_id, _month(p.day), p.category)
        own[(*key, place.classification, place.restricted)] += sign
        if p.until is not None:
            end = (p.code, place.organization_id, _month(p.until), p.category)
            own[(*end, place.classification, place.restricted)] -= sign


def spread(own: Counter[Own]) -> Counter[Key]:
    """Each own-organization count added to every ancestor-or-self, by month and by year."""
    paths = _paths({key[1] for key, n in own.items() if n})
    step = Organization.steplen
    ids = _ids_of({p[:i] for p in paths.values() for i in range(step, len(p) + 1, step)})
    rows: Counter[Key] = Counter()
    for (code, org, month, category, cls, res), n in own.items():
        if not n or org not in paths:
            continue
        path = paths[org]
        for i in range(step, len(path) + 1, step):
            ancestor = ids.get(path[:i])
            if ancestor is not None:
                rows[(code, ancestor, "m", month, category, cls, res)] += n
                rows[(code, ancestor, "y", _year(month), category, cls, res)] += n
    return Counter({key: n for key, n in rows.items() if n})


def _paths(org_ids: set[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    wanted = sorted(org_ids)
    for i in range(0, len(wanted), 500):
        rows = Organization.objects.filter(pk__in=wanted[i : i + 500]).values_list("pk", "path")
        found.update(rows)
    return found


def _ids_of(paths: Iterable[str]) -> dict[str, int]:
    wanted = sorted(paths)
    found: dict[str, int] = {}
    for i in range(0, len(wanted), 500):
        rows = Organization.objects.filter(path__in=wanted[i : i + 500]).values_list("path", "pk")
        found.update(rows)
    return found


_COLUMNS = "indicator, organization_id, span, day, category, classification, restricted"


def add(rows: Counter[Key]) -> None:
    """Add each change to its row (created at 0 if missing), in key order, so that concurrent
    writers lock the rows they share in the same order."""
    ordered = sorted(rows.items())
    with connection.cursor() as cur:
        for i in range(0, len(ordered), UPSERT_ROWS):
            chunk = ordered[i : i + UPSERT_ROWS]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            params = [x for key, n in chunk for x in (*key, n)]
            cur.execute(
                f"INSERT INTO {TABLE} ({_COLUMNS}, n) VALUES {values} "  # noqa: S608
                f"ON CONFLICT ({_COLUMNS}) DO UPDATE SET n = {TABLE}.n + excluded.n",
                params,
            )


# ---- maintenance in the transaction of each change -------------------------------------------

# The ledgers each model's writes concern: [(ledger, the records an object concerns)].
_WATCHED: dict[type[Model], list[tuple[Ledger, Any]]] = {}
_pending = threading.local()


def _lock(ledger: Ledger, pks: list[int]) -> None:
    """Lock the records (PostgreSQL), so two writers of one record take turns. A save outside
    any transaction (a shell) cannot hold a lock: its counts follow in their own statements."""
    if pks and connection.features.has_select_for_update and connection.in_atomic_block:
        rows = ledger.model._default_manager.filter(pk__in=pks).order_by("pk")
        list(rows.select_for_update().values_list("pk", flat=True))


def _concerned(concerns: Any, instance: Model) -> list[int]:
    """The records an object's write concerns (a new record: none yet before it is saved)."""
    return sorted({pk for pk in concerns(instance) if pk is not None})


def _before(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures loaded as they are: rebuild after
    saved: list[tuple[Ledger, Any, list[int], Counter[Own]]] = []
    for ledger, concerns in _WATCHED.get(sender, ()):
        pks = _concerned(concerns, instance)
        _lock(ledger, pks)
        own: Counter[Own] = Counter()
        for place, points in ledger.read(pks) if pks else ():
            add_points(own, place, points)
        saved.append((ledger, concerns, pks, own))
    stack = getattr(_pending, "stack", None)
    if stack is None:
        stack = _pending.stack = {}
    stack.setdefault(id(instance), []).append(saved)


def _after(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    waiting = getattr(_pending, "stack", {}).get(id(instance))
    if not waiting:
        return
    saved = waiting.pop()
    if not waiting:
        del _pending.stack[id(instance)]
    for ledger, concerns, pks, own in saved:
        now = sorted(set(pks) | set(_concerned(concerns, instance)))
        for place, points in ledger.read(now) if now else ():
            add_points(own, place, points, -1)
        # `own` is before minus after: the change to apply is its opposite.
        change = spread(Counter({k: -n for k, n in own.items() if n}))
        if change:
            add(change)


def connect() -> None:
    """Connect the maintenance to the models' writes (from ReportsConfig.ready)."""
    for ledger in LEDGERS:
        for model, concerns in ledger.watch.items():
            _WATCHED.setdefault(model, []).append((ledger, concerns))
    for model in _WATCHED:
        uid = f"reports.counters.{model._meta.label}"
        pre_save.connect(_before, sender=model, dispatch_uid=uid + ".pre_save")
        post_save.connect(_after, sender=model, dispatch_uid=uid + ".post_save")
        pre_delete.connect(_before, sender=model, dispatch_uid=uid + ".pre_delete")
        post_delete.connect(_after, sender=model, dispatch_uid=uid + ".post_delete")


# ---- rebuild and check -----------------------------------------------------------------------


def recount() -> Counter[Key]:
    """Every counter row, counted again from all the records (one pass over each kind)."""
    own: Counter[Own] = Counter()
    for ledger in LEDGERS:
        for place, points in ledger.read():
            add_points(own, place, points)
    return spread(own)


def rebuild() -> int:
    """Empty and refill the counters from the records; call inside a transaction. Writers of
    counters are held off first (PostgreSQL: SHARE lock, which waits for those in flight)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"LOCK TABLE {TABLE} IN SHARE MODE")
        rows = recount()
        cur.execute(f"DELETE FROM {TABLE}")  # noqa: S608
    # COPY on PostgreSQL (millions of rows at the national level), no model instances.
    columns = (*_COLUMNS.split(", "), "n")
    write_rows(
        TABLE, columns, ((*key[:3], key[3].isoformat(), *key[4:], n) for key, n in rows.items())
    )
    return len(rows)


@dataclass(frozen=True)
class Difference:
    key: Key
    counted: int
    stored: int

    @property
    def organization_id(self) -> int:
        return self.key[1]

    def line(self, codes: dict[int, str]) -> str:
        code, org, span, day, category, cls, res = self.key
        where = codes.get(org, f"#{org}")
        return (
            f"{code} {where} {span}{day:%Y-%m} {category!r} cls={cls} restricted={res}: "
            f"counted {self.counted}, stored {self.stored}"
        )


def differences() -> tuple[int, list[Difference]]:
    """(rows compared, rows whose stored count differs from a recount), in one snapshot."""
    with transaction.atomic():
        if connection.vendor == "postgresql" and len(connection.atomic_blocks) == 1:
            with connection.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        counted = recount()
        stored: Counter[Key] = Counter()
        for row in (
            IndicatorCount.objects.exclude(n=0)
            .values_list(
                "indicator",
                "organization_id",
                "span",
                "day",
                "category",
                "classification",
                "restricted",
                "n",
            )
            .iterator(chunk_size=10000)
        ):
            stored[tuple(row[:7])] = row[7]  # type: ignore[index]
    found = [
        Difference(key, counted.get(key, 0), stored.get(key, 0))
        for key in sorted(set(counted) | set(stored))
        if counted.get(key, 0) != stored.get(key, 0)
    ]
    return len(stored), found


# ---- a moved organization (orgs.hooks.MOVED) -------------------------------------------------


def moved(old: str, new: str) -> None:
    """The moved node's rows (its subtree's counts) leave its old ancestors and join the new."""
    node = Organization.objects.filter(path=new).values_list("id", flat=True).first()
    if node is None:
        return
    step = Organization.steplen
    ancestors = _ids_of({x[:k] for x in (old, new) for k in range(step, len(x), step)})
    was = {ancestors[old[:k]] for k in range(step, len(old), step) if old[:k] in ancestors}
    now = {ancestors[new[:k]] for k in range(step, len(new), step) if new[:k] in ancestors}
    changes: Counter[Key] = Counter()
    fields = ("indicator", "span", "day", "category", "classification", "restricted", "n")
    for code, span, day, category, cls, res, n in (
        IndicatorCount.objects.filter(organization_id=node).exclude(n=0).values_list(*fields)
    ):
        for org in was - now:
            changes[(code, org, span, day, category, cls, res)] -= n
        for org in now - was:
            changes[(code, org, span, day, category, cls, res)] += n
    add(changes)


# ---- reads -----------------------------------------------------------------------------------


def _last_of_month(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def months(start: dt.date, end: dt.date) -> tuple[Q | None, list[tuple[dt.date, dt.date]]]:
    """(the counter rows of the whole months from `start` to `end`, the spans of days left
    over at either edge). A whole year is its year row, the other whole months their rows."""
    first = start if start.day == 1 else _next_month(start)
    stop = _next_month(end) if _last_of_month(end) else end.replace(day=1)  # excluded
    if first >= stop:
        return None, [(start, end)]
    edges = [(start, first - dt.timedelta(days=1))] if start < first else []
    if stop <= end:
        edges.append((stop, end))
    year_first = first if first.month == 1 else dt.date(first.year + 1, 1, 1)
    year_stop = dt.date(stop.year, 1, 1)
    if year_first >= year_stop:
        return Q(span="m", day__gte=first, day__lt=stop), edges
    rows = Q(span="y", day__gte=year_first, day__lt=year_stop)
    if first < year_first:
        rows |= Q(span="m", day__gte=first, day__lt=year_first)
    if year_stop < stop:
        rows |= Q(span="m", day__gte=year_stop, day__lt=stop)
    return rows, edges


EARLIEST = dt.date(1900, 1, 1)
Sums = dict[int, Counter[str]]  # {organization id: {category: n}}


def sums(
    code: str, user: Any, org: Organization, children: list[Organization], period: Period
) -> Sums:
    """The figure of `org` and of each of `children` for the period, by category, as the
    viewer may count it: the counter rows of the whole months, and the points of the records
    dated on the days of a month the period covers only in part."""
    if code in STATES:  # everything up to the period's end
        rows, edges = months(EARLIEST, period.end)
    else:
        rows, edges = months(period.start, period.end)
    found: Sums = {node.pk: Counter() for node in (org, *children)}
    if rows is not None:
        qs = IndicatorCount.objects.filter(rows, indicator=code, organization_id__in=list(found))
        qs = qs.filter(classification__lte=user.clearance)
        for node, category, n in (
            qs.values("organization_id", "category")
            .annotate(total=Sum("n"))
            .values_list("organization_id", "category", "total")
        ):
            found[node][category] += n
    for start, end in edges:
        _add_days(found, code, user, org, children, start, end)
    return found


def _add_days(
    found: Sums,
    code: str,
    user: Any,
    org: Organization,
    children: list[Organization],
    start: dt.date,
    end: dt.date,
) -> None:
    """Add the points of `code` dated from start to end (an event's day, a state's beginning
    as +1 and its end as -1) of the records of org's subtree the viewer may count."""
    ledger = BY_CODE[code]
    points = list(ledger.between(org.path, start, end))
    paths = _paths({place.organization_id for place, _points in points})
    width = len(org.path) + Organization.steplen
    child_of = {c.path: c.pk for c in children}
    for place, marks in points:
        if place.classification > user.clearance:
            continue
        child = child_of.get(paths.get(place.organization_id, "")[:width])
        for p in marks:
            if p.code != code:
                continue
            n = int(start <= p.day <= end) - int(p.until is not None and start <= p.until <= end)
            if n:
                found[org.pk][p.category] += n
                if child is not None:
                    found[child][p.category] += n


def serves(code: str, user: Any, action: str, org: Organization) -> bool:
    """May the counters serve this viewer for this subtree? The whole subtree in scope, and
    restricted cases seen by the viewer wherever they are in it (heads and leaders)."""
    if code not in CODES:
        return False
    if not any(org.path.startswith(p) for p in policy.scope_paths(user, action)):
        return False
    return code not in RESTRICTED or policy.restricted_clause(user, action, involved=Q()) is None


# ---- categories: a counter's key to the value and name the records show ----------------------


def _case_types(keys: set[str]) -> dict[str, tuple[Any, Any]]:
    from hoso.vetting.models import CaseType

    names = dict(CaseType.objects.filter(code__in=keys).values_list("code", "current__name"))
    return {k: (k, names.get(k)) for k in keys}


def _committees(keys: set[str]) -> dict[str, tuple[Any, Any]]:
    ids = {int(k) for k in keys if k}
    names = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "name"))
    return {k: (int(k), names.get(int(k))) for k in keys if k}


def _addressees(keys: set[str]) -> dict[str, tuple[Any, Any]]:
    from hoso.vetting.models import Addressee

    names = dict(
        Addressee.objects.filter(pk__in=[int(k) for k in keys if k]).values_list("pk", "name")
    )
    return {k: (names.get(int(k)), names.get(int(k))) for k in keys if k}


def _bodies(keys: set[str]) -> dict[str, tuple[Any, Any]]:
    """Help for others: "a<id>" a directory entry (its name), "t<name>" a name as typed."""
    entries = _addressees({k[1:] for k in keys if k.startswith("a")})
    found = {}
    for key in keys:
        name = entries[key[1:]][0] if key.startswith("a") else key[1:]
        found[key] = (name, name)
    return found


def _outcomes(keys: set[str]) -> dict[str, tuple[Any, Any]]:
    from hoso.vetting.models import Conclusion

    found = {}
    for key in keys:
        label = (
            Conclusion.objects.filter(outcome=key)
            .order_by("-pk")
            .values_list("outcome_label", flat=True)
            .first()
        )
        found[key] = (key, label)
    return found


def _cadre_categories(keys: set[str]) -> dict[str, tuple[Any, Any]]:
    from hoso.cadres.models import ManagementCategory

    names = dict(ManagementCategory.objects.filter(code__in=keys).values_list("code", "name"))
    return {k: (k or None, names.get(k)) for k in keys}


_NAMED = {
    "cases.received": _case_types,
    "cases.received.committee": _committees,
    "cases.concluded": _case_types,
    "cases.withdrawn": _case_types,
    "cases.open": _case_types,
    "cases.overdue": _case_types,
    "conclusions.outcome": _outcomes,
    "requests.issued": _addressees,
    "requests.answered": _addressees,
    "requests.overdue": _addressees,
    "help.received": _bodies,
    "help.answered": _bodies,
    "help.overdue": _bodies,
    "trips.approved_by_category": _cadre_categories,
}


def values_of(code: str, keys: set[str]) -> dict[str, tuple[Any, Any]]:
    """{counter category: (the value the records are grouped by, its name)}."""
    named = _NAMED.get(code)
    if named is None:
        return {k: (k, k) for k in keys}
    return named(keys)


def fill_if_empty(**kwargs: Any) -> None:
    """After `migrate`: an installation upgraded to the counters (none stored, records held)
    gets them counted once. Not in a migration: the ledgers read today's models, which older
    migrations of the other apps may not have reached yet."""
    if IndicatorCount.objects.exists():
        return
    if not any(ledger.model._default_manager.exists() for ledger in LEDGERS):
        return
    with transaction.atomic():
        rebuild()
