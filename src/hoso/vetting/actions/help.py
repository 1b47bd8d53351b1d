"""Requests for verification help from other bodies: registering, assigning, the moves of the
HELP table, the answer as a numbered letter, the due date, the person on record (the reads and
texts stay in hoso.vetting.help)."""

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
from hoso.documents import actions as documents
from hoso.documents.models import DocumentKind, IncomingDocument, OutgoingDocument
from hoso.orgs.models import Organization
from hoso.people.models import Person
from hoso.vetting import help as texts
from hoso.vetting.models import Addressee, HelpKind, HelpRequest, HelpState, HelpStep
from hoso.vetting.transitions import HELP, HelpError, HelpMove

A = policy.Action
YEAR_OF_BIRTH_MIN = 1850


def _step(actor: User, hr: HelpRequest, move: str, before: str, note: str = "") -> None:
    HelpStep.objects.create(
        help=hr, move=move, from_state=before, to_state=hr.state, note=note, by=actor
    )


def _check_facts(
    *,
    received_on: dt.date,
    requester: str,
    kind: str,
    subject_name: str,
    subject_birth_year: int | None,
    asked: str,
) -> None:
    today = timezone.localdate()
    if received_on > today:
        raise HelpError(_("The date received cannot be in the future."))
    if not requester.strip():
        raise HelpError(_("Say which body sent the request."))
    if kind not in HelpKind.values:
        raise HelpError(_("Say whether a person is to be verified or a dossier provided."))
    if not subject_name.strip():
        raise HelpError(_("Give the name of the person asked about."))
    if subject_birth_year is not None and not (
        YEAR_OF_BIRTH_MIN <= subject_birth_year <= today.year
    ):
        raise HelpError(
            _("The year of birth must be from %(low)s to %(high)s.")
            % {"low": YEAR_OF_BIRTH_MIN, "high": today.year}
        )
    if not asked.strip():
        raise HelpError(_("Write what the request asks for."))


def _create(
    actor: User,
    incoming: IncomingDocument,
    *,
    requester: str,
    requester_addressee: Addressee | None,
    kind: str,
    subject_name: str,
    subject_birth_year: int | None,
    subject_home_town: str,
    asked: str,
    classification: int,
) -> HelpRequest:
    """The work item of an incoming document (inside the caller's transaction)."""
    hr = HelpRequest.objects.create(
        organization=incoming.organization,
        incoming=incoming,
        received_on=incoming.received_on,
        requester=requester.strip()[:255],
        requester_addressee=requester_addressee,
        kind=kind,
        subject_name=subject_name.strip()[:150],
        subject_birth_year=subject_birth_year,
        subject_home_town=subject_home_town.strip()[:255],
        asked=asked.strip(),
        classification=classification,
        state=HelpState.RECEIVED,
        due_on=texts.due_from(kind, incoming.received_on),
        created_by=actor,
    )
    # The register shows the document to those who may see the request, and links to it.
    incoming.object_type, incoming.object_id = texts.OBJECT_TYPE, str(hr.pk)
    incoming.save(update_fields=["object_type", "object_id"])
    _step(actor, hr, "register", "")
    record_on(
        events.HELP_REGISTERED.code,
        actor,
        hr,
        arrival=hr.reference,
        kind=kind,
        due_on=hr.due_on.isoformat(),
    )
    return hr


def receive(
    actor: User,
    organization: Organization,
    *,
    received_on: dt.date,
    requester: str,
    sender_reference: str,
    kind: str,
    subject_name: str,
    asked: str,
    classification: int,
    sender_date: dt.date | None = None,
    requester_addressee: Addressee | None = None,
    subject_birth_year: int | None = None,
    subject_home_town: str = "",
) -> HelpRequest:
    """A request arrived: registered in the incoming register (arrival number), and the work
    item made, due after the kind's working days."""
    policy.require(actor, A.CASE_MANAGE, organization, classification)
    requester = requester.strip() or (requester_addressee.name if requester_addressee else "")
    _check_facts(
        received_on=received_on,
        requester=requester,
        kind=kind,
        subject_name=subject_name,
        subject_birth_year=subject_birth_year,
        asked=asked,
    )
    if not sender_reference.strip():
        raise HelpError(_("Give the number and reference of the request."))
    if sender_date is not None and sender_date > received_on:
        raise HelpError(_("The request cannot be dated after the day it was received."))
    texts.period(kind)  # refuse before numbering when no time is configured
    with transaction.atomic():
        incoming = documents.numbering.register_incoming(
            actor,
            organization,
            received_on=received_on,
            sender=requester[:255],
            sender_reference=sender_reference.strip()[:64],
            sender_date=sender_date,
            summary=f"Đề nghị {texts.ASKED[HelpKind(kind)]} {subject_name.strip()}"[:500],
            classification=classification,
            object_type=texts.OBJECT_TYPE,
        )
        return _create(
            actor,
            incoming,
            requester=requester,
            requester_addressee=requester_addressee,
            kind=kind,
            subject_name=subject_name,
            subject_birth_year=subject_birth_year,
            subject_home_town=subject_home_town,
            asked=asked,
            classification=classification,
        )


