"""Benchmark: vetting work queues, request counts, the case page and the worker (PostgreSQL).

Synthetic load: 200,000 cases spread over the communes of a synthetic tree, each with three
verification requests (600,000 numbered requests), a third of the cases overdue. Each figure
is printed next to the equivalent raw SQL measured in the same run, as a ratio.

Usage: python benchmarks/cases.py [--members 300000] [--cases 200000] [--keep NAME]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import subprocess
import time
from typing import Any

from common import HOSO, compare, machine, row, scratch_database, setup_django

TODAY = dt.date(2026, 11, 23)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=300_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--keep", default="")
    args = parser.parse_args()
    with scratch_database(args.keep) as env:
        setup_django(env)
        from hoso.vetting.models import Case

        if not Case.objects.exists():
            subprocess.run(
                [*HOSO, "synth", "--members", str(args.members), "--seed", "42"],
                env=env,
                check=True,
            )
            started = time.perf_counter()
            load(args.cases)
            print(f"loaded {args.cases:,} cases in {time.perf_counter() - started:.1f} s")
            from django.db import connection

            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        measure()


def load(count: int) -> None:
    """Cases, requests and their numbered documents, written in bulk (not through actions:
    this is data to measure reading and the worker against, not the writing path)."""
    from hoso.access.models import User
    from hoso.documents.models import DocumentKind, OutgoingDocument
    from hoso.orgs.models import Level, Organization, Term
    from hoso.people.models import Member
    from hoso.vetting.models import Addressee, Case, CaseType, VerificationRequest

    rng = random.Random(42)
    clerk = User.objects.create_user("bench_loader")
    communes = list(Organization.objects.filter(level=Level.UPPER_BASE).values_list("id", "path"))
    root = Organization.objects.get(depth=1, code="SYN42")
    term = Term.objects.create(organization=root, name="2025-2030", starts_on=dt.date(2025, 10, 1))
    persons = list(Member.objects.values_list("person_id", flat=True)[:count])
    types = list(CaseType.objects.select_related("current"))
    police = Addressee.objects.create(name="Phòng PV06", kind="police")
    pyc = DocumentKind.objects.get(code="PYC")
    numbers: dict[int, int] = {}
    for start in range(0, count, 10_000):
        cases, docs = [], []
        for i in range(start, min(start + 10_000, count)):
            org_id, _path = rng.choice(communes)
            kind = types[i % len(types)]
            received = TODAY - dt.timedelta(days=rng.randint(0, 200))
            cases.append(
                Case(
                    organization_id=org_id,
                    case_type=kind,
                    version=kind.current,
                    person_id=persons[i % len(persons)],
                    purpose="Bổ nhiệm",
                    competent_committee_id=org_id,
                    request_number="1-TTr",
                    request_date=received,
                    request_issuer="UB",
                    received_on=received,
                    handed_over_by="A",
                    handover_items="B",
                    classification=1,
                    state=rng.choice(
                        ["received", "verifying", "verifying", "compiling", "concluded"]
                    ),
                    due_on=received + dt.timedelta(days=42),
                    created_by=clerk,
                    assignee=clerk,
                )
            )
        Case.objects.bulk_create(cases, batch_size=5000)
        for case in cases:
            for _ in range(3):
                n = numbers[case.organization_id] = numbers.get(case.organization_id, 0) + 1
                docs.append(
                    OutgoingDocument(
                        organization_id=case.organization_id,
                        term=term,
                        kind=pyc,
                        number=n,
                        reference=f"{n:02d}-PYC/X",
                        issued_on=case.received_on,
                        summary="PYC",
                        classification=1,
                        created_by=clerk,
                    )
                )
        OutgoingDocument.objects.bulk_create(docs, batch_size=5000)
        requests = [
            VerificationRequest(
                case=case,
                document=docs[3 * j + k],
                person_id=case.person_id,
                person_key=f"p{case.person_id + k}",
                person_label="X",
                addressee=police,
                questions="Q",
                sent_on=case.received_on + dt.timedelta(days=3),
                due_on=case.received_on + dt.timedelta(days=24),
                state="open" if case.state == "verifying" else "answered",
                created_by=clerk,
            )
            for j, case in enumerate(cases)
            for k in range(3)
        ]
        VerificationRequest.objects.bulk_create(requests, batch_size=5000)


def measure() -> None:
    from django.db import connection
    from django.test import Client

    from hoso.access.models import Grant, User
    from hoso.orgs.models import Level, Organization
    from hoso.vetting import verification
    from hoso.vetting.models import Case, VerificationRequest
    from hoso.vetting.views.cases import PAGE, QUEUES
    from hoso.vetting.views.cases import _page as keyset_page

    province = Organization.objects.filter(level=Level.PROVINCIAL).order_by("path")[0]
    stamp = time.time_ns()
    head = User.objects.create_user(f"bench_head_{stamp}", clearance=1)
    Grant.objects.create(user=head, organization=province, role="head")
    in_scope = Case.objects.filter(organization__path__startswith=province.path)
    print(f"machine: {machine()}")
    print(
        f"cases {Case.objects.count():,} · requests {VerificationRequest.objects.count():,}"
        f" · scope {province.name}: {in_scope.count():,} cases"
    )

    def queue(name: str) -> Any:
        def run() -> None:
            qs = QUEUES[name][1](Case.objects.visible_to(head), head, TODAY)
            related = ("person", "version", "organization", "assignee")
            rows, _following = keyset_page(qs.select_related(*related).order_by("due_on", "id"), "")
            assert len(rows) == PAGE

        return run

    def raw_overdue() -> None:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT c.*, p.*, v.*, o.*, u.* FROM vetting_case c"
                " JOIN orgs_organization o ON o.id = c.organization_id"
                " JOIN people_person p ON p.id = c.person_id"
                " JOIN vetting_casetypeversion v ON v.id = c.version_id"
                " LEFT JOIN access_user u ON u.id = c.assignee_id"
                " WHERE o.path LIKE %s AND c.classification <= 1"
                " AND c.state NOT IN ('concluded', 'archived', 'withdrawn')"
                " AND c.paused_since IS NULL AND c.due_on < %s ORDER BY c.due_on, c.id LIMIT 101",
                [province.path + "%", TODAY],
            )
            cur.fetchall()

    compare("overdue queue, province head, first page", queue("overdue"), raw_overdue, runs=30)

    def counts() -> None:
        verification.counts(
            VerificationRequest.objects.visible_to(head), dt.date(2026, 7, 1), dt.date(2026, 9, 30)
        )

    def raw_counts() -> None:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*), count(DISTINCT r.person_key),"
                " count(*) FILTER (WHERE r.state = 'answered'),"
                " count(*) FILTER (WHERE r.state = 'open') FROM vetting_verificationrequest r"
                " JOIN vetting_case c ON c.id = r.case_id"
                " JOIN orgs_organization o ON o.id = c.organization_id"
                " WHERE o.path LIKE %s AND c.classification <= 1"
                " AND r.sent_on BETWEEN %s AND %s",
                [province.path + "%", dt.date(2026, 7, 1), dt.date(2026, 9, 30)],
            )
            cur.fetchall()

    compare("quarter counts (requests, persons)", counts, raw_counts, runs=20)

    case = in_scope.filter(state="verifying").order_by("id").first()
    assert case is not None
    client = Client()
    client.force_login(head)

    def page() -> None:
        response = client.get(f"/cases/{case.pk}/")
        assert response.status_code == 200, response.status_code

    def raw_page() -> None:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT * FROM vetting_case c JOIN people_person p ON p.id = c.person_id"
                " WHERE c.id = %s",
                [case.pk],
            )
            cur.fetchall()
            cur.execute(
                "SELECT * FROM vetting_verificationrequest r JOIN documents_outgoingdocument"
                " d ON d.id = r.document_id WHERE r.case_id = %s",
                [case.pk],
            )
            cur.fetchall()

    compare("case page (full HTTP request, audited)", page, raw_page, runs=30)

    measure_worker()


OPEN = "c.state NOT IN ('concluded', 'archived', 'withdrawn') AND c.paused_since IS NULL"


def raw_worker() -> None:
    """The floor: the same claims and notifications as four set-based statements, rolled back."""
    from django.db import connection, transaction

    horizon = TODAY + dt.timedelta(days=3)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            f"UPDATE vetting_case c SET alert_version = alert_version + 1, alert_stage = 2,"
            f" alert_due_on = due_on WHERE {OPEN} AND c.due_on <= %s",
            [horizon],
        )
        cur.execute(
            "INSERT INTO notices_notification (user_id, key, text, url, created_at)"
            " SELECT c.assignee_id, 'case:' || c.id, 'Hồ sơ quá hạn', '', now()"
            f" FROM vetting_case c WHERE {OPEN} AND c.due_on <= %s",
            [horizon],
        )
        cur.execute(
            "UPDATE vetting_verificationrequest SET alert_version = alert_version + 1,"
            " alert_stage = 2 WHERE state = 'open' AND due_on < %s",
            [TODAY],
        )
        cur.execute(
            "INSERT INTO notices_notification (user_id, key, text, url, created_at)"
            " SELECT c.assignee_id, 'request:' || r.id, 'Phiếu quá hạn', '', now()"
            " FROM vetting_verificationrequest r JOIN vetting_case c ON c.id = r.case_id"
            " WHERE r.state = 'open' AND r.due_on < %s",
            [TODAY],
        )
        transaction.set_rollback(True)


def reset() -> None:
    """Start from the same backlog on every run: nothing notified yet."""
    from hoso.notices import due
    from hoso.notices.models import Notification

    for source in due.SOURCES.values():
        fields: dict[str, Any] = {"alert_version": 0, "alert_stage": 0}
        if source.moving:
            fields["alert_due_on"] = None
        source.model._default_manager.update(**fields)
    Notification.objects.all().delete()


def measure_worker() -> None:
    """The vetting sources' backlog against the set-based baseline, then the other sources'
    backlog (synthetic members' admission steps), then a pass of every source with nothing
    new."""
    from hoso.notices import due

    reset()
    started = time.perf_counter()
    raw_worker()
    base = time.perf_counter() - started
    started = time.perf_counter()
    vetting = [due.run_source(due.SOURCES[name], TODAY) for name in ("case", "request")]
    ours = time.perf_counter() - started
    print(
        f"worker backlog: claimed {sum(c for c, _n in vetting):,} items, wrote"
        f" {sum(n for _c, n in vetting):,} notifications"
    )
    row("worker first pass over the backlog", ours, base, "s ")
    started = time.perf_counter()
    others = due.run_once(TODAY)
    elapsed = time.perf_counter() - started
    print(f"other sources: {others.by_source} in {elapsed:.2f} s")
    started = time.perf_counter()
    again = due.run_once(TODAY)
    row("worker next pass, every source (nothing new)", time.perf_counter() - started, base, "s ")
    assert again.notifications == 0


if __name__ == "__main__":
    main()
