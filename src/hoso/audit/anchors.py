"""Anchors: the chain's head signed, kept outside the database.

Once a day (`hoso worker`, or `hoso audit anchor` by hand) the head — the newest event's id and
hash — is signed with the private key in use (Ed25519, audit/keys.py) and appended as one line
of JSON to the anchor file (`HOSO_AUDIT_ANCHOR_FILE`, by default `<data dir>/audit-anchors.jsonl`),
printed for the security officer (`--pdf`), and recorded in the chain (`audit.anchored`).
An anchor is a self-contained object (`as_dict`) that the exchange between installations can
carry to the level above.

`hoso audit verify --anchors FILE` checks each anchor: signed by a key of the installation, and
the chain still holds that event with that hash. Someone who rewrites the database, even with
the key, cannot change what was anchored before without the anchors of the file and the papers
disagreeing; someone without the key cannot make an anchor.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hoso.audit import chain, events, keys
from hoso.audit.models import AuditEvent

PREFIX = "hoso-audit-anchor"


@dataclass(frozen=True)
class Anchor:
    day: str  # ISO date of the anchor (the installation's time zone)
    event_id: int
    hash: str
    key_id: str
    signature: str = ""

    def message(self) -> str:
        return f"{PREFIX}|{self.day}|{self.event_id}|{self.hash}|{self.key_id}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        return json.dumps(self.as_dict(), sort_keys=True)


def path() -> Path:
    return Path(settings.HOSO_AUDIT_ANCHOR_FILE)


def make(day: dt.date | None = None) -> Anchor:
    """Sign the head as it is now, append it to the anchor file and record it in the chain."""
    day = day or timezone.localdate()
    with transaction.atomic():
        head, _ring, key = chain.locked_head()
        unsigned = Anchor(day.isoformat(), head.last_event_id, head.last_hash, key.id)
        anchor = Anchor(**{**unsigned.as_dict(), "signature": key.sign(unsigned.message())})
        chain.seal(head, key)
        chain.record(events.ANCHORED.code, details=anchor.as_dict())
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a", encoding="utf-8") as out:
        out.write(anchor.line() + "\n")
    return anchor


def anchored_today(day: dt.date) -> bool:
    return AuditEvent.objects.filter(
        event_type=events.ANCHORED.code, details__day=day.isoformat()
    ).exists()


def daily(day: dt.date) -> Anchor | None:
    """The worker's pass: one anchor a day."""
    return None if anchored_today(day) else make(day)


def read(source: Path) -> list[Anchor]:
    found = []
    for number, text in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        if not text.strip():
            continue
        try:
            found.append(Anchor(**json.loads(text)))
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{source}, line {number}: not an anchor ({exc})") from exc
    return found


def problems(anchors: list[Anchor]) -> list[str]:
    """What does not hold of each anchor: its signature by a key of the installation, and the
    event it names, still in the chain with the same hash."""
    ring = keys.load()
    found = []
    hashes = dict(
        AuditEvent.objects.filter(pk__in=[a.event_id for a in anchors]).values_list("pk", "hash")
    )
    for anchor in anchors:
        where = f"anchor of {anchor.day} (event {anchor.event_id})"
        key = ring.get(anchor.key_id)
        if key is None:
            found.append(f"{where}: key {anchor.key_id} is not in the key directory")
        elif not key.signed(Anchor(**{**anchor.as_dict(), "signature": ""}).message(),
                            anchor.signature):  # fmt: skip
            found.append(f"{where}: the signature does not match (not made with the key)")
        elif anchor.event_id and anchor.event_id not in hashes:
            found.append(f"{where}: the event is no longer in the chain")
        elif anchor.event_id and hashes[anchor.event_id] != anchor.hash:
            found.append(f"{where}: the event's hash is not the one anchored")
    return found