def take_over(
    actor: User,
    incoming: IncomingDocument,
    *,
    kind: str,
    subject_name: str,
    asked: str,
    classification: int,
    requester: str = "",
    requester_addressee: Addressee | None = None,
    subject_birth_year: int | None = None,
    subject_home_town: str = "",
) -> HelpRequest:
    """An incoming document already in the register (a clerk registered it) becomes a request
    for verification help. Its classification is at least the document's: whoever sees the
    request must be cleared for the letter it came as."""
    policy.require(actor, A.CASE_MANAGE, incoming.organization, classification)
    if incoming.object_type:
        raise HelpError(_("This incoming document already belongs to another record."))
    if classification < incoming.classification:
        raise HelpError(
            _("The request is classified at least as the document it came as (%(level)s).")
            % {"level": incoming.get_classification_display()}
        )
    requester = (
        requester.strip()
        or (requester_addressee.name if requester_addressee else "")
        or incoming.sender
    )
    _check_facts(
        received_on=incoming.received_on,
        requester=requester,
        kind=kind,
        subject_name=subject_name,
        subject_birth_year=subject_birth_year,
        asked=asked,
    )
    with transaction.atomic():
        # The register's queryset class is typed for outgoing documents; it serves both.
        registers: Any = IncomingDocument.objects
        locked: IncomingDocument = registers.select_for_update().get(pk=incoming.pk)
        if locked.object_type:  # made into a record by someone else meanwhile
            raise HelpError(_("This incoming document already belongs to another record."))
        return _create(
            actor,
            locked,
            requester=requester,
            requester_addressee=requester_addressee,
            kind=kind,
            subject_name=subject_name,
            subject_birth_year=subject_birth_year,
            subject_home_town=subject_home_town,
            asked=asked,
            classification=classification,
        )


def _locked(hr: HelpRequest) -> HelpRequest:
    """The row again, locked for the rest of the transaction: two officers acting at once on
    one request take turns, and the second sees what the first did."""
    return (
        HelpRequest.objects.select_for_update()
        .select_related("organization", "incoming")
        .get(pk=hr.pk)
    )


def assign(actor: User, hr: HelpRequest, assignee: User, *, note: str = "") -> HelpRequest:
    """A head gives the request to an officer who may handle it (scope and clearance)."""
    policy.require(actor, HELP.moves[HelpMove.ASSIGN].action, hr.organization, hr.classification)
    with transaction.atomic():
        hr = _locked(hr)
        before = hr.state
        HELP.check(hr, HelpMove.ASSIGN)
        if not (
            assignee.is_active
            and policy.can(assignee, A.CASE_MANAGE, hr.organization, hr.classification)
        ):
            raise HelpError(
                _("%(name)s cannot handle this request (scope or clearance).")
                % {"name": assignee.full_name or assignee.username}
            )
        HELP.apply(hr, HelpMove.ASSIGN)
        hr.assignee = assignee
        hr.alert_version += 1  # someone else is to be told now
        hr.save(update_fields=["state", "assignee", "alert_version"])
        _step(actor, hr, HelpMove.ASSIGN, before, note=note.strip() or str(assignee))
        record_on(events.HELP_ASSIGNED.code, actor, hr, assignee=assignee.username)
    return hr


