"""Writing to and verifying the audit chain."""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from hoso.audit import events, keys
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
    fields = {
        "actor": actor,
        "actor_name": (actor.get_username() if actor is not None else ""),
        "event_type": event_type,
        "object_type": obj._meta.label_lower if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "organization": organization or (_organization_of(obj) if obj is not None else None),
        "ip": acting.address,
        "reason": reason or acting.reason,
        "details": details or {},
    }
    with transaction.atomic():
        head, ring, key = locked_head()
        event = _append(head, ring, **fields)
        seal(head, key)
    return event


def rotate_key() -> str:
    """Make a new key and introduce it now, by an event made under the key before it (the
    events after it are made under the new one). Returns the new key's id."""
    made = keys.make()
    with transaction.atomic():
        head, _ring, key = locked_head()
        seal(head, key)
    assert key.id == made.id
    return made.id


def introduce_key() -> None:
    """After `migrate` (and a test database's flush): the installation's key made and
    introduced now, so that the chain's first event is its key's introduction."""
    with transaction.atomic():
        head, _ring, key = locked_head()
        seal(head, key)


def locked_head() -> tuple[ChainHead, dict[str, keys.Key], keys.Key]:
    """The chain's head, locked (concurrent appends take turns, so prev_hash is never stale),
    with the key ring and the key to make events under; a key new to the chain is introduced
    first, under the one before it."""
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # only after a test flush: migrations create the row
        head = ChainHead.objects.create(pk=1)
    ring, key = _key_for(head)
    if key.id != head.key_id:
        _append(head, ring, event_type=events.KEY_INTRODUCED.code, details=_introducing(key))
        head.key_id = key.id
    return head, ring, key


def seal(head: ChainHead, key: keys.Key) -> None:
    head.seal = key.mac(head.sealed_text())
    head.save(update_fields=["last_event_id", "last_hash", "key_id", "seal"])


def _key_for(head: ChainHead) -> tuple[dict[str, keys.Key], keys.Key]:
    """The key ring and the key the next event is made under: the newest of the directory
    (the installation's first is made now). The key in effect must still be there, and no key
    older than it may come after it: else nothing is written (fail closed)."""
    ring = keys.ring()
    if not ring:
        keys.make()
        ring = keys.ring()
    key = keys.newest(ring)
    assert key is not None
    if head.key_id and (head.key_id not in ring or key.id < head.key_id):
        raise RuntimeError(
            f"the audit key in use ({head.key_id}) is missing from {keys.directory()}: "
            "restore it; no event can be written meanwhile"
        )
    return ring, key


def _introducing(key: keys.Key) -> dict[str, str]:
    return {"key_id": key.id, "public_key": key.public_hex}


def _append(head: ChainHead, ring: dict[str, keys.Key], **fields: Any) -> AuditEvent:
    """One event after the head, under the key in effect, and the head moved to it."""
    fields.setdefault("ip", None)
    event = AuditEvent(
        created_at=dt.datetime.now(dt.UTC),
        prev_hash=head.last_hash,
        key_id=head.key_id,
        **fields,
    )
    event.hash = event.compute_hash(ring.get(head.key_id) if head.key_id else None)
    event.save()
    head.last_event_id = event.pk
    head.last_hash = event.hash
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
    """Recompute the whole chain with the keys of the key directory. Returns (events checked,
    first break or None). Each event must be made under the key in effect at its place (the
    events before the first key: SHA-256 alone), each key of the directory must have been
    introduced by the chain, and the head's seal must match the last event."""
    ring = keys.load()
    previous, in_effect, introduced = GENESIS_HASH, "", set()
    checked = 0
    last: AuditEvent | None = None
    for event in _in_order(chunk_size):
        checked += 1
        problem = _problem(event, previous, in_effect, ring)
        if problem:
            return checked, Break(event.pk, event.created_at, problem)
        if event.event_type == events.KEY_INTRODUCED.code:
            in_effect = str(event.details.get("key_id", ""))
            introduced.add(in_effect)
            problem = _not_held(event, in_effect, ring)
            if problem:
                return checked, Break(event.pk, event.created_at, problem)
        previous = event.hash
        last = event
    event_id, when = (last.pk, last.created_at) if last is not None else (0, None)
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != previous:
        return checked, Break(
            event_id, when, "the newest events were removed (chain head does not match)"
        )
    if (
        head is not None
        and in_effect
        and not hmac.compare_digest(head.seal, ring[in_effect].mac(head.sealed_text()))
    ):
        return checked, Break(event_id, when, "the chain head was moved without the key")
    never = sorted(set(ring) - introduced)
    if never:
        return checked, Break(
            event_id,
            when,
            f"key {never[0]} of the key directory was never introduced: the chain was "
            "rewritten from before its introduction",
        )
    return checked, None


def _not_held(event: AuditEvent, key_id: str, ring: dict[str, keys.Key]) -> str:
    """An introduction names a key of the directory, with its public key as held."""
    if key_id in ring and ring[key_id].public_hex == event.details.get("public_key"):
        return ""
    return f"introduces key {key_id}, which is not in the key directory (or not as held)"


def _problem(event: AuditEvent, previous: str, in_effect: str, ring: dict[str, keys.Key]) -> str:
    if event.prev_hash != previous:
        return "previous hash does not match: an event before this one was removed or altered"
    if event.key_id != in_effect:
        return (
            f"made under key {event.key_id or '(none)'} while {in_effect or '(none)'} was in effect"
        )
    if in_effect and in_effect not in ring:
        return f"key {in_effect} is not in the key directory: this event cannot be checked"
    expected = event.compute_hash(ring[in_effect] if in_effect else None)
    if not hmac.compare_digest(expected, event.hash):
        return "content does not match its hash"
    return ""


def _in_order(chunk_size: int) -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size)
