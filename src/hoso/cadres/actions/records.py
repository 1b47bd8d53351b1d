"""Cadre records, management categories and posts held. Nothing is edited silently: a new
category is `set_category` (the old one is in its event), a post ends with `end_post`, and a
wrong value is `correct`ed with its reason, the values before and after in the event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record_on
from hoso.cadres.actions import depends
from hoso.cadres.models import Cadre, ManagementCategory, Post, PostKind
from hoso.cadres.reach import home_organization, reachable
from hoso.notices.due import void_claims
from hoso.orgs.models import Organization
from hoso.people.models import Person

MANAGE = policy.Action.CADRE_MANAGE


class CadreError(ValueError):
    """A change refused, with the reason in the user's language."""


def _not_future(day: dt.date | None, label: str) -> None:
    if day is not None and day > timezone.localdate():
        raise CadreError(_("%(label)s cannot be in the future.") % {"label": label})


def _person(fields: dict[str, Any]) -> Person:
    citizen_id = fields.get("citizen_id") or None
    if citizen_id and Person.objects.filter(citizen_id=citizen_id).exists():
        raise CadreError(
            _(
                "A person with this citizen ID is already recorded in hoso: open their cadre "
                "record from their member record, or ask the office that keeps them."
            )
        )
    return Person.objects.create(**{**fields, "citizen_id": citizen_id})


def open_record(actor: User, person: Person | dict[str, Any], organization: Organization) -> Cadre:
    """A cadre record kept by `organization`, for a recorded person (a member the caller
    found in scope) or the fields of a new one (a cadre who is not a member)."""
    policy.require(actor, MANAGE, organization)
    if not organization.is_open:
        raise CadreError(_("This organization is closed."))
    if isinstance(person, Person):
        if not reachable(actor, MANAGE).filter(pk=person.pk).exists():
            raise CadreError(_("No cadre or member of your scope is this person."))
        if Cadre.objects.filter(person=person).exists():
            raise CadreError(_("This person already has a cadre record."))
    with transaction.atomic():
        if isinstance(person, dict):
            person = _person(person)
        cadre = Cadre.objects.create(person=person, organization=organization, created_by=actor)
        depends.refresh([person.pk])
        cadre.refresh_from_db()
        record_on(events.CADRE_RECORDED.code, actor, cadre, person=person.pk)
    return cadre


def committee_above(home: Organization, level: str) -> Organization | None:
    """The nearest organization of `level` at or above `home`."""
    step = Organization.steplen
    above = [home.path[:end] for end in range(step, len(home.path) + 1, step)]
    found: Organization | None = (
        Organization.objects.filter(path__in=above, level=level).order_by("-depth").first()
    )
    return found


def proposed_committee(cadre: Cadre, category: ManagementCategory) -> Organization | None:
    """The committee at the category's level above the person: above their Party
    organization when a member, else above the organization keeping the record."""
    home = home_organization(cadre.person) or cadre.organization
    return committee_above(home, category.level)


def _check_committee(cadre: Cadre, committee: Organization) -> None:
    home = home_organization(cadre.person) or cadre.organization
    if not (home.path.startswith(committee.path) or cadre.org_path.startswith(committee.path)):
        raise CadreError(
            _("The managing committee must be the person's own organization or one above it.")
        )


def _category_values(cadre: Cadre) -> dict[str, Any]:
    return {
        "category": cadre.category.code if cadre.category is not None else None,
        "committee": cadre.committee.code if cadre.committee is not None else None,
        "since": cadre.category_since.isoformat() if cadre.category_since else None,
        "decision": cadre.category_decision,
    }


def set_category(
    actor: User,
    cadre: Cadre,
    category: ManagementCategory,
    *,
    since: dt.date,
    committee: Organization | None = None,
    decision_number: str = "",
    decision_on: dt.date | None = None,
) -> Cadre:
    """The cadre is (from `since`, by the decision) in `category`, managed by `committee`
    (by default the committee at the category's level above the person)."""
    policy.require(actor, MANAGE, cadre.organization)
    if not category.active:
        raise CadreError(_("This management category is no longer in use."))
    _not_future(since, _("The date"))
    _not_future(decision_on, _("The decision date"))
    committee = committee or proposed_committee(cadre, category)
    if committee is None:
        raise CadreError(_("No committee of this level above the person: choose the committee."))
    _check_committee(cadre, committee)
    with transaction.atomic():
        cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
        old = _category_values(cadre)
        cadre.category, cadre.committee, cadre.category_since = category, committee, since
        cadre.category_decision = decision_number.strip()
        cadre.category_decision_on = decision_on
        cadre.save(
            update_fields=[
                "category",
                "committee",
                "category_since",
                "category_decision",
                "category_decision_on",
            ]
        )
        record_on(
            events.CADRE_CATEGORY_SET.code, actor, cadre, old=old, new=_category_values(cadre)
        )
    return cadre


def check_post(values: dict[str, Any]) -> None:
    kind: PostKind = values["kind"]
    if not values.get("title", "").strip():
        raise CadreError(_("Write the post as in the decision."))
    if values.get("organization") is None and not values.get("body", "").strip():
        raise CadreError(_("Choose the Party organization or write the agency or body."))
    if kind.elected and not (values.get("elected_body", "").strip() and values.get("term", "")):
        raise CadreError(_("An elected post needs the elected body and the term."))
    _not_future(values["started_on"], _("The start of the post"))
    _not_future(values.get("decision_on"), _("The decision date"))
    ended = values.get("ended_on")
    if ended is not None:
        _not_future(ended, _("The end of the post"))
        if ended < values["started_on"]:
            raise CadreError(_("A post cannot end before it starts."))


