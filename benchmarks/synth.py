"""Benchmark: bulk synthetic load and subtree queries on PostgreSQL.

Each figure is printed next to a baseline measured in the same run, as a ratio:
- synth load      vs  server-side INSERT ... SELECT generate_series of the same rows (no Python)
- subtree orgs    vs  the raw SQL `path LIKE 'prefix%'` query

Usage: python benchmarks/synth.py [--members 1000000] [--seed 42] [--keep NAME]
"""

from __future__ import annotations

import argparse
import subprocess
import time
from typing import Any

from common import HOSO, compare, machine, row, scratch_database, setup_django


def baseline_load(cur: Any, members: int) -> float:
    """Server-side generation of the same number of person and member rows: the floor."""
    started = time.perf_counter()
    cur.execute("CREATE TEMP TABLE bp AS SELECT * FROM people_person WITH NO DATA")
    cur.execute("CREATE TEMP TABLE bm AS SELECT * FROM people_member WITH NO DATA")
    cur.execute(
        "INSERT INTO bp (id, family_name, middle_name, given_name, birth_name, other_names,"
        " name_folded, sort_key, sex, birth_date, birth_date_precision, birth_place, home_town,"
        " residence, ethnicity, religion, nationality, citizen_id, citizen_id_issued_by, old_id,"
        " old_id_issued_by) SELECT i, 'Nguyễn', 'Văn', 'An', '', '', 'nguyen van an',"
        " '\\x2a2b'::bytea, 'M', date '1970-01-01' + (i %% 20000), 'day', '',"
        " 'xã Hòa Bình, Hà Nội', '', 'Kinh', 'Không', 'Việt Nam', lpad(i::text, 12, '0'),"
        " 'Cục Cảnh sát', '', '' FROM generate_series(1, %s) i",
        [members],
    )
    cur.execute(
        "INSERT INTO bm (id, person_id, organization_id, status, left_form, card_number,"
        " resume_number, badge_number, admission_decision, admitted_on, ceremony_on,"
        " official_on, service, org_path, sort_key, search_text) SELECT i, i, 1, 'official', '',"
        " lpad(i::text, 10, '0'), 'LL', 'HH', '1-QĐ/ĐU', date '1990-01-01', date '1990-02-01',"
        " date '1991-02-01', '', '0001000100010001', '\\x2a2b'::bytea, ' nguyen van an '"
        " FROM generate_series(1, %s) i",
        [members],
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", default="", help="load into (and keep) this database")
    args = parser.parse_args()
    with scratch_database(args.keep) as env:
        started = time.perf_counter()
        subprocess.run(
            [*HOSO, "synth", "--members", str(args.members), "--seed", str(args.seed)],
            env=env,
            check=True,
        )
        synth_s = time.perf_counter() - started
        setup_django(env)
        measure(args.members, synth_s)


def measure(members: int, synth_s: float) -> None:
    from django.db import connection

    from hoso.access.models import Grant, User
    from hoso.orgs.models import Level, Organization

    with connection.cursor() as cur:
        base_s = baseline_load(cur, members)
        cur.execute("ANALYZE")
    print(f"machine: {machine()}")
    print(f"members {members:,} · organizations {Organization.objects.count():,}")
    row("synth load (s)", synth_s, base_s, "s ")
    province = Organization.objects.filter(level=Level.PROVINCIAL).order_by("path")[0]
    head = User.objects.create_user(f"bench_head_{time.time_ns()}")
    Grant.objects.create(user=head, organization=province, role="head")

    def raw_orgs() -> None:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT id, name FROM orgs_organization WHERE path LIKE %s ORDER BY path",
                [province.path + "%"],
            )
            cur.fetchall()

    n = Organization.objects.visible_to(head).count()
    compare(
        f"province subtree, {n:,} orgs",
        lambda: list(Organization.objects.visible_to(head).values_list("id", "name")),
        raw_orgs,
    )


if __name__ == "__main__":
    main()
