"""Whom and what a user may name in cadre work. Persons: those with a cadre record or a
membership in the user's scope for the action; nobody else is found, so a person of another
commune cannot be put in a list or a cadre record by typing their citizen ID. Organizations
(where a post is held, the managing committee): the user's scope and the committees above it,
since a cadre of a commune is often managed by the province."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from hoso.access import policy
from hoso.cadres.models import Cadre
from hoso.orgs.models import Organization
from hoso.people.models import Member, Person
from hoso.people.search import _name_filter, is_identifier, parse, search_members


def reachable(user: Any, action: str) -> QuerySet[Person]:
    cadres = Cadre.objects.visible_to(user, action).values("person_id")
    members = Member.objects.visible_to(user, action).values("person_id")
    return Person.objects.filter(Q(pk__in=cadres) | Q(pk__in=members))


def find(user: Any, action: str, *, citizen_id: str = "", card_number: str = "") -> Person | None:
    """The person with this citizen ID (CCCD), or the member with this Party card number,
    if the user may reach them."""
    people = reachable(user, action)
    if citizen_id.strip():
        return people.filter(citizen_id=citizen_id.strip()).first()
    if card_number.strip():
        return people.filter(member__card_number=card_number.strip()).first()
    return None


def home_organization(person: Person) -> Organization | None:
    """The person's Party organization when they are a member."""
    member = Member.objects.filter(person=person).select_related("organization").first()
    return member.organization if member is not None else None


def line_orgs(user: Any, action: str = policy.Action.CADRE_MANAGE) -> QuerySet[Organization]:
    """The open organizations of the user's scope and the committees above it."""
    paths = policy.scope_paths(user, action)
    step = Organization.steplen
    above = {p[:i] for p in paths for i in range(step, len(p), step)}
    within = Q(path__in=above)
    for path in paths:
        within |= Q(path__startswith=path)
    orgs: QuerySet[Organization] = Organization.objects.filter(within, valid_to__isnull=True)
    return orgs.order_by("path") if paths else orgs.none()


def search(qs: QuerySet[Cadre], text: str) -> QuerySet[Cadre]:
    """Cadres by citizen ID, old ID or card number, or by the words of the name however
    typed (the last one a prefix), on their own copy of the folded names: the member
    search's rules and index (people.search)."""
    if not text.strip():
        return qs
    if is_identifier(text):
        ident = text.strip()
        return qs.filter(
            Q(person__citizen_id=ident)
            | Q(person__old_id=ident)
            | Q(person__member__card_number=ident)
        )
    terms = parse(text)
    return (
        qs.filter(_name_filter(terms, "cadres_cadre.search_text")) if not terms.empty else qs.none()
    )


def search_people(user: Any, action: str, text: str, limit: int = 30) -> list[Person]:
    """Reachable persons by name or citizen ID, scope first: members through the member
    search (its full-text index), cadres through their scope; Vietnamese name order."""
    if not text.strip():
        return []
    members = search_members(Member.objects.visible_to(user, action), text)
    cadres = search(Cadre.objects.visible_to(user, action), text)
    ids = {
        *members.order_by("sort_key", "id").values_list("person_id", flat=True)[:limit],
        *cadres.order_by("sort_key", "id").values_list("person_id", flat=True)[:limit],
    }
    return list(Person.objects.filter(pk__in=ids).order_by("sort_key", "id")[:limit])
