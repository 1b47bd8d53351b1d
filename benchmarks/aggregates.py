"""Benchmark: the member stock figures from the exact aggregates (PostgreSQL).

Measured in one run, each beside its baseline as a ratio:
- the six member stocks (status, sex, age, ethnicity, religion, education) with the breakdown
  by the organizations directly below, through `reports.compute`, for one province and for the
  nation: served by the aggregates, against hand-written grouped SQL over people_member (one
  statement per stock giving the categories and the parts) and against the grouped queries
  the reports ran before (compute without the aggregate);
- `hoso aggregates rebuild` and `verify` on the whole database;
- concurrent writers: officers recording life-cycle events at once (each an audited
  transaction that also moves the nation's count rows), against the same moves with the
  count maintenance switched off in this process.

Targets (issue 13): the whole report ≤ 300 ms for a province, ≤ 1 s for the nation.

Usage: python benchmarks/aggregates.py [--members 1000000] [--keep NAME] [--runs 20]
With --keep NAME an existing database is reused (migrated, loaded with synth if empty).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import statistics
import subprocess
import threading
import time
from typing import Any

from common import HOSO, compare, machine, row, scratch_database, setup_django, timed

STOCKS = (
    "members.status",
    "members.sex",
    "members.age",
    "members.ethnicity",
    "members.religion",
    "members.education",
)
IN_PARTY = "('probationary', 'official', 'exempted', 'suspended')"
# (value over people_member m / people_person p, in the Party only) of each stock.
RAW = {
    "members.status": ("m.status", False),
    "members.sex": ("p.sex", True),
    "members.age": (
        "CASE WHEN p.birth_year IS NULL THEN '' WHEN p.birth_year >= %(y)s - 30 THEN '30'"
        " WHEN p.birth_year >= %(y)s - 40 THEN '31-40' WHEN p.birth_year >= %(y)s - 50"
        " THEN '41-50' WHEN p.birth_year >= %(y)s - 60 THEN '51-60' ELSE '61' END",
        True,
    ),
    "members.ethnicity": ("p.ethnicity", True),
    "members.religion": ("p.religion", True),
    "members.education": ("p.education", True),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--keep", default="")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--base-runs", type=int, default=3, help="runs of the slow baselines")
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--moves", type=int, default=40, help="moves per writer")
    args = parser.parse_args()
    with scratch_database(args.keep) as env:
        setup_django(env)
        from django.db import connection

        from hoso.people.models import Member

        if not Member.objects.exists():
            started = time.perf_counter()
            command = [*HOSO, "synth", "--members", str(args.members), "--seed", "42"]
            subprocess.run(command, env=env, check=True)
            print(f"synth (with its rebuild): {time.perf_counter() - started:.1f} s")
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        print(f"machine: {machine()}")
        figures(args.runs, args.base_runs)
        rebuild_and_verify()
        writers(args.writers, args.moves)


def _head(org: Any) -> Any:
    from hoso.access.models import Grant, User

    user = User.objects.create_user(f"bench_aggr_{time.time_ns()}", clearance=1)
    Grant.objects.create(user=user, organization=org, role="head")
    return user


def raw_figures(org: Any, year: int) -> list[Any]:
    """The same numbers by hand-written SQL: per stock one grouped statement over the members
    of the subtree, by (organization directly below, value)."""
    from django.db import connection

    width = len(org.path) + 4
    found = []
    with connection.cursor() as cur:
        for code in STOCKS:
            value, in_party = RAW[code]
            value = value % {"y": year}
            join = "JOIN people_person p ON p.id = m.person_id" if in_party else ""
            where = f"AND m.status IN {IN_PARTY}" if in_party else ""
            cur.execute(
                f"SELECT SUBSTR(m.org_path, 1, {width}), {value}, COUNT(*) "
                f"FROM people_member m {join} WHERE m.org_path LIKE %s {where} GROUP BY 1, 2",
                [org.path + "%"],
            )
            found.append(cur.fetchall())
    return found


def figures(runs: int, base_runs: int) -> None:
    from hoso.lib.periods import parse
    from hoso.orgs.models import Level, Organization
    from hoso.people.models import Member
    from hoso.reports import compute, indicators

    period = parse("2026-9m")
    nation = Organization.objects.filter(depth=1).order_by("-numchild")[0]
    province = Organization.objects.filter(level=Level.PROVINCIAL, path__startswith=nation.path)[0]
    chosen = [indicators.REGISTRY[c] for c in STOCKS]
    plain = [dataclasses.replace(i, aggregate=None) for i in chosen]
    for org in (province, nation):
        head = _head(org)
        members = Member.objects.filter(org_path__startswith=org.path).count()
        print(f"\n{org.name}: {members:,} member records, {org.numchild} organizations below")

        def served(head: Any = head, org: Any = org) -> list[Any]:
            return [compute.compute(head, i, org, period, parts=True) for i in chosen]

        def grouped(head: Any = head, org: Any = org) -> list[Any]:
            return [compute.compute(head, i, org, period, parts=True) for i in plain]

        same = [_described(f) for f in served()] == [_described(f) for f in grouped()]
        print(f"  figures identical to the grouped queries: {same}")
        o50, o95 = timed(served, runs)
        r50, _ = timed(lambda org=org: raw_figures(org, period.end.year), base_runs)
        g50, _ = timed(grouped, base_runs)
        row("  six stocks with parts, aggregates p50", o50, r50, "ms")
        row("  six stocks with parts, aggregates p95", o95, r50, "ms")
        print(f"  (baseline: hand-written grouped SQL, median of {base_runs})")
        row("  the grouped queries of before, p50", g50, r50, "ms")
        for code, indicator in zip(STOCKS, chosen, strict=True):
            compare(
                f"  {code}",
                lambda i=indicator, h=head, o=org: compute.compute(h, i, o, period, parts=True),
                lambda c=code, o=org: _one_raw(c, o, period.end.year),
                runs=base_runs,
            )


def _one_raw(code: str, org: Any, year: int) -> Any:
    from django.db import connection

    value, in_party = RAW[code]
    value = value % {"y": year}
    join = "JOIN people_person p ON p.id = m.person_id" if in_party else ""
    where = f"AND m.status IN {IN_PARTY}" if in_party else ""
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT SUBSTR(m.org_path, 1, {len(org.path) + 4}), {value}, COUNT(*) "
            f"FROM people_member m {join} WHERE m.org_path LIKE %s {where} GROUP BY 1, 2",
            [org.path + "%"],
        )
        return cur.fetchall()


def _described(figure: Any) -> Any:
    categories = [(c.value, c.n) for c in figure.categories]
    parts = [(p.org.pk if p.org else None, p.n, p.by) for p in figure.parts or []]
    return figure.total, categories, parts


def rebuild_and_verify() -> None:
    from hoso.people import actions

    started = time.perf_counter()
    written = actions.aggregates.rebuild()
    took = time.perf_counter() - started
    print(f"\nrebuild: {sum(written.values()):,} rows in {took:.1f} s ({written})")
    started = time.perf_counter()
    compared, found = actions.aggregates.verify()
    took = time.perf_counter() - started
    print(f"verify: {compared:,} rows compared, {len(found)} differences, {took:.1f} s")


def writers(count: int, moves: int) -> None:
    """`count` officers at once, each suspending and reinstating members of its own province
    (every move an audited transaction that also moves the nation's rows)."""
    from django.db import connection

    from hoso.orgs.models import Level, Organization
    from hoso.people import actions
    from hoso.people.models import Member, counts
    from hoso.people.transitions import Move

    provinces = list(Organization.objects.filter(level=Level.PROVINCIAL).order_by("path"))
    heads = [_head(provinces[i % len(provinces)]) for i in range(count)]
    chosen = [
        list(
            Member.objects.filter(
                org_path__startswith=provinces[i % len(provinces)].path, status="official"
            ).order_by("id")[i * moves : (i + 1) * moves]
        )
        for i in range(count)
    ]

    def run(label: str) -> tuple[float, list[float]]:
        errors: list[BaseException] = []
        latencies: list[float] = []
        start = threading.Barrier(count)

        def officer(i: int) -> None:
            try:
                start.wait()
                for member in chosen[i]:
                    member.refresh_from_db()
                    for move in (Move.SUSPEND, Move.REINSTATE):
                        began = time.perf_counter()
                        actions.members.record_move(
                            heads[i], member, move, date=dt.date(2026, 5, 4), decision_number="1"
                        )
                        latencies.append((time.perf_counter() - began) * 1000)
            except BaseException as exc:
                errors.append(exc)
            finally:
                connection.close()

        began = time.perf_counter()
        threads = [threading.Thread(target=officer, args=(i,)) for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        if errors:
            raise RuntimeError(f"{label}: {len(errors)} writers failed: {errors[0]!r}")
        return elapsed, latencies

    original = counts.counted
    counts.counted = lambda fields, names: False  # type: ignore[assignment]
    try:
        base_time, base_lat = run("without counts")
    finally:
        counts.counted = original  # type: ignore[assignment]
    actions.aggregates.rebuild()  # the baseline's moves were not counted
    ours_time, ours_lat = run("with counts")
    total = 2 * count * moves
    print(f"\nconcurrent writers: {count} officers x {2 * moves} life-cycle events, {total} in all")
    row("  events per second", total / ours_time, total / base_time, "/s")
    row(
        "  latency of one event p50", statistics.median(ours_lat), statistics.median(base_lat), "ms"
    )
    p95 = int(len(ours_lat) * 0.95) - 1
    row("  latency of one event p95", sorted(ours_lat)[p95], sorted(base_lat)[p95], "ms")
    compared, found = actions.aggregates.verify()
    print(f"  after them: verify {compared:,} rows, {len(found)} differences, no deadlock")


if __name__ == "__main__":
    main()
