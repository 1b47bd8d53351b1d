"""Decisions that two records are one human being, and their undoing (the proposals are in
hoso.people.identity). Each needs person.link over every record it touches, a reason, and
leaves an IdentityDecision beside its audit event; nothing is moved, so undoing is exact."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from hoso.access.models import User
from hoso.access.policy import Action
from hoso.audit import events
from hoso.audit.chain import record
from hoso.lib import vntext
from hoso.people.identity import visible_persons
from hoso.people.models import (
    DatePrecision,
    DecisionKind,
    IdentityDecision,
    Person,
    Relative,
    Sex,
)

A = Action.PERSON_LINK


class IdentityError(ValueError):
    pass


def _reason(reason: str) -> str:
    if not reason.strip():
        raise IdentityError(_("Give the reason for this decision."))
    return reason.strip()


def _actable_person(actor: User, pk: int) -> Person:
    """The person, locked, if the actor may decide about them; else as if missing."""
    found = visible_persons(actor, A).filter(pk=pk).select_for_update().first()
    if found is None:
        raise Http404
    return found


def _actable_relative(actor: User, pk: int) -> Relative:
    found = Relative.objects.visible_to(actor, A).filter(pk=pk).select_for_update().first()
    if found is None:
        raise Http404
    return found


KIND = {
    events.RELATIVE_LINKED: DecisionKind.LINK,
    events.PERSON_FROM_RELATIVE: DecisionKind.LINK,
    events.RELATIVE_UNLINKED: DecisionKind.UNLINK,
    events.PERSONS_MERGED: DecisionKind.MERGE,
    events.PERSONS_UNMERGED: DecisionKind.UNMERGE,
    events.PERSONS_DISTINCT: DecisionKind.DISTINCT,
}


def _decide(actor: User, event: events.EventType, **fields: Any) -> IdentityDecision:
    """The decision row and its event, filed under the organization keeping the records (the
    declarer's for a relative)."""
    decision = IdentityDecision.objects.create(kind=KIND[event], by=actor, **fields)
    relative, other = fields.get("relative"), fields.get("other")
    org = relative.person.organization if relative else fields["person"].organization
    if org is None and other is not None:
        org = other.organization
    details = {k: v.pk for k, v in fields.items() if hasattr(v, "pk")}
    record(event.code, actor=actor, obj=decision, organization=org, reason=fields["reason"],
           details={"decision": decision.pk, **details})  # fmt: skip
    return decision


def link_relative(actor: User, relative: Relative, person: Person, *, reason: str) -> Relative:
    """The declared relative is this person hoso holds (the one they were merged into, if
    so)."""
    why = _reason(reason)
    with transaction.atomic():
        relative = _actable_relative(actor, relative.pk)
        person = _actable_person(actor, person.merged_into_id or person.pk)
        if relative.identity_id is not None:
            raise IdentityError(_("This relative is already linked: undo that link first."))
        if relative.person_id == person.pk:
            raise IdentityError(_("A person cannot be their own relative."))
        relative.identity = person
        relative.save(update_fields=["identity"])
        _decide(actor, events.RELATIVE_LINKED, person=person, relative=relative, reason=why)
    return relative


def unlink_relative(actor: User, relative: Relative, *, reason: str) -> Relative:
    why = _reason(reason)
    with transaction.atomic():
        relative = _actable_relative(actor, relative.pk)
        if relative.identity_id is None:
            raise IdentityError(_("This relative is not linked to anyone."))
        person = _actable_person(actor, relative.identity_id)
        relative.identity = None
        relative.save(update_fields=["identity"])
        _decide(actor, events.RELATIVE_UNLINKED, person=person, relative=relative, reason=why)
    return relative


def person_from_relative(actor: User, relative: Relative, *, sex: str, reason: str) -> Person:
    """A relative about to be vetted becomes a person of their own, from what was declared
    (the officer completes the record), linked to the relative."""
    why = _reason(reason)
    if sex not in Sex.values:
        raise IdentityError(_("Choose the sex of the person."))
    with transaction.atomic():
        relative = _actable_relative(actor, relative.pk)
        if relative.identity_id is not None:
            raise IdentityError(_("This relative is already linked to a person."))
        name = vntext.parse_name(relative.full_name)
        person = Person(
            family_name=name.family,
            middle_name=name.middle,
            given_name=name.given,
            sex=sex,
            residence=relative.residence,
            occupation=relative.occupation,
        )
        if relative.birth_year:
            person.birth_date = dt.date(relative.birth_year, 1, 1)
            person.birth_date_precision = DatePrecision.YEAR
        person.save()
        relative.identity = person
        relative.save(update_fields=["identity"])
        _decide(actor, events.PERSON_FROM_RELATIVE, person=person, relative=relative, reason=why)
    return person


def _conflicts(kept: Person, merged: Person) -> str | None:
    if kept.pk == merged.pk:
        return _("A record cannot be merged with itself.")
    if kept.merged_into_id or merged.merged_into_id:
        return _("One of these records is already merged: work from the record kept.")
    if merged.merged.exists():
        return _("Other records are merged into the second one: undo those merges first.")
    for label, a, b in (
        (_("citizen ID"), kept.citizen_id, merged.citizen_id),
        (_("old ID card number"), kept.old_id, merged.old_id),
        (_("sex"), kept.sex, merged.sex),
    ):
        if a and b and a != b:
            return _("The two records have different %(fact)s: they are two people.") % {
                "fact": label
            }
    if hasattr(kept, "member") and hasattr(merged, "member"):
        return _(
            "Both records are Party members: settle the double registration in the member "
            "records first."
        )
    return None


def merge(actor: User, kept: Person, merged: Person, *, reason: str) -> Person:
    """`merged` is the same human being as `kept`: it points to it from now on. Both records
    and everything that refers to either stay as they are (reversible, both histories kept)."""
    why = _reason(reason)
    with transaction.atomic():
        first, second = sorted([kept.pk, merged.pk])  # lock in one order: no deadlock
        locked = {first: _actable_person(actor, first), second: _actable_person(actor, second)}
        kept, merged = locked[kept.pk], locked[merged.pk]
        problem = _conflicts(kept, merged)
        if problem:
            raise IdentityError(problem)
        merged.merged_into = kept
        merged.save(update_fields=["merged_into"])
        _decide(actor, events.PERSONS_MERGED, person=kept, other=merged, reason=why)
    return kept


def unmerge(actor: User, merged: Person, *, reason: str) -> Person:
    why = _reason(reason)
    with transaction.atomic():
        merged = _actable_person(actor, merged.pk)
        if merged.merged_into_id is None:
            raise IdentityError(_("This record is not merged into another."))
        kept = _actable_person(actor, merged.merged_into_id)
        merged.merged_into = None
        merged.save(update_fields=["merged_into"])
        _decide(actor, events.PERSONS_UNMERGED, person=kept, other=merged, reason=why)
    return merged


def mark_distinct(
    actor: User, person: Person, other: Person | Relative, *, reason: str
) -> IdentityDecision:
    """The proposed pair are two people: hoso stops proposing it."""
    why = _reason(reason)
    with transaction.atomic():
        person = _actable_person(actor, person.pk)
        if isinstance(other, Relative):
            fields: dict[str, Any] = {"relative": _actable_relative(actor, other.pk)}
        else:
            fields = {"other": _actable_person(actor, other.pk)}
        return _decide(actor, events.PERSONS_DISTINCT, person=person, reason=why, **fields)
