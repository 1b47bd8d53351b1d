"""Benchmark: the home page of a provincial head (issue 13: ≤ 100 ms), on PostgreSQL.

Synthetic load: `hoso synth --members N` (the members, their life-cycle deadlines), then the
cases of `cases.py` (default 500,000 cases over the communes with three numbered
verification requests each: 1,500,000 requests). The caller is the head of one province
(clearance Mật). Printed: the whole page (full HTTP request: every panel's counts, the
quarter's figures read through reports.reads, five audited reads, the chart), each panel
alone, and the officer's and the clerk's pages of one commune; the baseline beside the page
is the same head's overdue case queue (first page, full HTTP request), a page measured fast
in the issue 4 benchmark, so the ratio says what the home page costs against one list.

Usage: python benchmarks/home.py [--members 1000000] [--cases 500000] [--keep NAME]
"""

from __future__ import annotations

import argparse
import subprocess
import time
from typing import Any

from common import HOSO, compare, machine, scratch_database, setup_django, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=500_000)
    parser.add_argument("--keep", default="")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with scratch_database(args.keep) as env:
        setup_django(env)
        from hoso.vetting.models import Case

        if not Case.objects.exists():
            started = time.perf_counter()
            subprocess.run(
                [*HOSO, "synth", "--members", str(args.members), "--seed", "42"],
                env=env,
                check=True,
            )
            import cases

            cases.load(args.cases)
            print(f"loaded in {time.perf_counter() - started:.1f} s")
            from django.db import connection

            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        measure(args.runs)


def _user(name: str, org: Any, role: str) -> Any:
    from hoso.access.models import Grant, User

    user = User.objects.create_user(f"{name}_{time.time_ns()}", clearance=1)
    Grant.objects.create(user=user, organization=org, role=role)
    return user


def measure(runs: int) -> None:
    from django.test import Client
    from django.utils import timezone

    from hoso.orgs.models import Level, Organization
    from hoso.people.models import Member
    from hoso.vetting.models import Case, VerificationRequest
    from hoso.web import home

    province = Organization.objects.filter(level=Level.PROVINCIAL).order_by("path")[0]
    commune = (
        Organization.objects.filter(level=Level.UPPER_BASE, path__startswith=province.path)
        .order_by("path")
        .first()
    )
    head = _user("bench_head", province, "head")
    officer = _user("bench_officer", commune, "officer")
    clerk = _user("bench_clerk", commune, "clerk")
    under = {"organization__path__startswith": province.path}
    print(f"machine: {machine()}")
    print(
        f"members {Member.objects.count():,} · cases {Case.objects.count():,}"
        f" · requests {VerificationRequest.objects.count():,}"
        f" · {province.name}: {Case.objects.filter(**under).count():,} cases,"
        f" {Member.objects.filter(org_path__startswith=province.path).count():,} members"
    )

    def client_of(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def page(client: Client, address: str) -> Any:
        def run() -> None:
            response = client.get(address)
            assert response.status_code == 200, response.status_code

        return run

    heads = client_of(head)
    compare(
        "home page, provincial head (HTTP)",
        page(heads, "/"),
        page(heads, "/cases/?queue=overdue"),
        runs=runs,
    )
    today = timezone.localdate()
    for make in home.PANELS:
        p50, p95 = timed(lambda make=make: make(head, today), runs)
        print(f"  panel {make.__name__:<20} p50 {p50:8.2f} ms   p95 {p95:8.2f} ms")
    for label, user in (("officer", officer), ("clerk", clerk)):
        p50, p95 = timed(page(client_of(user), "/"), runs)
        print(f"home page, commune {label:<8} (HTTP) p50 {p50:8.2f} ms   p95 {p95:8.2f} ms")


if __name__ == "__main__":
    main()
