"""The rules of the insider flags: each a small function over audit events that says which
facts the events make. No rule weighs, sums or compares people: a finding is one account's
events that meet one rule's threshold, nothing more (docs/security.md, "Insider flags").

The rules read plain rows (`Ev`), so they are tested without the database; `actions.scan`
feeds them the new events and the few earlier ones a window needs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from hoso.audit import events
from hoso.lib.workdays import Calendar
from hoso.trail.models import Rule

# Opening one record for display (the apps' `reads.py`): what "bulk viewing" counts. Every
# read event named `<kind>.viewed` (member, person, case, help, request, petition, trip, stay,
# relation; cadre and plan once issue 14 item 2 writes them) but those of lists, registers,
# reports and the audit trail itself, plus a dossier scan or a case file opened. Read from the
# registry, so a kind of record added later is counted; tests/trail/test_flags.py lists them.
NOT_RECORDS = frozenset({"audit", "list", "register", "report", "matters"})
OPENED_FILES = frozenset({events.SCAN_OPENED.code, events.CASE_FILE_OPENED.code})


def record_reads() -> frozenset[str]:
    viewed = {
        code
        for code, kind in events.REGISTRY.items()
        if kind.is_read and code.endswith(".viewed") and code.split(".")[0] not in NOT_RECORDS
    }
    return frozenset(viewed | OPENED_FILES)


# A page of a sensitive list or search, with its filters and its row count
# (`audit.reads.AuditedList` for the API; `list.viewed` for the web pages, issue 14 item 2).
SEARCH_LISTS = frozenset({events.API_LISTED.code, "list.viewed"})
# Details of a list event that are not what was searched for.
NOT_A_FILTER = frozenset({"list", "rows", "page", "ordering"})
# Every other read of sensitive data counts for "after hours", except the marker an API call
# with a token leaves beside the call's own read event.
NOT_COUNTED_READS = frozenset({events.TOKEN_USED.code})


def read_codes() -> frozenset[str]:
    registered = {code for code, kind in events.REGISTRY.items() if kind.is_read}
    return frozenset(registered | SEARCH_LISTS) - NOT_COUNTED_READS


def export_codes() -> frozenset[str]:
    return frozenset(
        code
        for code, kind in events.REGISTRY.items()
        if kind.is_read and code.endswith(".exported")
    )


@dataclass(frozen=True)
class Ev:
    """The columns of an audit event a rule reads."""

    id: int
    actor_id: int
    actor_name: str
    created_at: dt.datetime
    event_type: str
    organization_id: int | None
    object_type: str
    object_id: str
    details: dict[str, Any]

    FIELDS = (
        "id",
        "actor_id",
        "actor_name",
        "created_at",
        "event_type",
        "organization_id",
        "object_type",
        "object_id",
        "details",
    )


@dataclass(frozen=True)
class Thresholds:
    bulk_views: int
    bulk_minutes: int
    work_start: dt.time
    work_end: dt.time
    after_hours_reads: int
    failed_searches: int
    failed_minutes: int
    export_rows: int

    @classmethod
    def from_settings(cls) -> Thresholds:
        return cls(
            bulk_views=settings.FLAG_BULK_VIEWS,
            bulk_minutes=settings.FLAG_BULK_MINUTES,
            work_start=settings.FLAG_WORK_START,
            work_end=settings.FLAG_WORK_END,
            after_hours_reads=settings.FLAG_AFTER_HOURS_READS,
            failed_searches=settings.FLAG_FAILED_SEARCHES,
            failed_minutes=settings.FLAG_FAILED_MINUTES,
            export_rows=settings.FLAG_EXPORT_ROWS,
        )

    @property
    def longest_window(self) -> dt.timedelta:
        return dt.timedelta(minutes=max(self.bulk_minutes, self.failed_minutes))


@dataclass
class Finding:
    """A fact a rule found: one account's events, against the rule's threshold. `key` names
    the one thing a rule flags once (an export, a day); windows of events have none and are
    merged with an overlapping flag of the same rule and account instead."""

    rule: Rule
    events: list[Ev]
    threshold: int
    detail: dict[str, Any] = field(default_factory=dict)
    key: str = ""

    @property
    def actor_id(self) -> int:
        return self.events[0].actor_id


def is_failed_search(ev: Ev) -> bool:
    """A page of a list that found nothing for what was asked: no rows, and a filter given
    (an empty list with no filter is an empty scope, not a search)."""
    if ev.event_type not in SEARCH_LISTS or ev.details.get("rows") != 0:
        return False
    return any(key not in NOT_A_FILTER and value for key, value in ev.details.items())


def rows_exported(ev: Ev) -> int | None:
    """The rows an export event says left (lists: `rows`; a report's records: `count`);
    None for an export whose event carries no count."""
    if ev.event_type not in export_codes():
        return None
    for name in ("rows", "count"):
        value = ev.details.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def is_after_hours(ev: Ev, limits: Thresholds, calendar: Calendar) -> bool:
    """Outside working hours: on a day the calendar says is not a working day (weekends,
    holidays; a substituted working Saturday is one), or before the start or from the end of
    working hours, in the installation's time zone."""
    local = timezone.localtime(ev.created_at)
    if not calendar.is_working_day(local.date()):
        return True
    return not limits.work_start <= local.time() < limits.work_end


def bursts(rows: list[Ev], n: int, minutes: int) -> list[list[Ev]]:
    """The runs of `rows` (one account's, in time order) in which at least `n` events fall
    within `minutes` of each other: every window of `minutes` holding `n` or more, overlapping
    windows merged into one run. Two pointers, linear in the rows."""
    width = dt.timedelta(minutes=minutes)
    runs: list[tuple[int, int]] = []
    first = 0
    for last, row in enumerate(rows):
        while row.created_at - rows[first].created_at >= width:
            first += 1
        if last - first + 1 < n:
            continue
        if runs and first <= runs[-1][1]:
            runs[-1] = (runs[-1][0], last)
        else:
            runs.append((first, last))
    return [rows[a : b + 1] for a, b in runs]


Earlier = Callable[[int, frozenset[str], dt.datetime], list[Ev]]


def _by_actor(rows: Iterable[Ev]) -> dict[int, list[Ev]]:
    grouped: dict[int, list[Ev]] = defaultdict(list)
    for row in rows:
        grouped[row.actor_id].append(row)
    return grouped


def _windows(
    rule: Rule,
    new: list[Ev],
    earlier: Earlier,
    codes: frozenset[str],
    keep: Callable[[Ev], bool],
    n: int,
    minutes: int,
) -> list[Finding]:
    """The bursts that hold at least one new event; the earlier events of the same account
    within one window before the first new one are read too, so a burst cut by the last scan
    is seen whole."""
    found = []
    for actor_id, rows in _by_actor(ev for ev in new if keep(ev)).items():
        since = rows[0].created_at - dt.timedelta(minutes=minutes)
        before = [ev for ev in earlier(actor_id, codes, since) if keep(ev)]
        newest = {ev.id for ev in rows}
        for run in bursts(sorted(before + rows, key=lambda e: e.id), n, minutes):
            if any(ev.id in newest for ev in run):
                detail = {
                    "minutes": minutes,
                    "records": len({(e.object_type, e.object_id) for e in run}),
                }
                found.append(Finding(rule, run, n, detail))
    return found


def bulk_viewing(new: list[Ev], earlier: Earlier, limits: Thresholds) -> list[Finding]:
    """One account opened at least `bulk_views` records within `bulk_minutes`."""
    codes = record_reads()
    return _windows(
        Rule.BULK_VIEWING,
        new,
        earlier,
        codes,
        lambda ev: ev.event_type in codes,
        limits.bulk_views,
        limits.bulk_minutes,
    )


def failed_searches(new: list[Ev], earlier: Earlier, limits: Thresholds) -> list[Finding]:
    """One account's searches found nothing at least `failed_searches` times within
    `failed_minutes`."""
    return _windows(
        Rule.FAILED_SEARCHES,
        new,
        earlier,
        SEARCH_LISTS,
        is_failed_search,
        limits.failed_searches,
        limits.failed_minutes,
    )


def large_exports(new: list[Ev], limits: Thresholds) -> list[Finding]:
    """One export of at least `export_rows` rows: one flag per export event."""
    found = []
    for ev in new:
        rows = rows_exported(ev)
        if rows is not None and rows >= limits.export_rows:
            detail = {"rows": rows, "list": str(ev.details.get("list", ""))}
            found.append(Finding(Rule.LARGE_EXPORT, [ev], limits.export_rows, detail, f"{ev.id}"))
    return found


def after_hours(
    new: list[Ev], earlier: Earlier, limits: Thresholds, calendar: Calendar
) -> list[Finding]:
    """One account's reads outside working hours on one local day, when there are at least
    `after_hours_reads` of them: one flag per account and day, holding all of that day's."""
    codes = read_codes()
    found = []
    days: dict[tuple[int, dt.date], list[Ev]] = defaultdict(list)
    for ev in new:
        if ev.event_type in codes and is_after_hours(ev, limits, calendar):
            days[(ev.actor_id, timezone.localtime(ev.created_at).date())].append(ev)
    for (actor_id, day), rows in days.items():
        start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        end = start + dt.timedelta(days=1)
        newest = {ev.id for ev in rows}
        before = [
            ev
            for ev in earlier(actor_id, codes, start)
            if ev.id not in newest and ev.created_at < end and is_after_hours(ev, limits, calendar)
        ]
        run = sorted(before + rows, key=lambda e: e.id)
        if len(run) < limits.after_hours_reads:
            continue
        detail = {
            "day": day.isoformat(),
            "hours": f"{limits.work_start:%H:%M}–{limits.work_end:%H:%M}",
            "working_day": calendar.is_working_day(day),
        }
        found.append(
            Finding(Rule.AFTER_HOURS, run, limits.after_hours_reads, detail, f"{actor_id}:{day}")
        )
    return found
