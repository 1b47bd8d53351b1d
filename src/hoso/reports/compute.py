"""Computing an indicator for an organization and a period, as one viewer may see it.

An organization's figure counts its whole subtree (path prefix). The breakdown by the
organizations directly below is one grouped query on the first characters of the records'
organization path (a child's path is its parent's plus one step), so it costs what the total
costs. An additive figure's total is the sum of its parts; a distinct count (persons) is
recomputed over the whole subtree, since one person may appear under two children.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr

from hoso.access import policy
from hoso.lib.periods import Period
from hoso.orgs.models import Organization
from hoso.reports import counters, persons
from hoso.reports.indicators import REGISTRY, Indicator, Text


@dataclass
class Category:
    value: Any
    label: Text
    n: int


@dataclass
class Part:
    """The figure of one organization directly below (or of the organization itself, `org`
    None: records kept at that level, not below it)."""

    org: Organization | None
    n: int
    by: dict[Any, int] = field(default_factory=dict)


@dataclass
class Figure:
    indicator: Indicator
    org: Organization
    period: Period
    total: int
    categories: list[Category]
    parts: list[Part] | None = None  # None when not asked for


def may_see(user: Any, indicator: Indicator, org: Organization) -> bool:
    """Is `org`'s whole subtree in the viewer's scope for the indicator's action?"""
    return any(org.path.startswith(p) for p in policy.scope_paths(user, indicator.action))


def visible(user: Any, org: Organization) -> list[Indicator]:
    return [ind for ind in REGISTRY.values() if may_see(user, ind, org)]


def records(user: Any, indicator: Indicator, org: Organization, period: Period) -> QuerySet[Any]:
    """The records that make the figure: those the viewer sees, in the subtree, in the period."""
    qs = indicator.records(user, period)
    return qs.filter(**{f"{indicator.path}__startswith": org.path})


def compute(
    user: Any, indicator: Indicator, org: Organization, period: Period, *, parts: bool = False
) -> Figure:
    if indicator.aggregate is not None:  # exact counters kept by the app (see Indicator)
        served = indicator.aggregate(indicator, user, org, period, parts)
        if served is not None:
            total, categories, found = served
            return Figure(indicator, org, period, total, categories, found if parts else None)
    counted = from_counters(user, indicator, org, period, parts=parts)
    if counted is not None:
        return counted
    return grouped(user, indicator, org, period, parts=parts)


def grouped(
    user: Any, indicator: Indicator, org: Organization, period: Period, *, parts: bool = False
) -> Figure:
    """The figure as grouped queries over the records compute it."""
    qs = records(user, indicator, org, period).order_by()
    categories = _categories(indicator, qs)
    if indicator.by:
        total = sum(c.n for c in categories) if indicator.additive else _count(indicator, qs)
    else:
        total = categories[0].n if categories else 0
    figure = Figure(indicator, org, period, total, categories)
    if parts:
        figure.parts = _parts(indicator, qs, org)
    return figure


def _measure(indicator: Indicator) -> Count:
    if indicator.distinct is None:
        return Count("pk")
    return Count(indicator.distinct, distinct=True)


def _count(indicator: Indicator, qs: QuerySet[Any]) -> int:
    found: int = qs.aggregate(n=_measure(indicator))["n"]
    return found


def _categories(indicator: Indicator, qs: QuerySet[Any]) -> list[Category]:
    if not indicator.by:
        return [Category("", indicator.label, _count(indicator, qs))]
    shown = indicator.by_label or indicator.by
    rows = qs.values(indicator.by, shown).annotate(n=_measure(indicator))
    counts: dict[Any, int] = defaultdict(int)
    labels: dict[Any, Any] = {}
    for row in rows:
        counts[row[indicator.by]] += row["n"]
        labels[row[indicator.by]] = row[shown]
    return ordered(indicator, counts, labels)


def ordered(indicator: Indicator, counts: dict[Any, int], labels: dict[Any, Any]) -> list[Category]:
    """The categories of a figure: the known values first, then the others by name, "not
    recorded" last."""
    if not indicator.by:
        return [Category("", indicator.label, sum(counts.values()))]
    known = indicator.categories() if indicator.categories else {}
    order = [*known, *sorted((v for v in counts if v not in known), key=_sort_key(labels))]
    return [
        Category(value, indicator.label_for(value, labels.get(value)), counts.get(value, 0))
        for value in order
    ]


