"""Benchmark: member search, list pages and the dossier page at national scale (PostgreSQL).

Each figure is printed next to the equivalent raw SQL measured in the same run, as a ratio.
Targets (issue 3): search and list p95 < 50 ms; dossier page < 100 ms.

Usage: python benchmarks/members.py [--members 1000000] [--keep NAME]
With --keep NAME an existing synthetic database is reused (loaded first if empty).
"""

from __future__ import annotations

import argparse
import subprocess
import time
from typing import Any

from common import HOSO, compare, machine, scratch_database, setup_django

QUERIES = {
    "exact full name": "Nguyễn Văn Hùng ",
    "prefix while typing": "nguyen van hu",
    "words in any order": "hung nguyen ",
    "no tone marks": "le thi thuy ",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--keep", default="")
    args = parser.parse_args()
    with scratch_database(args.keep) as env:
        setup_django(env)
        from hoso.people.models import Member

        if not Member.objects.exists():
            subprocess.run(
                [*HOSO, "synth", "--members", str(args.members), "--seed", "42"],
                env=env,
                check=True,
            )
            from django.db import connection

            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        measure()


def raw_search(cur: Any, path: str, tsquery: str) -> None:
    cur.execute(
        "SELECT m.*, p.* FROM people_member m JOIN people_person p ON p.id = m.person_id"
        " JOIN orgs_organization o ON o.id = m.organization_id"
        " WHERE m.org_path LIKE %s AND m.status IN ('probationary', 'official', 'exempted',"
        " 'suspended') AND to_tsvector('simple', m.search_text) @@ to_tsquery('simple', %s)"
        " ORDER BY m.sort_key, m.id LIMIT 51",
        [path + "%", tsquery],
    )
    cur.fetchall()


def measure() -> None:
    from django.db import connection
    from django.test import Client

    from hoso.access.models import Grant, User
    from hoso.orgs.models import Level, Organization
    from hoso.people.filters import MemberFilterForm
    from hoso.people.models import Member
    from hoso.people.search import decode_cursor, page, parse

    province = Organization.objects.filter(level=Level.PROVINCIAL).order_by("path")[0]
    stamp = time.time_ns()
    head = User.objects.create_user(f"bench_head_{stamp}", clearance=1)
    Grant.objects.create(user=head, organization=province, role="head")
    print(f"machine: {machine()}")
    print(
        f"members {Member.objects.count():,} · scope: {province.name}, "
        f"{Member.objects.filter(org_path__startswith=province.path).count():,} members"
    )

    def ours(query: str) -> Any:
        form = MemberFilterForm({"q": query, "org": "", "status": ""})
        return lambda: page(
            form.apply(Member.objects.visible_to(head), head).select_related(
                "person", "organization"
            )
        )

    def base(query: str) -> Any:
        terms = parse(query)
        tsq = " & ".join([*terms.words, *([f"{terms.prefix}:*"] if terms.prefix else [])])

        def run() -> None:
            with connection.cursor() as cur:
                raw_search(cur, province.path, tsq)

        return run

    for label, query in QUERIES.items():
        found = len(
            page(
                MemberFilterForm({"q": query, "org": "", "status": ""}).apply(
                    Member.objects.visible_to(head), head
                )
            )[0]
        )
        compare(f"search: {label} ({found} shown)", ours(query), base(query))

    def raw_list() -> None:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT m.*, p.*, o.* FROM people_member m JOIN people_person p ON"
                " p.id = m.person_id JOIN orgs_organization o ON o.id = m.organization_id"
                " WHERE m.org_path LIKE %s AND m.status IN ('probationary', 'official',"
                " 'exempted', 'suspended') ORDER BY m.sort_key, m.id LIMIT 51",
                [province.path + "%"],
            )
            cur.fetchall()

    compare("province list page 1, by name", ours(""), raw_list)
    _, cursor = page(Member.objects.visible_to(head).filter(org_path__startswith=province.path))
    for _ in range(20):  # a page far into the list
        _, cursor = page(Member.objects.visible_to(head), cursor)

    def deep() -> None:
        page(Member.objects.visible_to(head).select_related("person", "organization"), cursor)

    position = decode_cursor(cursor)
    assert position is not None
    key, pk = position

    def raw_deep() -> None:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT m.*, p.*, o.* FROM people_member m JOIN people_person p ON"
                " p.id = m.person_id JOIN orgs_organization o ON o.id = m.organization_id"
                " WHERE m.org_path LIKE %s AND m.sort_key >= %s AND (m.sort_key > %s OR m.id > %s)"
                " ORDER BY m.sort_key, m.id LIMIT 51",
                [province.path + "%", key, key, pk],
            )
            cur.fetchall()

    compare("province list page 21 (keyset)", deep, raw_deep)

    member = Member.objects.filter(org_path__startswith=province.path).order_by("id")[500]
    client = Client()
    client.force_login(head)

    def dossier() -> None:
        response = client.get(f"/members/{member.pk}/")
        assert response.status_code == 200, (response.status_code, response.get("Location"))

    def raw_dossier() -> None:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT m.*, p.*, o.* FROM people_member m JOIN people_person p ON"
                " p.id = m.person_id JOIN orgs_organization o ON"
                " o.id = m.organization_id WHERE m.id = %s",
                [member.pk],
            )
            cur.fetchall()
            cur.execute("SELECT * FROM people_passport WHERE person_id = %s", [member.pk])
            cur.fetchall()

    compare("dossier page (full HTTP request, audited)", dossier, raw_dossier)


if __name__ == "__main__":
    main()
