"""Resume actions (the reads stay in hoso.people.resume)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events, reasons
from hoso.audit.chain import record
from hoso.people.models import BiographyEntry, Member, Passport, Relative


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
