"""Resume actions: relatives and biography entries, and the audited reveal of sensitive notes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.people.models import BiographyEntry, Member, Passport, Relative

MASK = "••••••"


def add_relative(
    actor: User, member: Member, request: HttpRequest | None = None, **fields: Any
) -> Relative:
    policy.require(actor, policy.Action.MEMBER_MANAGE, member.organization)
    with transaction.atomic():
        relative = Relative(person=member.person, recorded_by=actor, **fields)
        relative.full_clean()
        relative.save()
        record(
            events.RESUME_ADDED.code,
            actor=actor,
            obj=member,
            request=request,
            organization=member.organization,
            details={"relative": relative.pk, "relationship": str(relative.relationship)},
        )
    return relative


def add_entry(
    actor: User, member: Member, request: HttpRequest | None = None, **fields: Any
) -> BiographyEntry:
    policy.require(actor, policy.Action.MEMBER_MANAGE, member.organization)
    with transaction.atomic():
        entry = BiographyEntry(person=member.person, recorded_by=actor, **fields)
        entry.full_clean()
        entry.save()
        record(
            events.RESUME_ADDED.code,
            actor=actor,
            obj=member,
            request=request,
            organization=member.organization,
            details={"entry": entry.pk, "kind": entry.kind},
        )
    return entry


def add_passport(
    actor: User, member: Member, request: HttpRequest | None = None, **fields: Any
) -> Passport:
    policy.require(actor, policy.Action.MEMBER_MANAGE, member.organization)
    with transaction.atomic():
        passport = Passport(person=member.person, **fields)
        passport.full_clean()
        passport.save()
        record(
            events.RESUME_ADDED.code,
            actor=actor,
            obj=member,
            request=request,
            organization=member.organization,
            details={"passport": passport.number, "kind": passport.kind},
        )
    return passport


def reveal(actor: User, member: Member, request: HttpRequest | None = None) -> None:
    """Record that `actor` is shown the sensitive notes of this resume (raises if not allowed)."""
    policy.require(actor, policy.Action.SENSITIVE_REVEAL, member.organization)
    record(
        events.RESUME_REVEALED.code,
        actor=actor,
        obj=member,
        request=request,
        organization=member.organization,
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