def move(actor: User, hr: HelpRequest, step: HelpMove, *, reason: str = "") -> HelpRequest:
    """Start working on it, decline it or cancel it (a reason for the last two)."""
    if step not in (HelpMove.START, HelpMove.DECLINE, HelpMove.CANCEL):
        raise HelpError(_("This step has its own form."))
    policy.require(actor, HELP.moves[step].action, hr.organization, hr.classification)
    with transaction.atomic():
        hr = _locked(hr)
        before = hr.state
        HELP.check(hr, step)
        if step is not HelpMove.START and not reason.strip():
            raise HelpError(_("Give the reason."))
        HELP.apply(hr, step)
        hr.closing_reason = reason.strip()[:500]
        hr.alert_version += 1  # a closed request is not chased
        hr.save(update_fields=["state", "closing_reason", "alert_version"])
        _step(actor, hr, step, before, note=reason.strip())
        details = {"move": str(step), "to": hr.state}
        if reason.strip():
            details["reason"] = reason.strip()
        record_on(events.HELP_MOVED.code, actor, hr, **details)
    return hr


def answer(
    actor: User,
    hr: HelpRequest,
    *,
    answered_on: dt.date,
    summary: str,
    signer: str = "",
    authority: str = "",
) -> OutgoingDocument:
    """The answer: a numbered letter of the handling office in the outgoing register (printed
    through the copy register like every document), and the request answered."""
    policy.require(actor, HELP.moves[HelpMove.ANSWER].action, hr.organization, hr.classification)
    with transaction.atomic():
        hr = _locked(hr)
        before = hr.state
        HELP.check(hr, HelpMove.ANSWER)
        if not (hr.received_on <= answered_on <= timezone.localdate()):
            raise HelpError(_("The answer is dated between the day received and today."))
        if not summary.strip():
            raise HelpError(_("Write what the answer says."))
        kind = DocumentKind.objects.filter(code=texts.ANSWER_KIND).first()
        if kind is None:
            raise HelpError(_("The document type CV is missing from the list of document types."))
        HELP.apply(hr, HelpMove.ANSWER)
        document = documents.numbering.allocate(
            actor,
            hr.organization,
            kind,
            issued_on=answered_on,
            summary=texts.answer_summary(hr),
            body=texts.answer_text(hr, summary),
            signer=signer.strip()[:150],
            authority=authority,
            recipients=f"{hr.requester}\nLưu VT",
            classification=hr.classification,
            object_type=texts.OBJECT_TYPE,
            object_id=str(hr.pk),
        )
        hr.answer, hr.answered_on, hr.answer_summary = document, answered_on, summary.strip()
        hr.alert_version += 1
        hr.save(update_fields=["state", "answer", "answered_on", "answer_summary", "alert_version"])
        _step(actor, hr, HelpMove.ANSWER, before, note=document.reference)
        record_on(events.HELP_ANSWERED.code, actor, hr, reference=document.reference)
    return document


def change_due(actor: User, hr: HelpRequest, *, due_on: dt.date, reason: str) -> HelpRequest:
    """Another due date (the sender asked for an earlier answer, or agreed to a later one),
    with the reason; the worker reminds of the new date."""
    policy.require(actor, A.CASE_DIRECT, hr.organization, hr.classification)
    with transaction.atomic():
        hr = _locked(hr)
        before = hr.due_on
        if not hr.is_open:
            raise HelpError(_("Only an open request has a due date to change."))
        if due_on < hr.received_on:
            raise HelpError(_("The due date cannot be before the day received."))
        if not reason.strip():
            raise HelpError(_("Give the reason."))
        if due_on == before:
            raise HelpError(_("That is already the due date."))
        hr.due_on = due_on
        hr.alert_version += 1  # a claim on the old date is void
        hr.save(update_fields=["due_on", "alert_version"])
        _step(
            actor,
            hr,
            "due",
            hr.state,
            note=f"{before:%d/%m/%Y} → {due_on:%d/%m/%Y}: {reason.strip()}",
        )
        record_on(
            events.HELP_DUE_CHANGED.code,
            actor,
            hr,
            before=before.isoformat(),
            after=due_on.isoformat(),
            reason=reason.strip(),
        )
    return hr


def name_person(actor: User, hr: HelpRequest, person: Person | None) -> HelpRequest:
    """Say which person on record the request is about (None: none of them). An officer's
    decision: hoso only proposes the candidates."""
    policy.require(actor, A.CASE_MANAGE, hr.organization, hr.classification)
    if person is not None and not texts.may_name(actor, person):
        raise HelpError(_("This person is not one you may see."))
    with transaction.atomic():
        hr = _locked(hr)
        hr.person = person
        hr.save(update_fields=["person"])
        record_on(
            events.HELP_PERSON_LINKED.code,
            actor,
            hr,
            person=person.pk if person is not None else None,
        )
    return hr
