"""Raising and purging insider flags: `scan` reads the audit events written since the last
scan and raises (or extends) a flag for each fact a rule finds; `purge` deletes the flags past
their retention. Each flag raised, extended or purged is an audit event in the same
transaction.

Why the scan reads only new events, cheaply, whatever the trail's size:

1. Ids follow commit order. Every event is appended under the lock of the chain's head row,
   held until its transaction commits (audit/chain.py), so once the scan has seen event n no
   event below n can still appear. The cursor (`FlagScan.last_event_id`) is therefore exact:
   the new events are `id > cursor`, read by the primary key's range, a chunk at a time.
2. A window rule needs the same account's events of one window before the first new one (a
   burst cut in two by the previous scan): those come from the index `audit_actor_time`
   (`actor_id = ? AND created_at >= ?`), one account at a time, a window's worth of rows.
3. The after-hours rule reads one account's day the same way; an export is one event.

PostgreSQL 15 plans (EXPLAIN over 2,000,000 events, 2026-12-02): the newest id is an Index
Only Scan Backward on `audit_auditevent_pkey` (one row); the chunk an Index Scan on
`audit_auditevent_pkey` (Index Cond `id > $1 AND id <= $2`, event type and actor filtered on
the chunk's rows); the earlier events an Index Scan on `audit_actor_time` (Index Cond
`actor_id = $1 AND created_at >= $2`). None reads a row older than the longest window (or the
day) before the new events. A flag to extend is found through `flag_actor_rule_end`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hoso.audit import events
from hoso.audit.chain import record
from hoso.audit.models import AuditEvent
from hoso.orgs.models import Organization
from hoso.trail import flags
from hoso.trail.flags import Ev, Finding, Thresholds
from hoso.trail.models import Flag, FlagScan
from hoso.workcal.service import calendar_around

CHUNK = 20_000  # new events read per transaction


@dataclass
class Scanned:
    read: int = 0  # new events of the kinds the rules look at
    raised: int = 0
    extended: int = 0
    through: int = 0  # the cursor after the scan


def _rows(qs: Any) -> list[Ev]:
    return [Ev(**row) for row in qs.order_by("id").values(*Ev.FIELDS)]


def scan(limits: Thresholds | None = None, *, chunk: int = CHUNK) -> Scanned:
    """Read every audit event after the cursor, a chunk per transaction, and raise the flags
    they make. Running it twice raises nothing the second time: the cursor has moved, and a
    finding whose events a flag already holds changes nothing."""
    limits = limits or Thresholds.from_settings()
    done = Scanned()
    while True:
        with transaction.atomic():
            cursor = _cursor()
            newest = AuditEvent.objects.aggregate(n=Max("id"))["n"] or 0
            upto = min(newest, cursor.last_event_id + chunk)
            if upto <= cursor.last_event_id:
                done.through = cursor.last_event_id
                return done
            _scan_chunk(cursor.last_event_id, upto, limits, done)
            cursor.last_event_id = upto
            cursor.scanned_at = timezone.now()
            cursor.save(update_fields=["last_event_id", "scanned_at"])
            done.through = upto


def _cursor() -> FlagScan:
    """The cursor, locked: two workers scanning at once take turns (PostgreSQL)."""
    cursor = FlagScan.objects.select_for_update().filter(pk=1).first()
    return cursor or FlagScan.objects.create(pk=1)


def _scan_chunk(after: int, upto: int, limits: Thresholds, done: Scanned) -> None:
    codes = flags.read_codes() | flags.export_codes()
    new = _rows(
        AuditEvent.objects.filter(
            id__gt=after, id__lte=upto, actor__isnull=False, event_type__in=codes
        )
    )
    done.read += len(new)
    if not new:
        return

    def earlier(actor_id: int, wanted: frozenset[str], since: dt.datetime) -> list[Ev]:
        return _rows(
            AuditEvent.objects.filter(
                actor_id=actor_id, created_at__gte=since, id__lte=after, event_type__in=wanted
            )
        )

    first_day = timezone.localtime(new[0].created_at).date() - dt.timedelta(days=1)
    calendar = calendar_around(first_day, years=1)
    found = [
        *flags.bulk_viewing(new, earlier, limits),
        *flags.after_hours(new, earlier, limits, calendar),
        *flags.failed_searches(new, earlier, limits),
        *flags.large_exports(new, limits),
    ]
    for finding in found:
        outcome = _keep(finding)
        done.raised += outcome == "raised"
        done.extended += outcome == "extended"


def _existing(finding: Finding) -> Flag | None:
    if finding.key:
        return Flag.objects.filter(rule=finding.rule, key=finding.key).first()
    # A window overlapping the account's latest flag of the rule is the same burst, grown.
    start = min(ev.created_at for ev in finding.events)
    return (
        Flag.objects.filter(rule=finding.rule, actor_id=finding.actor_id, window_end__gte=start)
        .order_by("-window_end")
        .first()
    )


def _keep(finding: Finding) -> str:
    """Raise a flag for the finding, or add its new events to the flag it extends; returns
    "raised", "extended" or "" (nothing new)."""
    flag = _existing(finding)
    ids = {ev.id for ev in finding.events}
    if flag is not None:
        held = set(flag.events.values_list("id", flat=True))
        if ids <= held:
            return ""
        ids |= held
    rows = list(
        AuditEvent.objects.filter(pk__in=ids).values_list(
            "created_at", "organization_id", "object_type", "object_id"
        )
    )
    first = min(row[0] for row in rows)
    last = max(row[0] for row in rows)
    organization = _above_all({row[1] for row in rows})
    raising = flag is None
    if flag is None:
        ev = finding.events[0]
        flag = Flag(
            rule=finding.rule,
            actor_id=ev.actor_id,
            actor_name=ev.actor_name,
            key=finding.key,
            threshold=finding.threshold,
            created_at=timezone.now(),
        )
    flag.window_start, flag.window_end, flag.count = first, last, len(ids)
    flag.detail = finding.detail
    if "records" in flag.detail:  # how many distinct records the whole window opened
        flag.detail["records"] = len({(row[2], row[3]) for row in rows})
    flag.organization = organization
    flag.save()
    flag.events.add(*ids)
    record(
        (events.FLAG_RAISED if raising else events.FLAG_EXTENDED).code,
        obj=flag,
        organization=organization,
        details=described(flag),
    )
    return "raised" if raising else "extended"


def described(flag: Flag) -> dict[str, Any]:
    """What a flag's audit event says of it: the fact, never the events' contents."""
    return {
        "rule": flag.rule,
        "account": flag.actor_name,
        "count": flag.count,
        "threshold": flag.threshold,
        "from": flag.window_start.isoformat(),
        "until": flag.window_end.isoformat(),
        **flag.detail,
    }


def _above_all(org_ids: set[int | None]) -> Organization | None:
    """The deepest organization above (or at) every one of `org_ids`; None when an event is
    filed under no organization, or the events lie under two roots."""
    if not org_ids or None in org_ids:
        return None
    paths = list(Organization.objects.filter(pk__in=org_ids).values_list("path", flat=True))
    # Materialized paths: steps of `steplen` characters; the common steps name the ancestor.
    step = Organization.steplen
    prefix = ""
    for depth in range(min(len(p) for p in paths) // step):
        steps = {p[depth * step : (depth + 1) * step] for p in paths}
        if len(steps) != 1:
            break
        prefix += steps.pop()
    return Organization.objects.filter(path=prefix).first() if prefix else None


def purge(days: int | None = None, *, if_any: bool = False) -> int:
    """Delete the flags raised more than `days` (HOSO_FLAG_RETENTION_DAYS) ago, their links to
    the events with them (the events stay: the trail is append-only). One audit event says
    how many; with `if_any` (the worker's daily pass) nothing is written when none is due."""
    days = days or settings.FLAG_RETENTION_DAYS
    before = timezone.now() - dt.timedelta(days=days)
    with transaction.atomic():
        due = Flag.objects.filter(created_at__lt=before)
        count = due.count()
        if count == 0 and if_any:
            return 0
        due.delete()
        record(
            events.FLAGS_PURGED.code,
            details={"deleted": count, "days": days, "before": before.isoformat()},
        )
    return count
