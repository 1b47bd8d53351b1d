"""Benchmark: bulk synthetic load and subtree queries on PostgreSQL.

Creates a scratch database, runs `hoso synth`, and prints each figure next to a baseline
measured in the same run on the same server, as a ratio:

- synth load      vs  server-side INSERT ... SELECT generate_series of the same rows (no Python)
- subtree orgs    vs  the raw SQL `path LIKE 'prefix%'` query
- commune members vs  the raw SQL join, first page ordered by sort_key

Usage: python benchmarks/synth.py [--members 1000000] [--seed 42] [--keep]
Needs a PostgreSQL server reachable as the current user through /var/run/postgresql.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import psycopg

SOCKET = "/var/run/postgresql"


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    """(median, p95) in milliseconds over `runs` calls after one warm-up call."""
    fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def row(label: str, ours: float, base: float, unit: str) -> None:
    print(
        f"{label:<34} {ours:>10.2f} {unit}   baseline {base:>10.2f} {unit}   ratio {ours / base:5.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    db = f"hoso_bench_{os.getpid()}"
    with psycopg.connect(f"dbname=postgres host={SOCKET}", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{db}"')
    env = {
        **os.environ,
        "HOSO_DATABASE_URL": f"postgresql:///{db}?host={SOCKET}",
        "HOSO_DEBUG": "1",
        "HOSO_HTTPS": "0",
    }
    hoso = [sys.executable, "-m", "hoso.cli"]
    try:
        subprocess.run([*hoso, "migrate", "-v0"], env=env, check=True)
        started = time.perf_counter()
        subprocess.run(
            [*hoso, "synth", "--members", str(args.members), "--seed", str(args.seed)],
            env=env,
            check=True,
        )
        synth_s = time.perf_counter() - started
        os.environ.update(env)
        measure(db, args.members, synth_s)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            with psycopg.connect(f"dbname=postgres host={SOCKET}", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{db}"')


def baseline_load(cur: Any, members: int) -> float:
    """Server-side generation of the same number of person and member rows: the floor."""
    started = time.perf_counter()
    cur.execute("CREATE TEMP TABLE bp AS SELECT * FROM people_person WITH NO DATA")
    cur.execute("CREATE TEMP TABLE bm AS SELECT * FROM people_member WITH NO DATA")
    cur.execute(
        "INSERT INTO bp (id, family_name, middle_name, given_name, name_folded, sort_key, sex,"
        " birth_date, birth_date_precision, home_town, citizen_id) SELECT i, 'Nguyễn', 'Văn', 'An', 'nguyen van an', '\\x2a2b'::bytea, 'M',"
        " date '1970-01-01' + (i %% 20000), 'day', 'xã Hòa Bình, Hà Nội',"
        " lpad(i::text, 12, '0') FROM generate_series(1, %s) i",
        [members],
    )
    cur.execute(
        "INSERT INTO bm (id, person_id, organization_id, status, card_number, admitted_on,"
        " official_on) SELECT i, i, 1, 'official', lpad(i::text, 10, '0'),"
        " date '1990-01-01', date '1991-01-01' FROM generate_series(1, %s) i",
        [members],
    )
    return time.perf_counter() - started


def measure(db: str, members: int, synth_s: float) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoso.config.settings")
    django.setup()
    from django.db import connection

    from hoso.access.models import Grant, User
    from hoso.orgs.models import Level, Organization
    from hoso.people.models import Member

    with connection.cursor() as cur:
        base_s = baseline_load(cur, members)
        cur.execute("ANALYZE")
    print(
        f"machine: {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}"
        f" · {connection.cursor().connection.info.server_version}"
    )
    print(f"members {members:,} · organizations {Organization.objects.count():,}")
    row("synth load (s)", synth_s, base_s, "s ")

    province = Organization.objects.filter(level=Level.PROVINCIAL).order_by("path")[0]
    commune = Organization.objects.get_children(province)[0]
    head = User.objects.create_user("bench_head")
    Grant.objects.create(user=head, organization=province, role="head")
    clerk = User.objects.create_user("bench_clerk")
    Grant.objects.create(user=clerk, organization=commune, role="clerk")

    def orm_orgs() -> None:
        list(Organization.objects.visible_to(head).values_list("id", "name"))

    def raw_orgs() -> None:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT id, name FROM orgs_organization WHERE path LIKE %s ORDER BY path",
                [province.path + "%"],
            )
            cur.fetchall()

    def orm_members() -> None:
        qs = Member.objects.visible_to(clerk).select_related("person")
        list(qs.order_by("person__sort_key")[:50])

    def raw_members() -> None:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT m.*, p.* FROM people_member m JOIN people_person p ON p.id = m.person_id"
                " JOIN orgs_organization o ON o.id = m.organization_id"
                " WHERE o.path LIKE %s ORDER BY p.sort_key LIMIT 50",
                [commune.path + "%"],
            )
            cur.fetchall()

    n_orgs = Organization.objects.visible_to(head).count()
    for label, ours, base in [
        (f"province subtree, {n_orgs:,} orgs p50", orm_orgs, raw_orgs),
        ("commune members, first 50 p50", orm_members, raw_members),
    ]:
        o50, o95 = timed(ours, 50)
        b50, b95 = timed(base, 50)
        row(label, o50, b50, "ms")
        row(label.replace("p50", "p95"), o95, b95, "ms")


if __name__ == "__main__":
    main()
