"""Rebuilding the exact member aggregates from scratch, and checking them against a recount
(`hoso aggregates rebuild | verify`; people/aggregates.py has the statements)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hoso.audit import events
from hoso.audit.chain import record
from hoso.people import aggregates, hooks


def rebuild() -> dict[str, int]:
    """Recount every organization's rows, {dimension: rows written}. The table is emptied and
    refilled in one transaction: readers see the old rows until it commits, writers of counts
    wait. Its event comes last, as every writer of counts takes the chain's head after the
    count rows (models/counts.py: the lock order)."""
    with transaction.atomic():
        written = aggregates.rebuild()
        for name, rebuild_counters, _check in hooks.COUNTERS:
            written[name] = rebuild_counters()
        record(events.AGGREGATES_REBUILT.code, details={"rows": sum(written.values())})
    return written


def verify() -> tuple[int, list[Any]]:
    """(rows compared, differences): the stored counts against a recount of the members, and
    the other apps' counters against a recount of their records."""
    compared, differences = aggregates.differences()
    found: list[Any] = list(differences)
    for _name, _rebuild, check in hooks.COUNTERS:
        more, different = check()
        compared += more
        found += different
    record(
        events.AGGREGATES_VERIFIED.code,
        details={"rows": compared, "differences": len(found)},
    )
    return compared, found
