"""Member actions: each checks the policy, runs in one transaction, records the member event
that the registers are generated from, and writes its audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events, reasons
from hoso.audit.chain import record
from hoso.notices.due import void_claims
from hoso.orgs.models import Organization
from hoso.people import rules
from hoso.people.models import (
    EventKind,
    Member,
    MemberEvent,
    MemberStatus,
    Person,
    Transfer,
    TransferKind,
    TransferState,
)
from hoso.people.transitions import EVENTS, LIFE, NEEDS_DECISION, IllegalMove, Move, guard

MANAGE = policy.Action.MEMBER_MANAGE


def register_member(
    actor: User,
    organization: Organization,
    person: dict[str, Any],
    member: dict[str, Any],
    arrival: dict[str, Any] | None = None,
) -> Member:
    """Enter the record of a member (or applicant) as it stands in the papers.

    `arrival` ({from_text, letter_number, received_on}) records a member received by transfer
    from an organization outside hoso: the transfer-in event feeds the registers.
    """
    policy.require(actor, MANAGE, organization)
    with transaction.atomic():
        new_person = Person(**person)
        new_person.full_clean()
        new_person.save()
        new_member = Member(person=new_person, organization=organization, **member)
        new_member.full_clean(exclude=["org_path", "sort_key", "search_text"])
        _set_deadlines(new_member)
        new_member.save()
        if arrival:
            MemberEvent.objects.create(
                member=new_member,
                kind=EventKind.TRANSFER_IN,
                date=arrival["received_on"],
                organization=organization,
                counterpart=arrival["from_text"],
                decision_number=arrival.get("letter_number", ""),
                recorded_by=actor,
            )
        record(
            events.MEMBER_REGISTERED.code,
            actor=actor,
            obj=new_member,
            organization=organization,
            details={"status": new_member.status, "arrived": bool(arrival)},
        )
    return new_member


def _set_deadlines(member: Member) -> None:
    if member.status == MemberStatus.PROBATIONARY and member.admitted_on and not member.ceremony_on:
        member.ceremony_due_on = rules.ceremony_due(member.admitted_on)
    if member.status == MemberStatus.PROBATIONARY and member.ceremony_on:
        member.ceremony_due_on = None
        member.recognition_due_on = rules.recognition_due(member.ceremony_on)
    if member.status != MemberStatus.PROBATIONARY:
        member.ceremony_due_on = member.recognition_due_on = None


def record_move(
    actor: User,
    member: Member,
    move: Move,
    *,
    date: dt.date,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    detail: str = "",
    left_form: str = "",
) -> MemberEvent:
    """Apply one life-cycle move from the transition table and record its event."""
    policy.require(actor, MANAGE, member.organization)
    guard(member, move, date)
    if move in NEEDS_DECISION and not decision_number:
        raise IllegalMove(_("This event needs the number of its decision."))
    if move is Move.LEAVE and not left_form:
        raise IllegalMove(_("Say how the member left the Party."))
    with transaction.atomic():
        LIFE.apply(member, move)
        _apply_dates(member, move, date, decision_number)
        if move is Move.LEAVE:
            member.left_form = left_form
        _set_deadlines(member)
        member.save()
        void_claims(member)  # the worker's claims are made against the state it read
        event = MemberEvent.objects.create(
            member=member,
            kind=EVENTS[move],
            date=date,
            organization=member.organization,
            decision_number=decision_number,
            decision_date=decision_date,
            detail=detail or left_form,
            recorded_by=actor,
        )
        record(
            events.MEMBER_MOVED.code,
            actor=actor,
            obj=member,
            organization=member.organization,
            details={
                "move": move.value,
                "date": date.isoformat(),
                "status": member.status,
                "decision": decision_number,
            },
        )
    return event


def _apply_dates(member: Member, move: Move, date: dt.date, decision_number: str) -> None:
    if move is Move.ADMIT:
        member.admitted_on, member.admission_decision = date, decision_number
    elif move is Move.CEREMONY:
        member.ceremony_on = date
    elif move is Move.RECOGNIZE:
        member.official_on = date


# ---- transfers -----------------------------------------------------------------------------


def introduce_transfer(
    actor: User,
    member: Member,
    *,
    kind: str,
    letter_number: str,
    introduced_on: dt.date,
    to_org: Organization | None = None,
    to_text: str = "",
    until: dt.date | None = None,
) -> Transfer:
    """Introduce a member to another organization. Inside hoso the receiver must accept;
    a destination outside hoso completes the transfer at once."""
    policy.require(actor, MANAGE, member.organization)
    if not member.is_active:
        raise IllegalMove(_("Only a current member can be transferred."))
    if to_org is None and not to_text.strip():
        raise IllegalMove(_("Give the receiving organization."))
    if to_org is not None and to_org.pk == member.organization_id:
        raise IllegalMove(_("The member already belongs to that organization."))
    if kind == TransferKind.TEMPORARY and until is None:
        raise IllegalMove(_("A temporary transfer needs its end date."))
    if member.transfers.filter(state=TransferState.PENDING).exists():
        raise IllegalMove(_("This member already has a transfer awaiting acceptance."))
    with transaction.atomic():
        transfer = Transfer.objects.create(
            member=member,
            kind=kind,
            from_org=member.organization,
            to_org=to_org,
            to_text=to_text.strip(),
            letter_number=letter_number,
            introduced_on=introduced_on,
            until=until,
            present_due_on=rules.present_due(introduced_on),
            created_by=actor,
        )
        if to_org is None:
            _complete_outside(actor, transfer)
        record(
            events.TRANSFER_INTRODUCED.code,
            actor=actor,
            obj=member,
            organization=member.organization,
            details={
                "transfer": transfer.pk,
                "kind": kind,
                "to": transfer.destination,
                "letter": letter_number,
            },
        )
    return transfer


def _complete_outside(actor: User, transfer: Transfer) -> None:
    member = transfer.member
    transfer.state = TransferState.COMPLETED
    transfer.save(update_fields=["state"])
    if transfer.kind == TransferKind.OFFICIAL:
        member.status = MemberStatus.TRANSFERRED_OUT
        _set_deadlines(member)
        member.save()
        void_claims(member)
    MemberEvent.objects.create(
        member=member,
        kind=EventKind.TRANSFER_OUT,
        date=transfer.introduced_on,
        organization=transfer.from_org,
        counterpart=transfer.to_text,
        decision_number=transfer.letter_number,
        detail=transfer.get_kind_display(),
        temporary=transfer.kind == TransferKind.TEMPORARY,
        recorded_by=actor,
    )


def accept_transfer(actor: User, transfer: Transfer, *, received_on: dt.date) -> Transfer:
    """The receiving organization takes the member (and the dossier) in."""
    if transfer.to_org is None or transfer.state != TransferState.PENDING:
        raise IllegalMove(_("This transfer is not awaiting acceptance."))
    policy.require(actor, MANAGE, transfer.to_org)
    if received_on < transfer.introduced_on:
        raise IllegalMove(_("A member cannot be received before being introduced."))
    member = transfer.member
    with transaction.atomic():
        transfer.state, transfer.received_on = TransferState.ACCEPTED, received_on
        transfer.save(update_fields=["state", "received_on"])
        void_claims(transfer)
        common = {
            "member": member,
            "decision_number": transfer.letter_number,
            "detail": transfer.get_kind_display(),
            "temporary": transfer.kind == TransferKind.TEMPORARY,
            "recorded_by": actor,
        }
        MemberEvent.objects.create(
            kind=EventKind.TRANSFER_OUT,
            date=transfer.introduced_on,
            organization=transfer.from_org,
            counterpart=transfer.to_org.name,
            **common,
        )
        MemberEvent.objects.create(
            kind=EventKind.TRANSFER_IN,
            date=received_on,
            organization=transfer.to_org,
            counterpart=transfer.from_org.name,
            **common,
        )
        if transfer.kind == TransferKind.OFFICIAL:
            member.organization = transfer.to_org
            member.save()
        record(
            events.TRANSFER_ACCEPTED.code,
            actor=actor,
            obj=member,
            organization=transfer.to_org,
            details={"transfer": transfer.pk, "from": transfer.from_org.code},
        )
    return transfer


def cancel_transfer(actor: User, transfer: Transfer, *, reason: str) -> Transfer:
    if transfer.state != TransferState.PENDING:
        raise IllegalMove(_("Only a transfer awaiting acceptance can be cancelled."))
    policy.require(actor, MANAGE, transfer.from_org)
    with transaction.atomic():
        transfer.state = TransferState.CANCELLED
        transfer.save(update_fields=["state"])
        void_claims(transfer)
        record(
            events.TRANSFER_CANCELLED.code,
            actor=actor,
            obj=transfer.member,
            reason=reason,
            organization=transfer.from_org,
            details={"transfer": transfer.pk},
        )
    return transfer


def reveal_sensitive(actor: User, member: Member, *, reason: str) -> list[tuple[str, Any]]:
    """(label, value) of the person's sensitive fields, for those allowed, with a typed
    reason kept in the audit event."""
    policy.require(actor, policy.Action.SENSITIVE_REVEAL, member.organization)
    why = reasons.required(reason)
    labels = Person.sensitive_labels()
    record(
        events.SENSITIVE_REVEALED.code,
        actor=actor,
        obj=member,
        organization=member.organization,
        reason=why,
        details={"fields": [name for name, _label in labels]},
    )
    return [(label, getattr(member.person, name)) for name, label in labels]
