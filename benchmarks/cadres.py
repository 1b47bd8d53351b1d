"""Benchmark: the cadre list, the key-post page, a planning list page and the worker's cadre
sources (PostgreSQL).

Synthetic load on a `hoso synth` tree: a cadre record for one member in three (all members
with --cadres 0), two posts each (one current, a third of them key, a tenth secret, the rest
elected or appointed), the conclusion copies the reminders read (a third without, a third
expiring within the year), and one planning list per commune of 60 entries. Each page figure
is printed next to the member list page of the same scope (the project's reference list
page: keyset pages in name order), as a ratio.

Usage: python benchmarks/cadres.py [--members 300000] [--cadres 100000] [--keep NAME]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import subprocess
import time
from typing import Any

from common import HOSO, compare, machine, scratch_database, setup_django, timed

TODAY = dt.date(2026, 12, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=300_000)
    parser.add_argument("--cadres", type=int, default=100_000)
    parser.add_argument("--keep", default="")
    args = parser.parse_args()
    with scratch_database(args.keep) as env:
        setup_django(env)
        from hoso.cadres.models import Cadre

        if not Cadre.objects.exists():
            if not _members():
                subprocess.run(
                    [*HOSO, "synth", "--members", str(args.members), "--seed", "42"],
                    env=env,
                    check=True,
                )
            started = time.perf_counter()
            load(args.cadres)
            print(f"loaded {args.cadres:,} cadres in {time.perf_counter() - started:.1f} s")
            from django.db import connection

            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        measure()


def _members() -> bool:
    from hoso.people.models import Member

    return Member.objects.exists()


def load(count: int) -> None:
    """Cadres, posts, copies and lists written in bulk (data to read against, not the
    writing path, which the tests exercise through the actions)."""
    from hoso.access.models import User
    from hoso.cadres.models import Cadre, Entry, Plan, Post, PostKind
    from hoso.orgs.models import Level, Organization
    from hoso.people.models import Member

    rng = random.Random(42)
    loader = User.objects.create_user(f"bench_cadres_{time.time_ns()}")
    kinds = list(PostKind.objects.all())
    key = [k for k in kinds if k.key]
    secret = [k for k in kinds if k.secret]
    plain = [k for k in kinds if not (k.key or k.secret)]
    members = list(
        Member.objects.order_by("id").values_list(
            "person_id", "organization_id", "org_path", "sort_key", "search_text"
        )[:count]
    )
    communes = {
        path: pk
        for pk, path in Organization.objects.filter(level=Level.UPPER_BASE).values_list(
            "id", "path"
        )
    }
    by_commune: dict[int, list[int]] = {}
    for start in range(0, len(members), 10_000):
        chunk = members[start : start + 10_000]
        cadres = []
        for person_id, _org_id, path, sort_key, search_text in chunk:
            commune_path = next((p for p in communes if path.startswith(p)), path[:12])
            commune = communes.get(commune_path)
            roll = rng.random()
            until = (
                None
                if roll < 0.33
                else TODAY + dt.timedelta(days=rng.randint(-100, 365 if roll < 0.66 else 2000))
            )
            cadres.append(
                Cadre(
                    person_id=person_id,
                    organization_id=commune,
                    org_path=commune_path,
                    sort_key=sort_key,  # the member's copies are the person's
                    search_text=search_text,
                    conclusion_until=until,
                    created_by=loader,
                )
            )
            by_commune.setdefault(commune or 0, []).append(person_id)
        Cadre.objects.bulk_create(cadres, batch_size=5000)
        posts = []
        for cadre in cadres:
            roll = rng.random()
            kind = rng.choice(key if roll < 0.33 else secret if roll < 0.43 else plain)
            started = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3000))
            posts.append(
                Post(cadre=cadre, kind=kind, title=kind.name, body="UBND", term="2021-2026",
                     elected_body="HĐND", started_on=started, recorded_by=loader)
            )  # fmt: skip
            posts.append(
                Post(cadre=cadre, kind=rng.choice(plain), title="Trước đây", body="UBND",
                     started_on=started - dt.timedelta(days=2000),
                     ended_on=started - dt.timedelta(days=1), recorded_by=loader)
            )  # fmt: skip
        Post.objects.bulk_create(posts, batch_size=5000)
    for commune, people in by_commune.items():
        if not commune:
            continue
        plan = Plan.objects.create(
            organization_id=commune, kind="planning", name="Quy hoạch BTV", term="2030-2035",
            case_types="QUY_HOACH", created_by=loader,
        )  # fmt: skip
        Entry.objects.bulk_create(
            Entry(plan=plan, person_id=p, added_number="1-QĐ", added_on=TODAY, added_by=loader,
                  conclusion_until=TODAY + dt.timedelta(days=rng.randint(-30, 400)))
            for p in people[:60]
        )  # fmt: skip


def measure() -> None:
    from django.db.models import F
    from django.test import RequestFactory

    from hoso.access.models import Grant, User
    from hoso.cadres.conclusions import entry_lines
    from hoso.cadres.due import CADRES, ENTRIES
    from hoso.cadres.forms import CadreFilterForm
    from hoso.cadres.models import Cadre, Plan, Post
    from hoso.cadres.views.records import _key_posts, _listed
    from hoso.notices.due import run_source
    from hoso.orgs.models import Level, Organization
    from hoso.people.filters import MemberFilterForm
    from hoso.people.models import Member
    from hoso.people.search import page

    province = Organization.objects.filter(level=Level.PROVINCIAL).order_by("path")[0]
    commune = Organization.objects.filter(
        level=Level.UPPER_BASE, path__startswith=province.path
    ).order_by("path")[0]
    stamp = time.time_ns()
    head = User.objects.create_user(f"bench_head_{stamp}", clearance=1)
    Grant.objects.create(user=head, organization=province, role="head")
    officer = User.objects.create_user(f"bench_officer_{stamp}", clearance=1)
    Grant.objects.create(user=officer, organization=commune, role="officer")
    print(f"machine: {machine()}")
    print(
        f"persons {Member.objects.count():,} members · cadres {Cadre.objects.count():,}"
        f" · posts {Post.objects.count():,} · lists {Plan.objects.count():,}"
        f" · province scope {Cadre.objects.filter(org_path__startswith=province.path).count():,}"
        f" cadres · commune scope"
        f" {Cadre.objects.filter(org_path__startswith=commune.path).count():,}"
    )
    get = RequestFactory().get

    def cadres(user: Any, **params: str) -> Any:
        def run() -> None:
            form = CadreFilterForm(get("/", params).GET)
            rows, _next = page(_listed(form.apply(Cadre.objects.visible_to(user), user)), "")
            list(rows)

        return run

    def members(user: Any, **params: str) -> Any:
        def run() -> None:
            form = MemberFilterForm(get("/", params).GET)
            qs = form.apply(Member.objects.visible_to(user), user)
            rows, _next = page(qs.select_related("person", "organization"), "")
            list(rows)

        return run

    compare("cadre list, province head, first page", cadres(head), members(head), runs=20)
    compare("cadre list, commune officer, first page", cadres(officer), members(officer), runs=20)
    compare("cadre list, province, key posts", cadres(head, key="on"), members(head), runs=20)
    compare(
        "cadre list, province, name 'nguyen van'",
        cadres(head, q="nguyen van"),
        members(head, q="nguyen van"),
        runs=20,
    )

    def key_posts() -> None:
        list(page(_listed(_key_posts(head)), "")[0])

    compare("key posts without a conclusion, province", key_posts, members(head), runs=20)

    plan = Plan.objects.filter(organization=commune).first()
    if plan is not None:

        def plan_page() -> None:
            qs = plan.entries.annotate(sort_key=F("person__sort_key")).select_related(
                "person", "plan"
            )
            rows, _next = page(qs.filter(removed_on__isnull=True), "", size=100)
            entry_lines(officer, rows)

        compare("planning list page (60 entries)", plan_page, members(officer), runs=20)

    for source in (CADRES, ENTRIES):
        started = time.perf_counter()
        claimed, told = run_source(source, TODAY)
        first = time.perf_counter() - started
        idle, _p95 = timed(lambda source=source: run_source(source, TODAY), runs=5)
        print(
            f"worker {source.name}: first pass {first:.2f} s ({claimed:,} claimed,"
            f" {told:,} told), next pass {idle:.1f} ms"
        )


if __name__ == "__main__":
    main()
