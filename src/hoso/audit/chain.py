"""Writing to and verifying the audit chain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from hoso.audit import events
from hoso.audit.models import GENESIS_HASH, AuditEvent, ChainHead
from hoso.lib import context


def _organization_of(obj: Any) -> Any:
    # By label, not by class: the audit layer sits below the organization tree.
    if obj._meta.label_lower == "orgs.organization":
        return obj
    return getattr(obj, "organization", None)


def _in_transaction() -> bool:
    """Inside an atomic block of the code (the test suite's own wrapping block, which Django
    marks, does not count: it would hide a missing one)."""
    blocks = transaction.get_connection().atomic_blocks
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


def record(
    event_type: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    organization: Any = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. The event of a change is written inside the change's transaction and
    refuses to be written outside one, so that no change commits without its event or the
    reverse; the event of a read (`is_read`) may stand alone. The address (and a reason the
    whole run gives) come from the acting context, `hoso.lib.context`."""
    kind = events.get(event_type)  # unknown types fail here, not in a report months later
    # A read has no change to commit with: its event is its own transaction. A change's event
    # must be written in the change's transaction, never in one of its own.
    if not kind.is_read and not _in_transaction():
        raise RuntimeError(
            f"audit event {event_type!r} recorded outside a transaction: wrap the change and "
            "its event in transaction.atomic()"
        )
    acting = context.current()
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        # The row lock makes concurrent appends take turns, so prev_hash is never stale.
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:  # only after a test flush: migrations create the row
            head = ChainHead.objects.create(pk=1)
        event = AuditEvent(
            created_at=dt.datetime.now(dt.UTC),
            actor=actor,
            actor_name=(actor.get_username() if actor is not None else ""),
            event_type=event_type,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            organization=organization or (_organization_of(obj) if obj is not None else None),
            ip=acting.address,
            reason=reason or acting.reason,
            details=details or {},
            prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save()
        head.last_event_id = event.pk
        head.last_hash = event.hash
        head.save(update_fields=["last_event_id", "last_hash"])
    return event


def record_on(
    event_type: str, actor: Any, obj: models.Model, *, why: str = "", **details: Any
) -> AuditEvent:
    """The event of an action on one record, filed under the record's organization: the short
    form the actions use (`why` is the event's reason, typed for a reveal)."""
    return record(event_type, actor=actor, obj=obj, reason=why, details=details)


@dataclass(frozen=True)
class Break:
    event_id: int
    created_at: dt.datetime | None
    problem: str


def verify(chunk_size: int = 5000) -> tuple[int, Break | None]:
    """Recompute the whole chain. Returns (events checked, first break or None)."""
    previous = GENESIS_HASH
    checked = 0
    last: AuditEvent | None = None
    for event in _in_order(chunk_size):
        checked += 1
        if event.prev_hash != previous:
            return checked, Break(
                event.pk,
                event.created_at,
                "previous hash does not match: an event before this one was removed or altered",
            )
        if event.compute_hash() != event.hash:
            return checked, Break(event.pk, event.created_at, "content does not match its hash")
        previous = event.hash
        last = event
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != previous:
        event_id = last.pk if last is not None else 0
        return checked, Break(
            event_id,
            last.created_at if last else None,
            "the newest events were removed (chain head does not match)",
        )
    return checked, None


def _in_order(chunk_size: int) -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size)
