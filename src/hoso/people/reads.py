"""Reading a member's record for display or export: one function, used by the web pages, the
API and the commands alike, so that no interface can forget the read's audit event."""

from __future__ import annotations

from django.http import Http404

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.audit.reads import open_one
from hoso.orgs.models import Organization
from hoso.people import identity
from hoso.people.models import Member, Person, Relative


def glass(actor: User, member: Member) -> dict[str, int]:
    """`{"break_glass": id}` when the actor sees this member only through an emergency
    access (the read's event then names it, for the access's review), else nothing."""
    through = policy.glass_for(actor, member.pk, member.organization)
    return {"break_glass": through} if through is not None else {}


def open_member(actor: User, pk: int, *, page: str = "") -> Member:
    """The member, if `actor` may see them (else Http404) — their grants, or an emergency
    access to this dossier — with the read recorded; `page` names the view of the record when
    it is not the main one."""
    found = (
        Member.objects.opened_to(actor)
        .select_related("person", "organization")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    details = {**({"page": page} if page else {}), **glass(actor, found)}
    record(events.MEMBER_VIEWED.code, actor=actor, obj=found, details=details or None)
    return found


def note_member(actor: User, member: Member, page: str, **details: object) -> None:
    """The read of a member a page has already opened and allowed (a form that shows the
    record, once its own permission is checked; a page of the dossier): recorded as the
    dossier's read."""
    details = {"page": page, **details, **glass(actor, member)}
    record(events.MEMBER_VIEWED.code, actor=actor, obj=member, details=details)


def open_relative(actor: User, pk: int, *, page: str = "relative") -> Relative:
    """A relative a member declared (else Http404): reading it is reading the member's
    resume, recorded under the member."""
    relative = (
        Relative.objects.opened_to(actor)
        .select_related("person", "identity", "relationship")
        .filter(pk=pk)
        .first()
    )
    if relative is None:
        raise Http404
    # Visible through its member (the scope runs through person -> member): there is one.
    member = Member.objects.select_related("organization").get(person=relative.person_id)
    note_member(actor, member, page, relative=relative.pk)
    return relative


def note_person(actor: User, person: Person, page: str) -> None:
    """The read of a person a page shows with their history (the new-case form shows what
    changed since their last conclusion)."""
    record(events.PERSON_VIEWED.code, actor=actor, obj=person, details={"page": page})


def open_person(actor: User, pk: int) -> Person:
    """The person, if `actor` may see them through any of the apps' scopes (else Http404),
    with the read recorded."""
    visible = identity.visible_persons(actor).select_related("merged_into")
    return open_one(visible, pk, events.PERSON_VIEWED.code, actor)


def list_duplicates(actor: User, org: Organization, *, via: str = "") -> list[identity.Pair]:
    """The candidate pairs under `org` the actor may see, with the read recorded (how many,
    not who)."""
    pairs = identity.duplicates_for(actor, org)
    details: dict[str, object] = {"pairs": len(pairs)}
    if via:
        details["via"] = via
    record(events.DUPLICATES_LISTED.code, actor=actor, organization=org, details=details)
    return pairs
