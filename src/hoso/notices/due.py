"""Due items from every app, and the worker's pass over them.

notices sits below the apps whose records fall due, so it imports none of them: each app
describes its kinds of due item as a `Source` and registers it from its AppConfig.ready()
(`register`). One pass (`run_once`, run every minute by `hoso worker`) asks every registered
source for its candidates and notifies the people responsible for each item once per stage:
DUE_SOON when the warning begins (`warn_days` before the deadline, or the source's own
`warns_on` day), OVERDUE the day after the deadline. For a source whose deadline can move
(`moving`), a moved deadline is a new fact, notified again.

Claiming is a compare-and-swap on each item's `alert_version`, done a batch at a time:

    UPDATE … SET alert_version = v + 1, alert_stage = s, alert_claim = <token>, … WHERE
    id IN (…) AND alert_version = v

then the rows carrying this worker's token are the ones it won, and it writes their
notifications in the same transaction. A second worker that read the same version updates
nothing (PostgreSQL re-checks the condition once the first commits; SQLite runs writers one at
a time), so two workers never notify the same fact twice; a unique (user, fact) constraint
backs this up. Every change to an item's state or deadline bumps its version too
(`void_claims`, or `alert_version += 1` under the row lock), so a claim made on what the
worker read before the change is void. Batches go in id order, so two workers lock rows in the
same order and cannot deadlock.

A source's model carries the worker's columns:

    alert_version = models.PositiveIntegerField(default=0)      # the compare-and-swap counter
    alert_stage = models.PositiveSmallIntegerField(default=0)   # the last stage notified
    alert_due_on = models.DateField(null=True, blank=True)      # its deadline (moving sources)
    alert_claim = models.CharField(max_length=32, blank=True)   # the token of the last claim
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import F, Q

from hoso.notices.models import Notification

WARN_DAYS = 3  # an item is "due soon" this many days before its deadline, unless it says
DUE_SOON, OVERDUE = 1, 2
BATCH = 1000

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Item:
    """One item won by a claim: its id, the stage notified, its deadline, and the source's
    `fields` as read."""

    pk: int
    stage: int
    due: dt.date
    row: Row


@dataclass(frozen=True)
class Source:
    """One kind of due item.

    name: the prefix of the notified facts' keys ("case", "petition" …), unique.
    model: the model holding the worker's columns (see the module docstring).
    deadline: the due date, an expression over the model's own columns (F("due_on")); the
        worker annotates the candidates with it as `deadline`, and a claim stores it.
    candidates(today): the items that may be due: open, not paused, in the state the deadline
        belongs to. The worker keeps those whose warning has begun and whose stage is not
        notified yet; with `warns_on` the source limits the window itself (a wider window is
        fine: the stage is computed per row).
    recipients(items): {item id: user ids}, the people responsible for each item: its
        assignee and team, or `access.policy.responsible` (who may act, nearest first).
    text(item), url(item): the notification.
    fields: the further columns read with each row, for warns_on, recipients, text and url.
    warn_days: days before the deadline when the warning begins; None: overdue only.
    warns_on(row): the day the warning begins, when it is not a fixed number of days.
    moving: the model keeps `alert_due_on`, so a moved deadline is a new fact.
    key(item): the fact's key, once per user; by default name:id:stage:deadline.
    """

    name: str
    model: type[models.Model]
    deadline: Any
    candidates: Callable[[dt.date], models.QuerySet[Any]]
    recipients: Callable[[list[Item]], Mapping[int, Iterable[int]]]
    text: Callable[[Item], str]
    url: Callable[[Item], str]
    fields: tuple[str, ...] = ()
    warn_days: int | None = WARN_DAYS
    warns_on: Callable[[Row], dt.date | None] | None = None
    moving: bool = True
    key: Callable[[Item], str] | None = None

    def key_of(self, item: Item) -> str:
        if self.key is not None:
            return self.key(item)
        return f"{self.name}:{item.pk}:{item.stage}:{item.due.isoformat()}"

    def warning(self, row: Row) -> dt.date | None:
        if self.warns_on is not None:
            return self.warns_on(row)
        if self.warn_days is None:
            return None
        due: dt.date = row["deadline"]
        return due - dt.timedelta(days=self.warn_days)


# The registry, filled by the apps' AppConfig.ready(), in INSTALLED_APPS order.
SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    known = SOURCES.get(source.name)
    if known is not None and known is not source:
        raise ValueError(f"two due-item sources named {source.name!r}")
    SOURCES[source.name] = source
    return source


def void_claims(item: models.Model) -> None:
    """Make void any claim the worker is making on `item`: call it in the transaction of a
    change to what the worker reads (state, pause, deadline). An UPDATE, so an instance saved
    earlier or later in the transaction does not write the version back."""
    type(item)._default_manager.filter(pk=item.pk).update(alert_version=F("alert_version") + 1)


@dataclass
class Pass:
    claimed: int = 0
    notifications: int = 0
    by_source: dict[str, tuple[int, int]] = field(default_factory=dict)


def stage(due: dt.date, warning: dt.date | None, today: dt.date) -> int:
    if due < today:
        return OVERDUE
    if warning is not None and warning <= today:
        return DUE_SOON
    return 0


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _pending(source: Source, today: dt.date) -> models.QuerySet[Any]:
    """The candidates whose warning has begun and whose stage is not notified yet."""
    qs: models.QuerySet[Any] = source.candidates(today).annotate(deadline=source.deadline)
    if source.warns_on is None:
        if source.warn_days is None:
            qs = qs.filter(deadline__lt=today)
        else:
            qs = qs.filter(deadline__lte=today + dt.timedelta(days=source.warn_days))
    not_yet = Q(alert_stage__lt=DUE_SOON) | Q(alert_stage__lt=OVERDUE, deadline__lt=today)
    if source.moving:
        not_yet |= Q(alert_due_on__isnull=True) | ~Q(alert_due_on=F("deadline"))
    return qs.filter(not_yet)


def _claim(source: Source, wanted: Mapping[tuple[int, int], list[int]]) -> str:
    """Compare-and-swap each group {(seen version, stage): ids}; returns this claim's token.

    A plain UPDATE of the model's own rows, no join nor subquery, so that PostgreSQL re-checks
    `alert_version = seen` on the row another worker or an action may have just changed. The
    deadline stored is the row's own: unchanged since it was read if the version is."""
    token = uuid.uuid4().hex
    manager = source.model._default_manager
    extra = {"alert_due_on": source.deadline} if source.moving else {}
    for (seen, level), ids in wanted.items():
        manager.filter(pk__in=ids, alert_version=seen).update(
            alert_version=seen + 1, alert_stage=level, alert_claim=token, **extra
        )
    return token


