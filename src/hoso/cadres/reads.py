"""Opening a cadre's record or a planning or candidacy list for display, with the read
recorded (pages and API alike): a record holds a person's posts and management category, a
list who is planned or proposed for what."""

from __future__ import annotations

from typing import Any

from hoso.audit import events
from hoso.audit.chain import record
from hoso.audit.reads import open_one
from hoso.cadres.models import Cadre, Plan


def open_cadre(actor: Any, pk: int) -> Cadre:
    visible = Cadre.objects.visible_to(actor).select_related(
        "person", "category", "committee", "organization", "conclusion__case__case_type"
    )
    return open_one(visible, pk, events.CADRE_VIEWED.code, actor)


def note_cadre(actor: Any, cadre: Cadre, page: str, **details: Any) -> None:
    """The read of a record a page has already opened and allowed (a correction form, one
    post of the record)."""
    record(events.CADRE_VIEWED.code, actor=actor, obj=cadre, details={"page": page, **details})


def open_plan(actor: Any, pk: int) -> Plan:
    visible = Plan.objects.visible_to(actor).select_related("organization")
    return open_one(visible, pk, events.PLAN_VIEWED.code, actor)


def note_plan(actor: Any, plan: Plan, **details: Any) -> None:
    """The read of a list a page has already opened (one page of its entries, one entry)."""
    record(events.PLAN_VIEWED.code, actor=actor, obj=plan, details=details)
