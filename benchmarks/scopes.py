"""Benchmark: the member list's first page and name search, scope by scope (issue 15, item 1).

For sampled scopes of every size (communes and units at depth 3, base organizations at depth
4, provinces, the nation), an officer granted there opens the member list (page 1) and
searches by name; each figure is printed beside the raw SQL of the same statement, run on the
same connection, as a ratio. The worst scope of each kind is printed too: the target is every
scope, not the median one.

Usage: python benchmarks/scopes.py [--members 5000000] [--keep NAME] [--sample 60]
Targets (issue 15): list page 1 ≤ 30 ms for every sampled scope; name search p95 ≤ 20 ms in a
province and ≤ 3× its raw SQL; national prefix and any-order search ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import time
from collections.abc import Callable
from typing import Any

from common import HOSO, machine, row, scratch_database, setup_django, timed
from members import QUERIES as SEARCHES  # the same four searches as members.py


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=5_000_000)
    parser.add_argument("--keep", default="")
    parser.add_argument("--sample", type=int, default=60, help="scopes sampled per kind")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per scope")
    parser.add_argument("--search-only", action="store_true", help="skip the list pages")
    args = parser.parse_args()
    with scratch_database(args.keep) as env:
        setup_django(env)
        from hoso.people.models import Member

        if not Member.objects.exists():
            synth = [*HOSO, "synth", "--members", str(args.members), "--seed", "42"]
            subprocess.run(synth, env=env, check=True)
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("VACUUM (ANALYZE) people_member")
        print(f"machine: {machine()}")
        print(f"members {Member.objects.count():,}")
        if not args.search_only:
            lists(args.sample, args.runs)
        searches()


def officer(org: Any) -> Any:
    from hoso.access.models import Grant, User

    user = User.objects.create_user(f"bench_scope_{time.time_ns()}", organization=org)
    Grant.objects.create(user=user, organization=org, role="head")
    return user


def statement(qs: Any) -> tuple[str, Any]:
    """The SQL and parameters Django sends for `qs` (to run the same statement raw)."""
    sql, params = qs.query.sql_with_params()
    return sql, params


def ours_and_raw(user: Any, text: str) -> tuple[Callable[[], Any], Callable[[], Any], int]:
    from django.db import connection

    from hoso.people.filters import MemberFilterForm
    from hoso.people.models import Member
    from hoso.people.search import _name_order, page

    def scoped() -> Any:
        form = MemberFilterForm({"q": text, "org": "", "status": ""})
        return form.apply(Member.objects.visible_to(user), user).select_related(
            "person", "organization"
        )

    shown, _ = page(scoped())
    # The statement page() sends: its ordering and the extra row that tells if a page follows.
    qs = scoped()
    sql, params = statement(qs.order_by(_name_order(qs), "id")[:51])

    def raw() -> None:
        with connection.cursor() as cur:
            cur.execute(sql, params)
            cur.fetchall()

    return (lambda: page(scoped())), raw, len(shown)


def scopes(sample: int) -> dict[str, list[Any]]:
    from hoso.orgs.models import Organization

    rng = random.Random(15)
    by_depth: dict[str, list[Any]] = {}
    for label, depth in (("commune or unit (depth 3)", 3), ("base organization (depth 4)", 4)):
        ids = list(Organization.objects.filter(depth=depth).values_list("pk", flat=True))
        by_depth[label] = list(Organization.objects.filter(pk__in=rng.sample(ids, sample)))
    provinces = list(Organization.objects.filter(depth=2))
    by_depth["province (depth 2)"] = rng.sample(provinces, min(sample, len(provinces), 10))
    by_depth["nation (root)"] = list(Organization.objects.filter(depth=1))
    return by_depth


def lists(sample: int, runs: int) -> None:
    print("== list page 1 (current members, name order), each scope's own officer")
    for kind, orgs in scopes(sample).items():
        ours_ms, raw_ms = [], []
        for org in orgs:
            ours, raw, _ = ours_and_raw(officer(org), "")
            ours_ms.append(timed(ours, runs)[0])
            raw_ms.append(timed(raw, runs)[0])
        label = f"{kind}, {len(orgs)} scopes"
        row(f"{label}: median", statistics.median(ours_ms), statistics.median(raw_ms), "ms")
        row(f"{label}: worst", max(ours_ms), max(raw_ms), "ms")


def searches() -> None:
    from hoso.orgs.models import Organization

    province = Organization.objects.filter(depth=2).order_by("path")[0]
    nation = Organization.objects.get(depth=1)
    for where, org in ((f"province {province.name}", province), ("nation", nation)):
        print(f"== name search, {where}")
        user = officer(org)
        for label, text in SEARCHES.items():
            ours, raw, shown = ours_and_raw(user, text)
            o50, o95 = timed(ours, 30)
            b50, b95 = timed(raw, 30)
            row(f"{label} ({shown} shown) p50", o50, b50, "ms")
            row(f"{label} ({shown} shown) p95", o95, b95, "ms")


if __name__ == "__main__":
    main()