POST_FIELDS = (
    "kind",
    "title",
    "organization",
    "body",
    "elected_body",
    "term",
    "started_on",
    "decision_number",
    "decision_on",
)


def record_post(
    actor: User,
    cadre: Cadre,
    *,
    kind: PostKind,
    title: str = "",
    started_on: dt.date,
    organization: Organization | None = None,
    body: str = "",
    elected_body: str = "",
    term: str = "",
    decision_number: str = "",
    decision_on: dt.date | None = None,
) -> Post:
    """A post held from `started_on`, by the appointing or electing decision."""
    policy.require(actor, MANAGE, cadre.organization)
    values = {
        "kind": kind,
        "title": (title or kind.name).strip(),
        "started_on": started_on,
        "organization": organization,
        "body": body.strip(),
        "elected_body": elected_body.strip(),
        "term": term.strip(),
        "decision_number": decision_number.strip(),
        "decision_on": decision_on,
    }
    if not kind.active:
        raise CadreError(_("This post kind is no longer in use."))
    check_post(values)
    with transaction.atomic():
        post = Post.objects.create(cadre=cadre, recorded_by=actor, **values)
        void_claims(cadre)  # what the worker reminds of depends on the current posts
        record_on(
            events.CADRE_POST_RECORDED.code,
            actor,
            cadre,
            post=post.pk,
            kind=kind.code,
            title=post.title,
            started_on=started_on.isoformat(),
        )
    return post


def end_post(
    actor: User,
    post: Post,
    *,
    ended_on: dt.date,
    decision_number: str = "",
    decision_on: dt.date | None = None,
    reason: str = "",
) -> Post:
    cadre = post.cadre
    policy.require(actor, MANAGE, cadre.organization)
    _not_future(ended_on, _("The end of the post"))
    _not_future(decision_on, _("The decision date"))
    if ended_on < post.started_on:
        raise CadreError(_("A post cannot end before it starts."))
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.ended_on is not None:
            raise CadreError(_("This post has already ended."))
        post.ended_on, post.end_reason = ended_on, reason.strip()
        post.end_decision_number, post.end_decision_on = decision_number.strip(), decision_on
        post.save(
            update_fields=["ended_on", "end_reason", "end_decision_number", "end_decision_on"]
        )
        void_claims(cadre)
        record_on(
            events.CADRE_POST_ENDED.code,
            actor,
            cadre,
            post=post.pk,
            ended_on=ended_on.isoformat(),
            decision=post.end_decision_number,
        )
    return post


# ---- corrections ---------------------------------------------------------------------------

CADRE_CORRECTABLE = ("committee", "category_since", "category_decision", "category_decision_on")
POST_CORRECTABLE = (
    *POST_FIELDS,
    "ended_on",
    "end_decision_number",
    "end_decision_on",
    "end_reason",
)


def _shown(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return getattr(value, "code", None) or str(value)


def _changes(obj: Any, fields: tuple[str, ...], values: dict[str, Any]) -> dict[str, list[Any]]:
    unknown = set(values) - set(fields)
    if unknown:
        raise CadreError(_("These values cannot be corrected: %(f)s") % {"f": ", ".join(unknown)})
    changed = {}
    for name, new in values.items():
        if isinstance(new, str):
            new = new.strip()
        old = getattr(obj, name)
        if old != new:
            changed[name] = [old, new]
    if not changed:
        raise CadreError(_("Nothing to correct: the values are the same."))
    return changed


def _reason(reason: str) -> str:
    if not reason.strip():
        raise CadreError(_("Give the reason for the correction (and its document)."))
    return reason.strip()


def correct_cadre(actor: User, cadre: Cadre, *, reason: str, **values: Any) -> Cadre:
    """Correct what was recorded wrongly about the category (not a new category: that is
    `set_category`)."""
    policy.require(actor, MANAGE, cadre.organization)
    why = _reason(reason)
    with transaction.atomic():
        cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
        changed = _changes(cadre, CADRE_CORRECTABLE, values)
        if "committee" in changed:
            if changed["committee"][1] is None:
                raise CadreError(_("Choose the managing committee."))
            _check_committee(cadre, changed["committee"][1])
        for day in ("category_since", "category_decision_on"):
            if day in changed:
                _not_future(changed[day][1], _("The date"))
        for name, (_old, new) in changed.items():
            setattr(cadre, name, new)
        cadre.save(update_fields=list(changed))
        record_on(
            events.CADRE_CORRECTED.code,
            actor,
            cadre,
            why=why,
            changes={k: [_shown(old), _shown(new)] for k, (old, new) in changed.items()},
        )
    return cadre


def correct_post(actor: User, post: Post, *, reason: str, **values: Any) -> Post:
    """Correct what was recorded wrongly about a post: its kind, dates, decisions."""
    cadre = post.cadre
    policy.require(actor, MANAGE, cadre.organization)
    why = _reason(reason)
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("kind").get(pk=post.pk)
        changed = _changes(post, POST_CORRECTABLE, values)
        if "ended_on" in changed and changed["ended_on"][1] is None:
            raise CadreError(_("An end cannot be corrected away; record the post again instead."))
        for name, (_old, new) in changed.items():
            setattr(post, name, new)
        check_post({name: getattr(post, name) for name in (*POST_FIELDS, "ended_on")})
        post.save(update_fields=list(changed))
        void_claims(cadre)
        record_on(
            events.CADRE_CORRECTED.code,
            actor,
            cadre,
            why=why,
            post=post.pk,
            changes={k: [_shown(old), _shown(new)] for k, (old, new) in changed.items()},
        )
    return post
