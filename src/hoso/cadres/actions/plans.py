"""Planning and candidacy lists: a list is created once; people are added and removed by
decisions, and an entry is never deleted (a removed entry keeps its decision and reason)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record, record_on
from hoso.cadres.actions import depends
from hoso.cadres.actions.records import CadreError
from hoso.cadres.models import LIST_DEFAULTS, Entry, ListKind, ListRule, Plan, codes
from hoso.cadres.reach import reachable
from hoso.orgs.models import Organization
from hoso.people.models import Person
from hoso.vetting.models import CaseType

MANAGE = policy.Action.CADRE_MANAGE


def default_case_types(kind: str) -> str:
    rule = ListRule.objects.filter(kind=kind).first()
    return rule.case_types if rule is not None else LIST_DEFAULTS.get(ListKind(kind), "")


def _case_types(text: str) -> str:
    wanted = codes(text)
    known = set(CaseType.objects.filter(code__in=wanted).values_list("code", flat=True))
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise CadreError(_("Unknown case type codes: %(codes)s") % {"codes": ", ".join(unknown)})
    return ",".join(wanted)


def create_plan(
    actor: User,
    organization: Organization,
    *,
    kind: str,
    name: str,
    term: str = "",
    election_on: dt.date | None = None,
    post_level: str = "",
    case_types: str | None = None,
    decision_number: str = "",
    decision_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> Plan:
    policy.require(actor, MANAGE, organization)
    if kind not in ListKind.values:
        raise CadreError(_("Choose the kind of list."))
    if not name.strip():
        raise CadreError(_("Give the list a name."))
    if kind == ListKind.PLANNING and not term.strip():
        raise CadreError(_("A planning list is for a term: write it, e.g. 2025-2030."))
    if kind != ListKind.PLANNING and election_on is None:
        raise CadreError(_("A candidacy list needs the date of the election or congress."))
    if decision_on is not None and decision_on > timezone.localdate():
        raise CadreError(_("The decision date cannot be in the future."))
    types = _case_types(default_case_types(kind) if case_types is None else case_types)
    with transaction.atomic():
        plan = Plan.objects.create(
            organization=organization,
            kind=kind,
            name=name.strip(),
            term=term.strip(),
            election_on=election_on,
            post_level=post_level.strip(),
            case_types=types,
            decision_number=decision_number.strip(),
            decision_on=decision_on,
            ends_on=ends_on,
            created_by=actor,
        )
        record_on(events.PLAN_CREATED.code, actor, plan, kind=kind, case_types=types)
    return plan


def _decision(number: str, on: dt.date | None) -> str:
    if not number.strip() or on is None:
        raise CadreError(_("Give the number and date of the decision."))
    if on > timezone.localdate():
        raise CadreError(_("The decision date cannot be in the future."))
    return number.strip()


def add_entry(
    actor: User,
    plan: Plan,
    person: Person,
    *,
    decision_number: str,
    decision_on: dt.date | None,
    target_post: str = "",
) -> Entry:
    """Add a person the actor may reach (a cadre or member in scope) to the list."""
    policy.require(actor, MANAGE, plan.organization)
    number = _decision(decision_number, decision_on)
    assert decision_on is not None
    if not reachable(actor, MANAGE).filter(pk=person.pk).exists():
        raise CadreError(_("No cadre or member of your scope is this person."))
    with transaction.atomic():
        Plan.objects.select_for_update().filter(pk=plan.pk).exists()
        if plan.entries.filter(person=person, removed_on__isnull=True).exists():
            raise CadreError(_("This person is already in the list."))
        entry = Entry.objects.create(
            plan=plan,
            person=person,
            target_post=target_post.strip(),
            added_number=number,
            added_on=decision_on,
            added_by=actor,
        )
        depends.refresh([person.pk])
        entry.refresh_from_db()
        record(
            events.PLAN_ENTRY_ADDED.code,
            actor=actor,
            obj=entry,
            organization=plan.organization,
            details={"plan": plan.pk, "person": person.pk, "decision": number},
        )
    return entry


def remove_entry(
    actor: User,
    entry: Entry,
    *,
    decision_number: str,
    decision_on: dt.date | None,
    reason: str,
) -> Entry:
    plan = entry.plan
    policy.require(actor, MANAGE, plan.organization)
    number = _decision(decision_number, decision_on)
    assert decision_on is not None
    if not reason.strip():
        raise CadreError(_("Give the reason for the removal."))
    with transaction.atomic():
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        if entry.removed_on is not None:
            raise CadreError(_("This person has already been removed from the list."))
        if decision_on < entry.added_on:
            raise CadreError(_("The removal cannot be dated before the addition."))
        # The worker reads current entries: bumping the version voids a claim it made.
        Entry.objects.filter(pk=entry.pk).update(
            removed_number=number,
            removed_on=decision_on,
            removed_reason=reason.strip(),
            removed_by=actor,
            alert_version=F("alert_version") + 1,
        )
        entry.refresh_from_db()
        record(
            events.PLAN_ENTRY_REMOVED.code,
            actor=actor,
            obj=entry,
            organization=plan.organization,
            reason=reason.strip(),
            details={"plan": plan.pk, "person": entry.person_id, "decision": number},
        )
    return entry
