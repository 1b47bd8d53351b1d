"""Benchmark: candidate duplicate persons (people/identity.py) at national scale (PostgreSQL).

Targets (issue 12): candidates for one person <= 50 ms and a province's whole list <= 10 s at
5,000,000 persons. Each figure is printed next to the raw SQL of the same lookup measured in
the same run, as a ratio:
- candidates for one person (identity.candidates_for, as a provincial officer) vs the raw
  index lookups on (name_folded, birth_year) of persons and of relatives in the same scope;
- the whole list of a province or a commune (reads.list_duplicates, audited, as the page and
  `hoso persons duplicates` call it) vs the raw SQL GROUP BY of the same blocking key and the
  raw join of relatives on that key.

Data: `hoso synth --members N --seed 42 --full` (relatives, couples of members, ID-less second
records), then one vetting case for each second record (its subject, in the commune of the
member it duplicates: how such a record becomes visible) and for 1 % of the members.

Usage: python benchmarks/persons.py [--members 5000000] [--keep NAME] [--sample 200]
With --keep NAME an existing database is reused (loaded first if empty).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import subprocess
import time
from collections.abc import Callable
from typing import Any

from common import HOSO, machine, row, scratch_database, setup_django

CASE_SHARE = 0.01  # members who are also the subject of a case


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=5_000_000)
    parser.add_argument("--keep", default="")
    parser.add_argument("--sample", type=int, default=200, help="persons to ask candidates for")
    parser.add_argument("--runs", type=int, default=3, help="runs of each whole list")
    parser.add_argument("--candidates-only", action="store_true", help="skip the whole lists")
    args = parser.parse_args()
    with scratch_database(args.keep) as env:
        setup_django(env)
        from django.db import connection

        from hoso.people.models import Member
        from hoso.vetting.models import Case

        if not Member.objects.exists():
            command = ["synth", "--members", str(args.members), "--seed", "42", "--full"]
            subprocess.run([*HOSO, *command], env=env, check=True)
        if not Case.objects.exists():
            started = time.perf_counter()
            n = attach_cases()
            print(f"opened {n:,} cases in {time.perf_counter() - started:.1f} s")
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        measure(args.sample, args.runs, lists=not args.candidates_only)


def attach_cases() -> int:
    """A case for each ID-less second record (in the commune of the member it duplicates) and
    for 1 % of the members, written in bulk (data to read, not the writing path)."""
    from django.db import connection

    from hoso.access.models import User
    from hoso.orgs.models import Level, Organization
    from hoso.vetting.models import Case, CaseType

    rng = random.Random(42)
    clerk = User.objects.create_user("bench_persons_loader")
    communes = dict(Organization.objects.filter(level=Level.UPPER_BASE).values_list("path", "id"))
    with connection.cursor() as cur:
        cur.execute(
            "SELECT DISTINCT ON (t.id) t.id, m.org_path FROM people_person t"
            " JOIN people_person p ON p.name_folded = t.name_folded"
            " AND p.birth_year = t.birth_year AND p.birth_date = t.birth_date AND p.id <> t.id"
            " JOIN people_member m ON m.person_id = p.id"
            " WHERE t.citizen_id IS NULL AND NOT EXISTS"
            " (SELECT 1 FROM people_member x WHERE x.person_id = t.id) ORDER BY t.id, p.id"
        )
        subjects = cur.fetchall()
        cur.execute("SELECT person_id, org_path FROM people_member ORDER BY id")
        subjects += [r for r in cur.fetchall() if rng.random() < CASE_SHARE]
    types = list(CaseType.objects.select_related("current"))
    today = dt.date(2026, 11, 23)
    cases = []
    for i, (person_id, path) in enumerate(subjects):
        kind = types[i % len(types)]
        received = today - dt.timedelta(days=rng.randint(0, 200))
        commune = communes[path[:12]]
        cases.append(
            Case(
                organization_id=commune,
                case_type=kind,
                version=kind.current,
                person_id=person_id,
                purpose="Bổ nhiệm",
                competent_committee_id=commune,
                request_number="1-TTr",
                request_date=received,
                request_issuer="UBND",
                received_on=received,
                handed_over_by="A",
                handover_items="Tờ trình",
                classification=1,
                restricted=rng.random() < 0.1,
                state=rng.choice(["received", "verifying", "compiling", "concluded"]),
                due_on=received + dt.timedelta(days=42),
                created_by=clerk,
                assignee=clerk,
            )
        )
    Case.objects.bulk_create(cases, batch_size=5000)
    return len(cases)


def percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def over(fn: Callable[[Any], Any], items: list[Any]) -> tuple[float, float]:
    """(p50, p95) in ms of fn over the items, after one warm-up pass."""
    for item in items:
        fn(item)
    samples = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def once(fn: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    """(median seconds, last result) over `runs` calls after one warm-up call."""
    result = fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), result


SCOPE = (
    "scope AS (SELECT m.person_id AS id FROM people_member m WHERE m.org_path LIKE %(path)s"
    " UNION SELECT c.person_id FROM vetting_case c"
    " JOIN orgs_organization o ON o.id = c.organization_id"
    " WHERE o.path LIKE %(path)s AND c.classification <= %(clearance)s)"
)


def raw_candidates(cur: Any, person: Any, path: str, clearance: int) -> int:
    """The same two index lookups, in the same scope, in plain SQL."""
    args = {
        "key": person.name_folded,
        "year": person.birth_year,
        "pk": person.pk,
        "path": path + "%",
        "clearance": clearance,
    }
    cur.execute(
        "SELECT p.* FROM people_person p WHERE p.name_folded = %(key)s"
        " AND p.birth_year = %(year)s AND p.merged_into_id IS NULL AND p.id <> %(pk)s"
        " AND (EXISTS (SELECT 1 FROM people_member m WHERE m.person_id = p.id"
        " AND m.org_path LIKE %(path)s) OR EXISTS (SELECT 1 FROM vetting_case c"
        " JOIN orgs_organization o ON o.id = c.organization_id WHERE c.person_id = p.id"
        " AND o.path LIKE %(path)s AND c.classification <= %(clearance)s)) LIMIT 50",
        args,
    )
    found = len(cur.fetchall())
    cur.execute(
        "SELECT r.*, p.* FROM people_relative r JOIN people_member m ON m.person_id = r.person_id"
        " JOIN people_person p ON p.id = r.person_id WHERE r.name_folded = %(key)s"
        " AND r.birth_year = %(year)s AND r.identity_id IS NULL AND r.person_id <> %(pk)s"
        " AND m.org_path LIKE %(path)s LIMIT 50",
        args,
    )
    return found + len(cur.fetchall())


def raw_list(cur: Any, path: str, clearance: int) -> tuple[int, int, float]:
    """The blocking of the whole list in plain SQL, one statement each, as PostgreSQL plans
    them: the keys held twice in scope (GROUP BY, with their persons' rows), and the unlinked
    relatives in scope joined on the key to persons in scope. Also returns the seconds of the
    GROUP BY alone."""
    args = {"path": path + "%", "clearance": clearance}
    started = time.perf_counter()
    cur.execute(
        f"WITH {SCOPE}, keys AS (SELECT p.name_folded, p.birth_year FROM people_person p"
        " JOIN scope s ON s.id = p.id WHERE p.birth_year IS NOT NULL"
        " AND p.merged_into_id IS NULL GROUP BY 1, 2 HAVING count(*) > 1)"
        " SELECT p.* FROM people_person p JOIN scope s ON s.id = p.id JOIN keys k"
        " ON k.name_folded = p.name_folded AND k.birth_year = p.birth_year",
        args,
    )
    persons = len(cur.fetchall())
    group_by = time.perf_counter() - started
    cur.execute(
        f"WITH {SCOPE} SELECT r.*, p.* FROM people_relative r"
        " JOIN people_member rm ON rm.person_id = r.person_id"
        " JOIN people_person p ON p.name_folded = r.name_folded AND p.birth_year = r.birth_year"
        " JOIN scope s ON s.id = p.id WHERE rm.org_path LIKE %(path)s"
        " AND r.identity_id IS NULL AND p.id <> r.person_id AND p.merged_into_id IS NULL",
        args,
    )
    return persons, len(cur.fetchall()), group_by


def measure(sample: int, runs: int, *, lists: bool = True) -> None:
    from django.db import connection
    from django.db.models import Exists, OuterRef

    from hoso.access.models import Grant, User
    from hoso.access.roles import Clearance
    from hoso.orgs.models import Level, Organization
    from hoso.people import identity, reads
    from hoso.people.models import Member, Person, Relative
    from hoso.vetting.models import Case

    stamp = time.time_ns()
    clearance = Clearance.SECRET
    provinces = Organization.objects.filter(level=Level.PROVINCIAL).order_by("path")
    with connection.cursor() as cur:
        cur.execute("SELECT substr(org_path, 1, 8), count(*) FROM people_member GROUP BY 1")
        by_province = dict(cur.fetchall())
    first = provinces[0]
    largest = max(provinces, key=lambda o: by_province.get(o.path, 0))
    commune = Organization.objects.filter(level=Level.UPPER_BASE, path__startswith=first.path)[0]
    print(f"machine: {machine()}")
    print(
        f"persons {Person.objects.count():,} · members {Member.objects.count():,}"
        f" · relatives {Relative.objects.count():,} · cases {Case.objects.count():,}"
    )

    officers: dict[int, User] = {}

    def officer(org: Organization) -> User:
        if org.pk not in officers:
            name = f"bench_officer_{org.code}_{stamp}"
            officers[org.pk] = User.objects.create_user(name, clearance=clearance)
            Grant.objects.create(user=officers[org.pk], organization=org, role="officer")
        return officers[org.pk]

    # Candidates for one person, as a provincial officer opening person pages.
    user = officer(first)
    in_scope = identity.visible_persons(user)
    rng = random.Random(7)
    ids = list(
        Member.objects.filter(org_path__startswith=first.path)
        .order_by("person_id")
        .values_list("person_id", flat=True)
    )
    twins = Person.objects.filter(
        member__isnull=True, cases__organization__path__startswith=first.path
    )
    same = {"name_folded": OuterRef("name_folded"), "birth_date": OuterRef("birth_date")}
    with_twin = list(
        Person.objects.filter(member__org_path__startswith=first.path)
        .filter(Exists(twins.filter(**same)))
        .order_by("pk")
        .values_list("pk", flat=True)[: sample // 4]
    )
    chosen = sorted({*rng.sample(ids, sample - len(with_twin)), *with_twin})
    persons = list(Person.objects.filter(pk__in=chosen).order_by("pk"))
    found = sum(len(identity.candidates_for(user, p)) for p in persons)
    print(
        f"scope {first.name}: {in_scope.count():,} persons visible,"
        f" {Relative.objects.visible_to(user).count():,} relatives;"
        f" {len(persons)} persons asked ({len(with_twin)} with a second record), {found} candidates"
    )

    def raw(person: Any) -> None:
        with connection.cursor() as cur:
            raw_candidates(cur, person, first.path, clearance)

    o50, o95 = over(lambda p: identity.candidates_for(user, p), persons)
    b50, b95 = over(raw, persons)
    row("candidates for one person p50", o50, b50, "ms")
    row("candidates for one person p95", o95, b95, "ms")

    if not lists:
        return
    # Whole lists: a province, the largest province (members are spread evenly: often the
    # same one), a commune.
    if largest == first:
        print(f"(the largest province is {first.name}, measured once)")
    for org in dict.fromkeys((first, largest, commune)):
        user = officer(org)
        n_persons = identity.visible_persons(user, under=org.path).count()
        n_relatives = (
            Relative.objects.visible_to(user)
            .filter(person__member__org_path__startswith=org.path)
            .count()
        )
        times = runs if n_persons > 10_000 else max(runs, 15)  # a commune's list is short: noisier
        ours_s, pairs = once(lambda: reads.list_duplicates(user, org, via="benchmark"), times)  # noqa: B023

        def base() -> tuple[int, int, float]:
            with connection.cursor() as cur:
                return raw_list(cur, org.path, clearance)  # noqa: B023

        base_s, (keyed, relatives, group_by) = once(base, times)
        kinds = sum(1 for p in pairs if p.is_relative)
        print(
            f"list {org.name}: {n_persons:,} persons, {n_relatives:,} relatives in scope;"
            f" {len(pairs) - kinds:,} person pairs + {kinds:,} relative pairs"
            f" (blocking: {keyed:,} persons sharing a key, {relatives:,} relative-person rows)"
        )
        row(f"whole list, {org.name[:28]}", ours_s, base_s, "s ")
        print(f"  baseline's GROUP BY of the keys alone: {group_by:.2f} s")
        print(f"  {ours_s * 1000 / (max(n_persons, 1) / 1000):.2f} ms per 1,000 persons in scope")


if __name__ == "__main__":
    main()