def _sort_key(labels: dict[Any, Any]) -> Any:
    return lambda value: (value in (None, ""), str(labels.get(value) or value))


def _parts(indicator: Indicator, qs: QuerySet[Any], org: Organization) -> list[Part]:
    """The figure of each organization directly below `org`, and of `org` itself."""
    width = len(org.path) + Organization.steplen
    grouped = qs.annotate(part=Substr(indicator.path, 1, width))
    keys = ["part", indicator.by] if indicator.by else ["part"]
    counts: dict[str, Part] = {}
    for row in grouped.values(*keys).annotate(n=_measure(indicator)):
        part = counts.setdefault(row["part"], Part(None, 0))
        part.n += row["n"]
        if indicator.by:
            part.by[row[indicator.by]] = part.by.get(row[indicator.by], 0) + row["n"]
    # A person under two categories is one person of the part.
    if indicator.by and not indicator.additive:
        for row in grouped.values("part").annotate(n=_measure(indicator)):
            counts[row["part"]].n = row["n"]
    children = _children(org)
    parts = [
        Part(child, counts[child.path].n if child.path in counts else 0, _by(counts, child.path))
        for child in children
        if child.is_open or child.path in counts
    ]
    if org.path in counts:
        parts.insert(0, counts[org.path])
    return parts


def _by(counts: dict[str, Part], path: str) -> dict[Any, int]:
    return counts[path].by if path in counts else {}


# ---- served by the casework counters (counters.py) -------------------------------------------


def from_counters(
    user: Any, indicator: Indicator, org: Organization, period: Period, *, parts: bool
) -> Figure | None:
    """The figure from the casework counters; None when they cannot serve this viewer."""
    if not counters.serves(indicator.code, user, indicator.action, org):
        return None
    if indicator.code == persons.CODE:  # distinct: the narrow rows, grouped as the records
        narrow = replace(indicator, records=persons.records, path="org_path", distinct="who")
        figure = grouped(user, narrow, org, period, parts=parts)
        figure.indicator = indicator
        return figure
    children = _children(org) if parts else []
    found = counters.sums(indicator.code, user, org, children, period)
    named = counters.values_of(indicator.code, {k for by in found.values() for k in by if by[k]})
    counts = {node: _as_values(by, named) for node, by in found.items()}
    labels = {value: shown for value, shown in named.values()}
    mine = counts[org.pk]
    figure = Figure(indicator, org, period, sum(mine.values()), ordered(indicator, mine, labels))
    if parts:
        figure.parts = _served_parts(indicator, org, children, counts)
    return figure


def _children(org: Organization) -> list[Organization]:
    below = {"path__startswith": org.path, "depth": org.depth + 1}
    return list(Organization.objects.filter(**below).order_by("path"))


def _as_values(by_key: dict[str, int], named: dict[str, tuple[Any, Any]]) -> dict[Any, int]:
    """Counter categories to the values the records are grouped by (names merged)."""
    found: dict[Any, int] = defaultdict(int)
    for key, n in by_key.items():
        if n:
            found[named[key][0]] += n
    return found


def _served_parts(
    indicator: Indicator,
    org: Organization,
    children: list[Organization],
    counts: dict[int, dict[Any, int]],
) -> list[Part]:
    """The organizations directly below (open ones, and closed ones still counting), and the
    records kept at `org` itself: its subtree's counts less its children's."""
    below = []
    for child in children:
        by = {v: n for v, n in counts[child.pk].items() if n}
        n = sum(by.values())
        if child.is_open or n:
            below.append(Part(child, n, by if indicator.by else {}))
    mine = counts[org.pk]
    here = {v: n - sum(p.by.get(v, 0) for p in below) for v, n in mine.items()}
    if not indicator.by:
        left = sum(mine.values()) - sum(p.n for p in below)
        return [Part(None, left), *below] if left else below
    here = {v: n for v, n in here.items() if n}
    return [Part(None, sum(here.values()), here), *below] if here else below