def _batch(source: Source, batch: list[int], today: dt.date) -> tuple[int, int]:
    """Claim what is due in one batch of candidates and notify it: (claimed, notifications)."""
    columns = ["pk", "alert_version", "alert_stage", "deadline", *source.fields]
    if source.moving:
        columns.append("alert_due_on")
    with transaction.atomic():
        wanted: dict[tuple[int, int], list[int]] = defaultdict(list)
        rows: dict[int, Row] = {}
        for row in _pending(source, today).filter(pk__in=batch).order_by("pk").values(*columns):
            due = row["deadline"]
            level = stage(due, source.warning(row), today)
            done = row["alert_stage"] if not source.moving or row["alert_due_on"] == due else 0
            if level > done:
                wanted[(row["alert_version"], level)].append(row["pk"])
                rows[row["pk"]] = row
        if not wanted:
            return 0, 0
        token = _claim(source, wanted)
        won = set(
            source.model._default_manager.filter(pk__in=rows, alert_claim=token).values_list(
                "pk", flat=True
            )
        )
        levels = {pk: level for (_seen, level), ids in wanted.items() for pk in ids}
        items = [
            Item(pk=pk, stage=levels[pk], due=rows[pk]["deadline"], row=rows[pk])
            for pk in sorted(won)
        ]
        people = source.recipients(items)
        notices = [
            Notification(
                user_id=user_id,
                key=source.key_of(item),
                text=source.text(item),
                url=source.url(item),
            )
            for item in items
            for user_id in sorted(people.get(item.pk, ()))
        ]
        notices = _not_told_yet(notices)
        Notification.objects.bulk_create(notices)
    return len(items), len(notices)


def _not_told_yet(notices: list[Notification]) -> list[Notification]:
    """Leave out a fact already told to its user: a due date that moved and came back is
    claimed again, but its key exists (the unique key would otherwise fail the batch)."""
    users, keys = {n.user_id for n in notices}, {n.key for n in notices}
    told = set(
        Notification.objects.filter(user_id__in=users, key__in=keys).values_list("user_id", "key")
    )
    return [n for n in notices if (n.user_id, n.key) not in told]


def run_source(source: Source, today: dt.date) -> tuple[int, int]:
    ids = list(_pending(source, today).order_by("pk").values_list("pk", flat=True))
    claimed = notified = 0
    for batch in _batches(ids):
        won, written = _batch(source, batch, today)
        claimed, notified = claimed + won, notified + written
    return claimed, notified


def run_once(today: dt.date) -> Pass:
    """One pass over every registered source."""
    result = Pass()
    for name, source in SOURCES.items():
        claimed, notified = run_source(source, today)
        result.claimed += claimed
        result.notifications += notified
        result.by_source[name] = (claimed, notified)
    return result


def tell_once(user_ids: Iterable[int], key: str, text: str, url: str = "") -> int:
    """A fact that is not a due item (a worker pass's warning) told once to each user: how many
    were told now (those told before, by `key`, are not told again)."""
    notices = [Notification(user_id=u, key=key, text=text, url=url) for u in sorted(set(user_ids))]
    with transaction.atomic():
        notices = _not_told_yet(notices)
        Notification.objects.bulk_create(notices, ignore_conflicts=True)
    return len(notices)
