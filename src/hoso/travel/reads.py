"""Opening one trip, long stay or foreign relation for display, with the read recorded: each
names a member, where they go or whom abroad they are tied to (pages and API alike)."""

from __future__ import annotations

from typing import Any

from hoso.audit import events
from hoso.audit.chain import record
from hoso.audit.reads import open_one
from hoso.travel.models import Relation, Stay, Trip


def open_trip(actor: Any, pk: int) -> Trip:
    visible = Trip.objects.visible_to(actor).select_related("member__person", "organization")
    return open_one(visible, pk, events.TRIP_VIEWED.code, actor)


def open_stay(actor: Any, pk: int) -> Stay:
    visible = Stay.objects.visible_to(actor).select_related(
        "member__person", "organization", "created_by"
    )
    return open_one(visible, pk, events.STAY_VIEWED.code, actor)


def note_stay(actor: Any, stay: Stay, page: str) -> None:
    """The read of a stay a page has already opened and allowed (its correction form)."""
    record(events.STAY_VIEWED.code, actor=actor, obj=stay, details={"page": page})


def open_relation(actor: Any, pk: int) -> Relation:
    visible = Relation.objects.visible_to(actor).select_related("member__person", "organization")
    return open_one(visible, pk, events.RELATION_VIEWED.code, actor)
