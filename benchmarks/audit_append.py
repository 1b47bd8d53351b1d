"""Benchmark: appends to the keyed audit chain with concurrent writers, PostgreSQL (issue 14).

Every append locks the chain's head row (audit/chain.py), so writers take turns for the length
of the append. N threads, each with its own connection, each commit `--each` transactions of
one change event (`record` inside `transaction.atomic`), as the actions do. Baseline, in the
same run: the same threads inserting the same rows into a copy of the events table with no
chain (no head lock, no HMAC): what the database gives without the serialising row. Printed as
appends per second, and the ratio.

Usage: python benchmarks/audit_append.py [--writers 16] [--each 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import threading
import time
from collections.abc import Callable

from common import machine, row, scratch_database, setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--each", type=int, default=200)
    args = parser.parse_args()
    with scratch_database() as env:
        setup_django(env)
        print(f"machine: {machine()}")
        from django.db import connection

        with connection.cursor() as cur:  # the baseline's table: the same columns and indexes
            cur.execute("CREATE TABLE bench_events (LIKE audit_auditevent INCLUDING ALL)")
        chained = rate(args.writers, args.each, _chained)
        plain = rate(args.writers, args.each, _plain)
        row(f"appends/s, {args.writers} writers, chained", chained, plain, "/s")
        from hoso.audit.chain import verify

        checked, broken = verify()
        print(f"chain verified after the run: {checked} events, broken: {broken}")


def rate(writers: int, each: int, append: Callable[[int], None]) -> float:
    from django.db import connections

    barrier = threading.Barrier(writers + 1)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait()
            for i in range(each):
                append(n * each + i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return writers * each / elapsed


def _chained(i: int) -> None:
    from django.db import transaction

    from hoso.audit import events
    from hoso.audit.chain import record

    with transaction.atomic():
        record(events.ORG_RENAMED.code, reason=f"bench {i}", details={"i": i})


def _plain(i: int) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO bench_events (created_at, actor_name, event_type, object_type,"
            " object_id, reason, details, prev_hash, hash, key_id)"
            " VALUES (%s, '', 'org.renamed', '', '', %s, %s, '', %s, '')",
            [dt.datetime.now(dt.UTC), f"bench {i}", json.dumps({"i": i}), f"{i:064d}"],
        )


if __name__ == "__main__":
    main()
