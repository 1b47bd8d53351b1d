"""Benchmark: the organization picker's search (orgs/search.py) at national scale (PostgreSQL).

Each search is printed next to the same queries written by hand in SQL (the code, the capped
size of the scope, the matches in the scope ordered and limited, the ancestors' names), as a
ratio; then next to each of the two ways alone (the GIN index over the whole tree, LIKE over
every name of the scope), to show that the cost follows the smaller of the scope and the
matches. Also: the fragment's whole HTTP request, rendering a form field as the <select> of
the scope it replaced and as the picker, and (with --backfill) the migration filling the
columns of an existing tree.

Usage: python benchmarks/orgs.py [--members 1000000] [--keep NAME] [--backfill]
"""

from __future__ import annotations

import argparse
import subprocess
import time
from typing import Any

from common import HOSO, compare, machine, row, scratch_database, setup_django, timed

QUERIES = {
    "communes 'dang uy xa'": "dang uy xa",
    "typing 'thanh uy h'": "thanh uy h",
    "place 'hoa binh'": "hoa binh",
    "cells 'chi bo 1' (dense)": "chi bo 1",
    "one letter 'c'": "c",
    "a code": "",  # filled with a commune's code
    "empty (scope and units)": " ",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--keep", default="")
    parser.add_argument("--backfill", action="store_true")
    args = parser.parse_args()
    with scratch_database(args.keep) as env:
        setup_django(env)
        from hoso.orgs.models import Organization

        if not Organization.objects.filter(code="SYN42").exists():
            subprocess.run(
                [*HOSO, "synth", "--members", str(args.members), "--seed", "42"],
                env=env,
                check=True,
            )
            analyze()
        if args.backfill:
            backfill(env)
        measure()


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def backfill(env: dict[str, str]) -> None:
    """The migration on the loaded tree: columns dropped (back to 0001), then added and
    filled again."""
    from django.db import connections

    connections.close_all()
    subprocess.run([*HOSO, "migrate", "orgs", "0001", "-v0"], env=env, check=True)
    started = time.perf_counter()
    subprocess.run([*HOSO, "migrate", "orgs", "0002", "-v0"], env=env, check=True)
    print(f"migration 0002 (columns, backfill, GIN index): {time.perf_counter() - started:.1f} s")
    analyze()


def raw(cur: Any, paths: list[str], text: str) -> list[Any]:
    """orgs.search.find by hand: the code, the size of the scope (capped), the matches in the
    scope (LIKE over a small one, the GIN index for a large one), their ancestors' names."""
    from hoso.orgs.search import SMALL_SCOPE, Terms

    terms = Terms.parse(text)
    scope = " OR ".join(["o.path LIKE %s"] * len(paths))
    prefixes = [p + "%" for p in paths]
    columns = (
        "o.id, o.path, o.depth, o.numchild, o.name, o.short_name, o.code, o.level,"
        " o.valid_from, o.valid_to, o.closed_reason, o.search_name, o.sort_key"
    )
    code = text.strip().upper()
    if code and " " not in code:
        cur.execute(
            f"SELECT {columns} FROM orgs_organization o WHERE ({scope})"
            " AND o.valid_to IS NULL AND o.code = %s LIMIT 1",
            [*prefixes, code],
        )
        cur.fetchall()
    args: list[Any] = list(prefixes)
    if terms:
        cur.execute(
            f"SELECT o.id FROM orgs_organization o WHERE ({scope}) AND o.valid_to IS NULL"
            " LIMIT 1 OFFSET %s",
            [*prefixes, SMALL_SCOPE],
        )
        if cur.fetchall():
            parts = [*terms.words, *([f"{terms.prefix}:*"] if terms.prefix else [])]
            match = "to_tsvector('simple', o.search_name) @@ to_tsquery('simple', %s)"
            args.append(" & ".join(parts))
        else:
            likes = [f"% {w} %" for w in terms.words] + (
                [f"% {terms.prefix}%"] if terms.prefix else []
            )
            match = " AND ".join(["o.search_name LIKE %s"] * len(likes))
            args += likes
    else:
        match = (
            "(o.path = ANY(%s) OR ("
            + " OR ".join(["(o.path LIKE %s AND o.depth = %s)"] * len(paths))
            + "))"
        )
        args.append(paths)
        for p in paths:
            args += [p + "%", len(p) // 4 + 1]
    cur.execute(
        f"SELECT {columns} FROM orgs_organization o WHERE ({scope}) AND o.valid_to IS NULL"
        f" AND {match} ORDER BY o.depth, o.sort_key, o.id LIMIT 20",
        args,
    )
    hits = cur.fetchall()
    wanted = sorted({h[1][:end] for h in hits for end in range(8, len(h[1]), 4)})
    cur.execute(
        f"SELECT o.path, o.name FROM orgs_organization o WHERE ({scope}) AND o.path = ANY(%s)",
        [*prefixes, wanted],
    )
    cur.fetchall()
    return hits


def one_way(cur: Any, paths: list[str], text: str, indexed: bool) -> None:
    """The matches found one way only: through the GIN index, or by LIKE over the scope."""
    from hoso.orgs.search import Terms

    terms = Terms.parse(text)
    scope = " OR ".join(["path LIKE %s"] * len(paths))
    if indexed:
        parts = [*terms.words, *([f"{terms.prefix}:*"] if terms.prefix else [])]
        match, args = (
            "to_tsvector('simple', search_name) @@ to_tsquery('simple', %s)",
            [" & ".join(parts)],
        )
    else:
        args = [f"% {w} %" for w in terms.words] + ([f"% {terms.prefix}%"] if terms.prefix else [])
        match = " AND ".join(["search_name LIKE %s"] * len(args))
    cur.execute(
        f"SELECT id FROM orgs_organization WHERE ({scope}) AND valid_to IS NULL AND {match}"
        " ORDER BY depth, sort_key, id LIMIT 20",
        [*(p + "%" for p in paths), *args],
    )
    cur.fetchall()


def measure() -> None:
    from django.db import connection
    from django.test import Client

    from hoso.access import policy
    from hoso.access.models import Grant, User
    from hoso.orgs import search
    from hoso.orgs.forms import OrgChoiceField, OrgPickerField
    from hoso.orgs.models import Level, Organization

    root = Organization.objects.get(code="SYN42")
    tree = Organization.objects.filter(path__startswith=root.path)
    province = tree.filter(level=Level.PROVINCIAL).order_by("path")[0]
    commune = tree.filter(level=Level.UPPER_BASE, path__startswith=province.path).order_by("path")[
        3
    ]
    QUERIES["a code"] = commune.code
    stamp = time.time_ns()
    users = {}
    for label, node, role in (
        ("national head", root, "head"),
        ("province head", province, "head"),
        ("commune officer", commune, "officer"),
    ):
        user = User.objects.create_user(f"bench_picker_{label[:5]}_{stamp}", clearance=1)
        Grant.objects.create(user=user, organization=node, role=role)
        users[label] = (user, node)
    print(f"machine: {machine()}")
    print(
        f"organizations {Organization.objects.count():,} · {province.name}: "
        f"{tree.filter(path__startswith=province.path).count():,} · {commune.name}: "
        f"{tree.filter(path__startswith=commune.path).count():,}"
    )
    action = policy.Action.MEMBER_VIEW
    for who, (user, _node) in users.items():
        paths = list(policy.scope_paths(user, action))
        for label, text in QUERIES.items():
            shown = len(search.find(user, action, text))
            found = _count(paths, text)

            def base(text: str = text, paths: list[str] = paths) -> None:
                with connection.cursor() as cur:
                    raw(cur, paths, text)

            def ours(user: Any = user, text: str = text) -> None:
                search.find(user, action, text)

            compare(f"{who}: {label} ({shown}/{found:,})", ours, base, runs=30)
            if not text.strip() or label == "a code":
                continue
            ways = {}
            for indexed in (True, False):

                def alone(
                    text: str = text, indexed: bool = indexed, paths: list[str] = paths
                ) -> None:
                    with connection.cursor() as cur:
                        one_way(cur, paths, text, indexed)

                ways[indexed] = timed(alone, 10)[0]
            used = "GIN" if len(search.scoped(user, action)[search.SMALL_SCOPE :][:1]) else "LIKE"
            row(f"   GIN alone vs LIKE over the scope ({used} used)", ways[True], ways[False], "ms")

    user, node = users["province head"]
    client = Client()
    client.force_login(user)

    def fragment() -> None:
        response = client.get("/orgs/pick/", {"action": "member.view", "q": "dang uy xa"})
        assert response.status_code == 200, response.status_code

    paths = list(policy.scope_paths(user, action))

    def fragment_base() -> None:
        with connection.cursor() as cur:
            raw(cur, paths, "dang uy xa")

    compare("fragment GET /orgs/pick/ (province, HTTP)", fragment, fragment_base, runs=30)

    for who in ("national head", "province head"):
        user, node = users[who]
        select = OrgChoiceField(queryset=search.scoped(user, policy.Action.MEMBER_MANAGE))
        picker = OrgPickerField(action=policy.Action.MEMBER_MANAGE)
        picker.limit_to(user)
        size = len(select.widget.render("organization", None))
        o50, _ = timed(lambda picker=picker: picker.widget.render("organization", None), 5)
        s50, _ = timed(lambda select=select: select.widget.render("organization", None), 3)
        row(f"form field, {who}: picker vs <select> ({size // 1024:,} KB)", o50, s50, "ms")
    _explain(users)


def _count(paths: list[str], text: str) -> int:
    """How many organizations of the scope match (LIKE, as the small-scope search)."""
    from django.db import connection

    from hoso.orgs.search import Terms

    terms = Terms.parse(text)
    if not terms:
        return 0
    likes = [f"% {w} %" for w in terms.words] + ([f"% {terms.prefix}%"] if terms.prefix else [])
    scope = " OR ".join(["path LIKE %s"] * len(paths))
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT count(*) FROM orgs_organization WHERE ({scope}) AND valid_to IS NULL AND "
            + " AND ".join(["search_name LIKE %s"] * len(likes)),
            [*(p + "%" for p in paths), *likes],
        )
        return int(cur.fetchone()[0])


def _explain(users: dict[str, Any]) -> None:
    """The plans of the matching query as orgs.search builds it: which index, rows read."""
    from django.db import connection

    from hoso.access import policy
    from hoso.orgs import search

    for who in ("national head", "commune officer"):
        user, _ = users[who]
        for text in ("dang uy xa", "chi bo 1"):
            qs = search._matching(
                search.scoped(user, policy.Action.MEMBER_VIEW), search.Terms.parse(text)
            )
            sql, params = qs.order_by("depth", "sort_key", "id")[:20].query.sql_with_params()
            with connection.cursor() as cur:
                cur.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
                plan = [r[0] for r in cur.fetchall()]
            print(f"-- plan, {who}, {text!r}:")
            for line in plan:
                if any(k in line for k in ("Scan", "Sort Method", "Execution")):
                    print("   " + line.strip())


if __name__ == "__main__":
    main()
