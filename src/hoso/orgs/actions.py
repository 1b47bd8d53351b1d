"""Organization tree actions. Nodes are never deleted: they are closed, keeping their records."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.orgs import hooks
from hoso.orgs.models import Organization, Term

MANAGE = policy.Action.ORG_MANAGE


class TreeError(ValueError):
    """A tree change that would break the tree or orphan records."""


def create_organization(
    actor: User,
    parent: Organization,
    *,
    name: str,
    code: str,
    level: str,
    short_name: str = "",
    abbreviation: str = "",
    valid_from: dt.date | None = None,
) -> Organization:
    policy.require(actor, MANAGE, parent)
    if not parent.is_open:
        raise TreeError(_("A closed organization cannot receive new units."))
    with transaction.atomic():
        node: Organization = Organization.objects.add_child(
            parent,
            create_kwargs={
                "name": name,
                "code": code,
                "level": level,
                "short_name": short_name,
                "abbreviation": abbreviation,
                "valid_from": valid_from or dt.date.today(),
            },
        )
        record(
            events.ORG_CREATED.code,
            actor=actor,
            obj=node,
            details={"name": name, "code": code, "parent": parent.code},
        )
    return node


def create_root(*, name: str, code: str, level: str, source: str) -> Organization:
    """The top of the tree, made once by whoever holds the machine (`hoso bootstrap`, the
    demo): there is no account yet whose grant could allow it, so `source` says who did."""
    with transaction.atomic():
        node: Organization = Organization.objects.add_root(
            create_kwargs={"name": name, "code": code, "level": level}
        )
        record(
            events.ORG_CREATED.code,
            obj=node,
            details={"name": name, "code": code, "parent": "", "source": source},
        )
    return node


def rename_organization(
    actor: User,
    node: Organization,
    *,
    name: str,
    short_name: str,
    reason: str,
    abbreviation: str | None = None,
) -> Organization:
    """New names, and the abbreviation on documents when given (numbers already issued keep
    theirs: a reference is never rewritten)."""
    policy.require(actor, MANAGE, node)
    fields = ["name", "short_name", "abbreviation"]
    with transaction.atomic():
        before = {f: getattr(node, f) for f in fields}
        node.name, node.short_name = name, short_name
        if abbreviation is not None:
            node.abbreviation = abbreviation
        node.save(update_fields=fields)
        record(
            events.ORG_RENAMED.code,
            actor=actor,
            obj=node,
            reason=reason,
            details={"before": before, "after": {f: getattr(node, f) for f in fields}},
        )
    return node


def move_organization(
    actor: User,
    node: Organization,
    new_parent: Organization,
    *,
    reason: str,
) -> Organization:
    """Move a node and its whole subtree under another parent (both inside the actor's scope)."""
    policy.require(actor, MANAGE, node)
    policy.require(actor, MANAGE, new_parent)
    if new_parent.path.startswith(node.path):
        raise TreeError(_("An organization cannot be moved under itself or its own units."))
    if not new_parent.is_open:
        raise TreeError(_("A closed organization cannot receive new units."))
    with transaction.atomic():
        old_parent = Organization.objects.get_parent(node)
        old_path = node.path
        Organization.objects.move(node, new_parent, "last-child")
        node.refresh_from_db()
        hooks.repath(old_path, node.path)
        record(
            events.ORG_MOVED.code,
            actor=actor,
            obj=node,
            reason=reason,
            details={"from": old_parent.code if old_parent else None, "to": new_parent.code},
        )
    return node


def close_organization(
    actor: User,
    node: Organization,
    *,
    closed_on: dt.date,
    reason: str,
) -> Organization:
    """Close a node. Refused while it has open sub-units or current members."""
    policy.require(actor, MANAGE, node)
    if not node.is_open:
        raise TreeError(_("This organization is already closed."))
    if Organization.objects.get_children(node).filter(valid_to__isnull=True).exists():
        raise TreeError(_("Close or move its open units first."))
    blocked = hooks.why_not_close(node)
    if blocked:
        raise TreeError(blocked)
    if closed_on < node.valid_from:
        raise TreeError(_("The closing date is before the organization was founded."))
    with transaction.atomic():
        node.valid_to, node.closed_reason = closed_on, reason
        node.save(update_fields=["valid_to", "closed_reason"])
        record(
            events.ORG_CLOSED.code,
            actor=actor,
            obj=node,
            reason=reason,
            details={"closed_on": closed_on.isoformat()},
        )
    return node


def add_term(
    actor: User,
    node: Organization,
    *,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
) -> Term:
    policy.require(actor, MANAGE, node)
    if ends_on is not None and ends_on <= starts_on:
        raise TreeError(_("A term must end after it starts."))
    if node.terms.filter(name=name).exists():
        raise TreeError(_("This committee already has a term with this name."))
    overlapping = node.terms.filter(starts_on__lte=ends_on or dt.date.max).exclude(
        ends_on__lt=starts_on
    )
    if overlapping.exists():
        raise TreeError(_("This term overlaps an existing term of the same committee."))
    with transaction.atomic():
        term = Term.objects.create(
            organization=node, name=name, starts_on=starts_on, ends_on=ends_on
        )
        record(
            events.TERM_ADDED.code,
            actor=actor,
            obj=node,
            details={
                "term": name,
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat() if ends_on else None,
            },
        )
    return term
