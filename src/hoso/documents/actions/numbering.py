"""Giving numbers to outgoing documents and arrival numbers to incoming ones.

A number comes from a counter row locked for the rest of the transaction (SELECT ... FOR
UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions already take turns), so two officers
issuing at once never get the same number and a rolled-back transaction gives its number back
before anyone saw it: no duplicates and no gaps.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.documents.models import (
    ArrivalSequence,
    DocumentKind,
    IncomingDocument,
    OutgoingDocument,
    Sequence,
)
from hoso.orgs.models import Organization, Term

MANAGE = policy.Action.DOCUMENT_MANAGE


class NumberingError(ValueError):
    pass


def term_for(organization: Organization, day: dt.date) -> Term:
    """The committee term in force on `day` for the organization or its nearest ancestor."""
    chain = [organization, *reversed(list(Organization.objects.get_ancestors(organization)))]
    covering = Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    for node in chain:
        term = Term.objects.filter(covering, organization=node).first()
        if term is not None:
            return term
    raise NumberingError(
        _("No committee term covers %(day)s for %(org)s: record the term first.")
        % {"day": day.strftime("%d/%m/%Y"), "org": organization.name}
    )


def _take(model: type[models.Model], **key: Any) -> int:
    """Increment and return the counter identified by `key` (inside the caller's transaction)."""
    counter, _ = model.objects.select_for_update().get_or_create(**key)  # type: ignore[attr-defined]
    counter.last += 1
    counter.save(update_fields=["last"])
    return int(counter.last)


def reference(number: int, kind: DocumentKind, organization: Organization) -> str:
    """The number as printed: "15-KL/ĐU" (the issuer's sign on documents, not hoso's code)."""
    return f"{number:02d}-{kind.code}/{organization.document_sign}"


def allocate(
    actor: User,
    organization: Organization,
    kind: DocumentKind,
    *,
    issued_on: dt.date,
    summary: str,
    body: str = "",
    signer: str = "",
    authority: str = "",
    recipients: str = "",
    classification: int = 0,
    copies: int = 1,
    object_type: str = "",
    object_id: str = "",
) -> OutgoingDocument:
    policy.require(actor, MANAGE, organization, classification)
    if not kind.active:
        raise NumberingError(_("This document type is no longer in use."))
    term = term_for(organization, issued_on)
    with transaction.atomic():
        number = _take(Sequence, organization=organization, term=term, kind=kind)
        document = OutgoingDocument.objects.create(
            organization=organization,
            term=term,
            kind=kind,
            number=number,
            reference=reference(number, kind, organization),
            issued_on=issued_on,
            summary=summary,
            body=body,
            signer=signer,
            authority=authority,
            recipients=recipients,
            classification=classification,
            copies=copies,
            object_type=object_type,
            object_id=object_id,
            created_by=actor,
        )
        record(
            events.NUMBER_ALLOCATED.code,
            actor=actor,
            obj=document,
            organization=organization,
            details={"reference": document.reference, "term": term.name},
        )
    return document


def cancel(actor: User, document: OutgoingDocument, *, reason: str) -> OutgoingDocument:
    """The number stays in the register, marked cancelled; it is never given again."""
    policy.require(actor, MANAGE, document.organization, document.classification)
    if document.cancelled:
        raise NumberingError(_("This number is already cancelled."))
    if not reason.strip():
        raise NumberingError(_("Give the reason for cancelling."))
    with transaction.atomic():
        document.cancelled, document.cancel_reason = True, reason.strip()
        document.save(update_fields=["cancelled", "cancel_reason"])
        record(
            events.NUMBER_CANCELLED.code,
            actor=actor,
            obj=document,
            reason=reason,
            organization=document.organization,
            details={"reference": document.reference},
        )
    return document


def register_incoming(
    actor: User,
    organization: Organization,
    *,
    received_on: dt.date,
    sender: str,
    sender_reference: str,
    summary: str,
    sender_date: dt.date | None = None,
    classification: int = 0,
    object_type: str = "",
    object_id: str = "",
) -> IncomingDocument:
    policy.require(actor, MANAGE, organization, classification)
    with transaction.atomic():
        number = _take(ArrivalSequence, organization=organization, year=received_on.year)
        document = IncomingDocument.objects.create(
            organization=organization,
            year=received_on.year,
            arrival_number=number,
            received_on=received_on,
            sender=sender,
            sender_reference=sender_reference,
            sender_date=sender_date,
            summary=summary,
            classification=classification,
            object_type=object_type,
            object_id=object_id,
            created_by=actor,
        )
        record(
            events.INCOMING_REGISTERED.code,
            actor=actor,
            obj=document,
            organization=organization,
            details={"arrival": f"{number}/{received_on.year}", "from": sender_reference},
        )
    return document
