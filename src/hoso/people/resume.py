"""Resume actions: relatives and biography entries, and the audited reveal of sensitive notes."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events, reasons
from hoso.audit.chain import record
from hoso.people.models import BiographyEntry, Member, Passport, Relative

MASK = "••••••"


def _add(actor: User, member: Member, record_of: Any, **fields: Any) -> Any:
    """Validate and save one declared item of the member's resume, with its audit event."""
    policy.require(actor, policy.Action.MEMBER_MANAGE, member.organization)
    with transaction.atomic():
        item = record_of(person=member.person, **fields)
        item.full_clean()
        item.save()
        record(
            events.RESUME_ADDED.code,
            actor=actor,
            obj=member,
            organization=member.organization,
            details={"item": item._meta.model_name, "id": item.pk},
        )
    return item


def add_relative(actor: User, member: Member, **fields: Any) -> Relative:
    relative: Relative = _add(actor, member, Relative, recorded_by=actor, **fields)
    return relative


def add_entry(actor: User, member: Member, **fields: Any) -> BiographyEntry:
    entry: BiographyEntry = _add(actor, member, BiographyEntry, recorded_by=actor, **fields)
    return entry


def add_passport(actor: User, member: Member, **fields: Any) -> Passport:
    passport: Passport = _add(actor, member, Passport, **fields)
    return passport


def reveal(actor: User, member: Member, *, reason: str) -> None:
    """Record that `actor` is shown the sensitive notes of this resume, and why (raises if not
    allowed, or without a reason)."""
    policy.require(actor, policy.Action.SENSITIVE_REVEAL, member.organization)
    why = reasons.required(reason)
    record(
        events.RESUME_REVEALED.code,
        actor=actor,
        obj=member,
        organization=member.organization,
        reason=why,
    )


def masked_relatives(member: Member, revealed: bool) -> list[dict[str, Any]]:
    rows = []
    for relative in member.person.relatives.select_related("relationship"):
        notes = {f: getattr(relative, f) for f in Relative.sensitive_fields}
        if not revealed:
            notes = {f: (MASK if v else "") for f, v in notes.items()}
        rows.append({"r": relative, **notes})
    return rows


def masked_entries(member: Member, revealed: bool) -> list[dict[str, Any]]:
    return [
        {"e": e, "content": e.content if revealed or not e.sensitive else MASK}
        for e in member.person.biography.all()
    ]
