"""Benchmark: the nine-month report (issue 13) and a provincial head's home page, PostgreSQL.

Data: `hoso synth --full --members N --seed 42` (members, relatives and the casework of the
years since 2022). For one province and for the nation, every indicator a head sees is
computed as the report page does (`reads.figures` over `compute.visible`, the audit event
included), and printed beside the same figures computed by hand-written SQL in the same run
(one grouped statement per family of indicators, on the same tables with the same date rules),
as a ratio. The hand SQL's numbers are checked against the code's, category by category: a
mismatch is printed loudly. Then each indicator alone, and the home page (`home` through
Django's test client) of a head of the province.

Usage:
  python benchmarks/reports.py [--members 5000000] [--seed 42] [--keep NAME] [--period 2026-9m]
                               [--runs 5] [--home-only] [--explain CODE ...]
`--keep NAME` loads into (or reuses) that database; a database holding the members of the seed
without the casework gets it added (`hoso synth --add-casework`). `--home-only` measures the
home page alone (to re-run when the home page changes); `--explain` prints the plans of the
code's queries of those indicators (EXPLAIN ANALYZE, BUFFERS).
"""

from __future__ import annotations

import argparse
import subprocess
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from common import HOSO, machine, row, scratch_database, setup_django, timed

TZ = "Asia/Ho_Chi_Minh"
IN_PARTY = ("probationary", "official", "exempted", "suspended")
EVENTS = ("admission", "official", "transfer_in", "transfer_out", "death", "left")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", default="")
    parser.add_argument("--period", default="2026-9m")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--home-only", action="store_true")
    parser.add_argument("--explain", nargs="*", default=[])
    args = parser.parse_args()
    with scratch_database(args.keep) as env:
        load(env, args.members, args.seed)
        setup_django(env)
        bench = Bench(args.seed, args.period, args.runs)
        print(f"machine: {machine()}")
        bench.describe()
        if not args.home_only:
            bench.report(bench.province, runs=args.runs)
            bench.report(bench.root, runs=max(1, args.runs // 5))
        bench.home()
        for code in args.explain:
            bench.explain(code)


def load(env: dict[str, str], members: int, seed: int) -> None:
    """Load the seed's data unless it is there; add the casework if only the members are."""
    import psycopg

    url = env["HOSO_DATABASE_URL"]
    name = url.split("///", 1)[1].split("?", 1)[0]
    with psycopg.connect(f"dbname={name} host=/var/run/postgresql") as conn:
        root = conn.execute(
            "SELECT 1 FROM orgs_organization WHERE code = %s", [f"SYN{seed}"]
        ).fetchone()
        casework = conn.execute(
            "SELECT 1 FROM access_user WHERE username LIKE %s LIMIT 1", [f"synth{seed}-%"]
        ).fetchone()
    command = None
    if root is None:
        command = ["synth", "--members", str(members), "--seed", str(seed), "--full"]
    elif casework is None:
        command = ["synth", "--seed", str(seed), "--add-casework"]
    if command:
        started = time.perf_counter()
        subprocess.run([*HOSO, *command], env=env, check=True)
        print(f"loaded ({' '.join(command)}) in {time.perf_counter() - started:.0f} s")


class Bench:
    def __init__(self, seed: int, period: str, runs: int) -> None:
        from django.utils import timezone

        from hoso.access.models import Grant, User
        from hoso.lib import periods
        from hoso.orgs.models import Level, Organization

        self.period = periods.parse(period)
        self.root = Organization.objects.get(code=f"SYN{seed}")
        self.province = (
            Organization.objects.filter(level=Level.PROVINCIAL, path__startswith=self.root.path)
            .order_by("path")
            .first()
        )
        stamp = time.time_ns()
        self.heads = {}
        for org in (self.province, self.root):
            user = User.objects.create_user(
                f"bench_head_{org.code}_{stamp}".lower(), full_name="Trưởng ban", clearance=2,
                organization=org,
            )  # fmt: skip
            # Tối mật needs the second factor: enrolled, as signing in would have required.
            user.totp_secret, user.totp_confirmed_at = "JBSWY3DPEHPK3PXP", timezone.now()
            user.save(update_fields=["totp_secret", "totp_confirmed_at"])
            Grant.objects.create(user=user, organization=org, role="head")
            self.heads[org.pk] = user
        self.runs = runs

    def describe(self) -> None:
        from hoso.people.models import Member
        from hoso.vetting.models import Case, VerificationRequest

        for org in (self.province, self.root):
            cases = Case.objects.filter(organization__path__startswith=org.path).count()
            requests = VerificationRequest.objects.filter(
                case__organization__path__startswith=org.path
            ).count()
            members = Member.objects.filter(org_path__startswith=org.path).count()
            print(f"{org.name}: {members:,} member records, {cases:,} cases, {requests:,} requests")
        print(f"period {self.period.key}: {self.period.start} .. {self.period.end}")

    # The report.

    def report(self, org: Any, runs: int) -> None:
        from django.db import transaction

        from hoso.reports import compute, reads

        head = self.heads[org.pk]
        shown = compute.visible(head, org)
        print(f"\n== {org.name}: {len(shown)} indicators visible to a head")

        def ours() -> list[Any]:
            with transaction.atomic():
                return reads.figures(head, org, self.period, shown)

        def theirs() -> dict[str, dict[Any, int]]:
            return hand(org, head.clearance, self.period)

        figures = ours()
        check(figures, theirs())
        o50, _ = timed(ours, runs)
        b50, _ = timed(theirs, runs)
        row(f"whole report, {org.code} (median of {runs})", o50, b50, "ms")
        page, _ = timed(self.page(org), max(1, runs // 3))
        print(f"report page (the figures and last year's, rendered): {page:.0f} ms")
        print(
            f"per indicator (median of {3 if runs > 1 else 1}; hand SQL: the family's one statement):"
        )
        each = 3 if runs > 1 else 1
        family_ms = {name: timed(lambda q=q: q(org, head.clearance, self.period), each)[0]
                     for name, q in FAMILIES.items()}  # fmt: skip
        for ind in shown:
            ms = timed(lambda ind=ind: compute.compute(head, ind, org, self.period), each)[0]
            family = FAMILY_OF[ind.code]
            print(f"  {ind.code:<28} {ms:10.1f} ms   ({family}: {family_ms[family]:.1f} ms)")

    def page(self, org: Any) -> Callable[[], None]:
        """GET of the report page (the figures, and last year's for comparison)."""
        from django.test import Client
        from django.urls import reverse

        client = Client()
        client.force_login(self.heads[org.pk])
        url = f"{reverse('report-home')}?org={org.pk}&period={self.period.key}"

        def get() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        return get

    def home(self) -> None:
        from django.test import Client
        from django.urls import reverse

        client = Client()
        client.force_login(self.heads[self.province.pk])
        url = reverse("home")
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        size = len(response.content)

        def page() -> None:
            client.get(url)

        p50, p95 = timed(page, 30)
        print(f"\nhome page, head of {self.province.name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms"
              f" ({size:,} bytes)")  # fmt: skip

    def explain(self, code: str) -> None:
        from hoso.reports import compute, indicators

        ind = indicators.get(code)
        assert ind is not None, code
        for org in (self.province, self.root):
            qs = compute.records(self.heads[org.pk], ind, org, self.period).order_by()
            if ind.by:
                qs = qs.values(ind.by, ind.by_label or ind.by).annotate(n=compute._measure(ind))
            print(f"\n-- EXPLAIN {code} at {org.code}\n{qs.explain(analyze=True, buffers=True)}")


# --- The hand-written SQL, one statement per family ---------------------------------------


def _rows(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def _params(org: Any, clearance: int, period: Any) -> dict[str, Any]:
    return {"p": org.path + "%", "c": clearance, "s": period.start, "e": period.end}


CASES = f"""
SELECT t.code, c.competent_committee_id,
  count(*) FILTER (WHERE c.received_on BETWEEN %(s)s AND %(e)s),
  count(*) FILTER (WHERE k.signed BETWEEN %(s)s AND %(e)s),
  count(*) FILTER (WHERE c.received_on <= %(e)s AND NOT coalesce(k.signed <= %(e)s, false)
                   AND NOT coalesce(w.day <= %(e)s, false)),
  count(*) FILTER (WHERE c.received_on <= %(e)s AND NOT coalesce(k.signed <= %(e)s, false)
                   AND NOT coalesce(w.day <= %(e)s, false) AND c.due_on < %(e)s),
  count(*) FILTER (WHERE w.day BETWEEN %(s)s AND %(e)s)
FROM vetting_case c
JOIN orgs_organization o ON o.id = c.organization_id
JOIN vetting_casetype t ON t.id = c.case_type_id
LEFT JOIN LATERAL (SELECT min(x.signed_on) AS signed FROM vetting_conclusion x
                   WHERE x.case_id = c.id AND x.supersedes_id IS NULL) k ON true
LEFT JOIN LATERAL (SELECT min((s.at AT TIME ZONE '{TZ}')::date) AS day FROM vetting_casestep s
                   WHERE s.case_id = c.id AND s.to_state = 'withdrawn') w ON true
WHERE o.path LIKE %(p)s AND c.classification <= %(c)s
GROUP BY t.code, c.competent_committee_id
"""


def cases(org: Any, clearance: int, period: Any) -> dict[str, dict[Any, int]]:
    found: dict[str, dict[Any, int]] = defaultdict(lambda: defaultdict(int))
    for code, committee, received, concluded, still, overdue, withdrawn in _rows(
        CASES, _params(org, clearance, period)
    ):
        for name, n in (("cases.received", received), ("cases.concluded", concluded),
                        ("cases.open", still), ("cases.overdue", overdue),
                        ("cases.withdrawn", withdrawn)):  # fmt: skip
            found[name][code] += n
        found["cases.received.committee"][committee] += received
    return found


CONCLUSIONS = """
SELECT k.outcome, count(*) FROM vetting_conclusion k
JOIN vetting_case c ON c.id = k.case_id JOIN orgs_organization o ON o.id = c.organization_id
WHERE o.path LIKE %(p)s AND c.classification <= %(c)s AND k.signed_on BETWEEN %(s)s AND %(e)s
  AND NOT EXISTS (SELECT 1 FROM vetting_conclusion x WHERE x.supersedes_id = k.id)
GROUP BY k.outcome
"""


def conclusions(org: Any, clearance: int, period: Any) -> dict[str, dict[Any, int]]:
    return {"conclusions.outcome": dict(_rows(CONCLUSIONS, _params(org, clearance, period)))}


REQUESTS = """
SELECT a.name,
  count(*) FILTER (WHERE r.sent_on BETWEEN %(s)s AND %(e)s),
  count(*) FILTER (WHERE f.first BETWEEN %(s)s AND %(e)s),
  count(*) FILTER (WHERE r.sent_on <= %(e)s AND r.due_on < %(e)s AND r.state <> 'cancelled'
                   AND NOT coalesce(f.first <= %(e)s, false)),
  count(DISTINCT coalesce(p.merged_into_id, r.person_id, i.merged_into_id, v.identity_id,
                          -1 * coalesce(r.relative_id, 0)))
    FILTER (WHERE r.sent_on BETWEEN %(s)s AND %(e)s)
FROM vetting_verificationrequest r
JOIN vetting_case c ON c.id = r.case_id JOIN orgs_organization o ON o.id = c.organization_id
JOIN vetting_addressee a ON a.id = r.addressee_id
LEFT JOIN LATERAL (SELECT min(y.received_on) AS first FROM vetting_reply y
                   WHERE y.request_id = r.id) f ON true
LEFT JOIN people_person p ON p.id = r.person_id
LEFT JOIN people_relative v ON v.id = r.relative_id
LEFT JOIN people_person i ON i.id = v.identity_id
WHERE o.path LIKE %(p)s AND c.classification <= %(c)s
GROUP BY GROUPING SETS ((a.name), ())
"""


def requests(org: Any, clearance: int, period: Any) -> dict[str, dict[Any, int]]:
    found: dict[str, dict[Any, int]] = defaultdict(dict)
    for name, issued, answered, overdue, persons in _rows(
        REQUESTS, _params(org, clearance, period)
    ):
        if name is None:
            found["requests.persons"][TOTAL] = persons
            continue
        found["requests.issued"][name] = issued
        found["requests.answered"][name] = answered
        found["requests.overdue"][name] = overdue
        found["requests.persons"][name] = persons
    return found


PETITIONS = """
SELECT q.kind, q.reason, q.outcome,
  count(*) FILTER (WHERE q.received_on BETWEEN %(s)s AND %(e)s),
  count(*) FILTER (WHERE q.received_on BETWEEN %(s)s AND %(e)s
                   AND (q.state = 'not_handled' OR (q.state = 'closed' AND q.reason > ''))),
  count(*) FILTER (WHERE q.received_on BETWEEN %(s)s AND %(e)s AND q.forwarded_to <> ''),
  count(*) FILTER (WHERE q.accepted_on BETWEEN %(s)s AND %(e)s),
  count(*) FILTER (WHERE q.concluded_on BETWEEN %(s)s AND %(e)s),
  count(*) FILTER (WHERE q.accepted_on <= %(e)s AND q.due_on < %(e)s AND q.paused_since IS NULL
                   AND NOT coalesce(q.concluded_on <= %(e)s, false)
                   AND NOT coalesce(q.closed_on <= %(e)s, false))
FROM petitions_petition q JOIN orgs_organization o ON o.id = q.organization_id
WHERE o.path LIKE %(p)s AND q.classification <= %(c)s
GROUP BY q.kind, q.reason, q.outcome
"""


def petitions(org: Any, clearance: int, period: Any) -> dict[str, dict[Any, int]]:
    found: dict[str, dict[Any, int]] = defaultdict(lambda: defaultdict(int))
    for kind, reason, outcome, received, not_handled, forwarded, accepted, concluded, late in _rows(
        PETITIONS, _params(org, clearance, period)
    ):
        found["petitions.received"][kind] += received
        found["petitions.not_handled"][reason] += not_handled
        found["petitions.forwarded"][TOTAL] += forwarded
        found["petitions.accepted"][kind] += accepted
        found["petitions.concluded"][outcome] += concluded
        found["petitions.overdue"][kind] += late
    return found


TRIPS = """
SELECT t.purpose,
  count(*) FILTER (WHERE t.approved AND t.decision_date BETWEEN %(s)s AND %(e)s),
  count(*) FILTER (WHERE t.report_due_on < %(e)s
                   AND (t.report_received_on IS NULL OR t.report_received_on > %(e)s)),
  count(*) FILTER (WHERE t.passport_due_on < %(e)s
                   AND (t.passport_returned_on IS NULL OR t.passport_returned_on > %(e)s))
FROM travel_trip t JOIN orgs_organization o ON o.id = t.organization_id
WHERE o.path LIKE %(p)s
GROUP BY t.purpose
"""


def trips(org: Any, clearance: int, period: Any) -> dict[str, dict[Any, int]]:
    found: dict[str, dict[Any, int]] = defaultdict(dict)
    for purpose, approved, report, passport in _rows(TRIPS, _params(org, clearance, period)):
        found["trips.approved"][purpose] = approved
        found["trips.report_overdue"][purpose] = report
        found["trips.passport_overdue"][purpose] = passport
    return found


TRIPS_BY = """
SELECT 'category', k.code, count(*)
FROM travel_trip t JOIN orgs_organization o ON o.id = t.organization_id
JOIN people_member m ON m.id = t.member_id
LEFT JOIN cadres_cadre c ON c.person_id = m.person_id
LEFT JOIN cadres_managementcategory k ON k.id = c.category_id
WHERE o.path LIKE %(p)s AND t.approved AND t.decision_date BETWEEN %(s)s AND %(e)s
GROUP BY k.code
UNION ALL
SELECT 'country', d.country, count(*)
FROM travel_destination d JOIN travel_trip t ON t.id = d.trip_id
JOIN orgs_organization o ON o.id = t.organization_id
WHERE o.path LIKE %(p)s AND t.approved AND t.decision_date BETWEEN %(s)s AND %(e)s
GROUP BY d.country
"""


def trips_by(org: Any, clearance: int, period: Any) -> dict[str, dict[Any, int]]:
    found: dict[str, dict[Any, int]] = defaultdict(dict)
    for kind, value, n in _rows(TRIPS_BY, _params(org, clearance, period)):
        found[f"trips.approved_by_{kind}"][value] = n
    return found


HELP = """
SELECT coalesce(a.name, h.requester),
  count(*) FILTER (WHERE h.received_on BETWEEN %(s)s AND %(e)s),
  count(*) FILTER (WHERE h.state = 'answered' AND h.answered_on BETWEEN %(s)s AND %(e)s),
  count(*) FILTER (WHERE h.received_on <= %(e)s AND h.due_on < %(e)s
                   AND (h.answered_on IS NULL OR h.answered_on > %(e)s)
                   AND h.state IN ('received', 'assigned', 'in_progress', 'answered'))
FROM vetting_helprequest h JOIN orgs_organization o ON o.id = h.organization_id
LEFT JOIN vetting_addressee a ON a.id = h.requester_addressee_id
WHERE o.path LIKE %(p)s AND h.classification <= %(c)s
GROUP BY 1
"""


def help_(org: Any, clearance: int, period: Any) -> dict[str, dict[Any, int]]:
    found: dict[str, dict[Any, int]] = defaultdict(dict)
    for body, received, answered, late in _rows(HELP, _params(org, clearance, period)):
        found["help.received"][body] = received
        found["help.answered"][body] = answered
        found["help.overdue"][body] = late
    return found


EVENTS_SQL = """
SELECT e.kind, count(*) FROM people_memberevent e
JOIN orgs_organization o ON o.id = e.organization_id
WHERE o.path LIKE %(p)s AND e.kind = ANY(%(k)s) AND NOT e.temporary
  AND e.date BETWEEN %(s)s AND %(e)s
GROUP BY e.kind
"""


def events(org: Any, clearance: int, period: Any) -> dict[str, dict[Any, int]]:
    params = {**_params(org, clearance, period), "k": list(EVENTS)}
    return {"members.events": dict(_rows(EVENTS_SQL, params))}


STOCK = """
SELECT m.status, p.sex, b.band, p.ethnicity, p.religion, p.education,
       count(*), count(*) FILTER (WHERE m.status = ANY(%(a)s)),
       GROUPING(m.status), GROUPING(p.sex), GROUPING(b.band), GROUPING(p.ethnicity),
       GROUPING(p.religion), GROUPING(p.education)
FROM people_member m JOIN people_person p ON p.id = m.person_id,
LATERAL (SELECT CASE WHEN p.birth_year IS NULL THEN ''
                     WHEN p.birth_year >= %(y)s - 30 THEN '30'
                     WHEN p.birth_year >= %(y)s - 40 THEN '31-40'
                     WHEN p.birth_year >= %(y)s - 50 THEN '41-50'
                     WHEN p.birth_year >= %(y)s - 60 THEN '51-60' ELSE '61' END AS band) b
WHERE m.org_path LIKE %(p)s
GROUP BY GROUPING SETS ((m.status), (p.sex), (b.band), (p.ethnicity), (p.religion),
                        (p.education))
"""
STOCK_CODES = ("members.status", "members.sex", "members.age", "members.ethnicity",
               "members.religion", "members.education")  # fmt: skip


def stock(org: Any, clearance: int, period: Any) -> dict[str, dict[Any, int]]:
    params = {**_params(org, clearance, period), "a": list(IN_PARTY), "y": period.end.year}
    found: dict[str, dict[Any, int]] = defaultdict(dict)
    for row_ in _rows(STOCK, params):
        values, (every, in_party), grouped = row_[:6], row_[6:8], row_[8:]
        which = grouped.index(0)
        code = STOCK_CODES[which]
        found[code][values[which]] = every if which == 0 else in_party
    return found


TOTAL = "(total)"  # a figure without categories, or a distinct count's own total
FAMILIES: dict[str, Callable[[Any, int, Any], dict[str, dict[Any, int]]]] = {
    "cases": cases,
    "conclusions": conclusions,
    "requests": requests,
    "petitions": petitions,
    "trips": trips,
    "trips by": trips_by,
    "help": help_,
    "events": events,
    "stock": stock,
}
FAMILY_OF = {
    **{c: "cases" for c in ("cases.received", "cases.received.committee", "cases.concluded",
                            "cases.open", "cases.overdue", "cases.withdrawn")},
    "conclusions.outcome": "conclusions",
    **{c: "requests" for c in ("requests.issued", "requests.answered", "requests.overdue",
                               "requests.persons")},
    **{c: "petitions" for c in ("petitions.received", "petitions.not_handled",
                                "petitions.forwarded", "petitions.accepted",
                                "petitions.concluded", "petitions.overdue")},
    **{c: "trips" for c in ("trips.approved", "trips.report_overdue", "trips.passport_overdue")},
    **{c: "trips by" for c in ("trips.approved_by_category", "trips.approved_by_country")},
    **{c: "help" for c in ("help.received", "help.answered", "help.overdue")},
    "members.events": "events",
    **{c: "stock" for c in STOCK_CODES},
}  # fmt: skip


def hand(org: Any, clearance: int, period: Any) -> dict[str, dict[Any, int]]:
    found: dict[str, dict[Any, int]] = {}
    for family in FAMILIES.values():
        found.update(family(org, clearance, period))
    return found


def check(figures: list[Any], hand_figures: dict[str, dict[Any, int]]) -> None:
    """The code's figures against the hand SQL's, category by category (zeros left out)."""
    bad = 0
    for figure in figures:
        code = figure.indicator.code
        ours = {(TOTAL if not figure.indicator.by else c.value): c.n
                for c in figure.categories if c.n}  # fmt: skip
        if figure.indicator.by and not figure.indicator.additive:
            ours[TOTAL] = figure.total
        theirs = {k if k is not None else "": v for k, v in hand_figures.get(code, {}).items() if v}
        ours = {k if k is not None else "": v for k, v in ours.items()}
        if ours != theirs:
            bad += 1
            print(f"!!! MISMATCH {code}: code {sorted(ours.items(), key=str)[:8]}"
                  f" hand {sorted(theirs.items(), key=str)[:8]}")  # fmt: skip
    total = sum(f.total for f in figures)
    print(f"checked {len(figures)} figures (sum of totals {total:,}):"
          f" {'all equal to the hand SQL' if not bad else f'{bad} MISMATCHES'}")  # fmt: skip


if __name__ == "__main__":
    main()
