"""What a registered document belongs to decides who may see it.

A verification request slip carries the text of its case, a petition notice belongs to a
sealed petition: reading it must need what reading its owner needs (the restriction of a case
to its team, the petition's secrecy level ...). The documents app sits below vetting, petitions
and travel, so it cannot ask them itself: each owning app registers, from its
`AppConfig.ready()`, the `object_type` it writes and the queryset of owners a user may see
(its own `visible_to`, so there is one rule per owner). `RegisterQuerySet.visible_to` then
keeps a document of a registered type only when its owner is in that queryset: one
uncorrelated subquery per type, which PostgreSQL evaluates once per query into a hashed set
("hashed SubPlan"), never a query per row; a user who may see no owner of a type (a clerk and
vetting cases) gets no subquery at all. The cost is one pass over the owners in the user's
scope (about 14 ms for a provincial head with 15,000 cases). A document of an unregistered
type (or of none) keeps the register's own scope.

An app may also offer to take an incoming document that belongs to nothing yet as the start of
one of its records (`register_intake`: vetting makes a request for verification help of a
letter a clerk registered); the register shows the offer to those it is for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse


@dataclass(frozen=True)
class Owner:
    object_type: str
    visible: Callable[[Any], QuerySet[Any]]  # user -> the owners that user may see
    url_name: str  # the owner's page, taking its primary key
    label: str  # what the registers print before the owner's number


_OWNERS: dict[str, Owner] = {}


def register(
    object_type: str, visible: Callable[[Any], QuerySet[Any]], *, url_name: str, label: str
) -> None:
    if object_type in _OWNERS:
        raise ValueError(f"document owner {object_type!r} registered twice")
    _OWNERS[object_type] = Owner(object_type, visible, url_name, label)


def registered() -> tuple[str, ...]:
    return tuple(_OWNERS)


def visible_clause(user: Any) -> Q:
    """Documents that belong to no registered owner, or whose owner the user may see."""
    clause = ~Q(object_type__in=list(_OWNERS))
    for owner in _OWNERS.values():
        # object_id is text: compare it with the owner's key cast to text, never the other
        # way round (an unowned document's '' would not cast to a number).
        keys = owner.visible(user).annotate(owner_key=Cast("pk", CharField())).values("owner_key")
        clause |= Q(object_type=owner.object_type, object_id__in=keys)
    return clause


def link(document: Any) -> tuple[str, str] | None:
    """(label, address) of the owner's page, if the document belongs to one."""
    owner = _OWNERS.get(document.object_type)
    if owner is None or not str(document.object_id).isdigit():
        return None
    return (
        f"{owner.label} {document.object_id}",
        reverse(owner.url_name, args=[int(document.object_id)]),
    )


@dataclass(frozen=True)
class Intake:
    label: Any  # what the register's link says (lazy text)
    url_name: str  # the form that takes `?incoming=<id>`
    offered: Callable[[Any, Any], bool]  # (user, incoming document) -> may take it


_INTAKES: list[Intake] = []


def register_intake(label: Any, url_name: str, offered: Callable[[Any, Any], bool]) -> None:
    if any(intake.url_name == url_name for intake in _INTAKES):
        raise ValueError(f"intake {url_name!r} registered twice")
    _INTAKES.append(Intake(label, url_name, offered))


def intakes(user: Any, document: Any) -> list[tuple[str, str]]:
    """(label, address) of the records an incoming document that belongs to nothing may
    start, for this user."""
    if document.object_type:
        return []
    return [
        (str(intake.label), f"{reverse(intake.url_name)}?incoming={document.pk}")
        for intake in _INTAKES
        if intake.offered(user, document)
    ]
