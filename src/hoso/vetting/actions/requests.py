"""Requests actions (the reads stay in hoso.vetting.verification)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record_on
from hoso.documents import actions
from hoso.documents.models import DocumentKind
from hoso.lib.workdays import Period, Unit
from hoso.vetting.models import (
    Addressee,
    Case,
    Reminder,
    Reply,
    ReplyItem,
    RequestState,
    Verdict,
    VerificationRequest,
)
from hoso.vetting.transitions import REQUESTS
from hoso.vetting.verification import (
    KIND_CODE,
    SENDING_STATES,
    RequestError,
    Target,
    slip_text,
    targets_for,
)
from hoso.workcal.service import deadline


def issue(
    actor: User,
    case: Case,
    targets: Sequence[Target],
    addressees: Sequence[Addressee],
    *,
    questions: str,
    sent_on: dt.date,
) -> list[VerificationRequest]:
    """One numbered request per person and addressee, all or none."""
    policy.require(actor, policy.Action.CASE_MANAGE, case.organization, case.classification)
    if not (case.decision_number and case.decision_date):
        raise RequestError(_("No verification request before the decision to verify."))
    if case.state not in SENDING_STATES:
        raise RequestError(_("Verification requests are sent while planning or verifying."))
    if not targets or not addressees:
        raise RequestError(_("Choose at least one person and one addressee."))
    if not questions.strip():
        raise RequestError(_("Write the questions to be answered."))
    if sent_on < case.decision_date:
        raise RequestError(_("A request cannot be sent before the decision to verify."))
    allowed = {t.key for t in targets_for(case)}
    if any(t.key not in allowed for t in targets):
        raise RequestError(_("Only the subject and the subject's declared relatives."))
    kind = DocumentKind.objects.get(code=KIND_CODE)
    due = deadline(sent_on, Period(case.version.reply_days, Unit.WORKING))
    made = []
    with transaction.atomic():
        for target in targets:
            for addressee in addressees:
                made.append(_one(actor, case, kind, target, addressee, questions, sent_on, due))
        record_on(
            events.REQUEST_SENT.code,
            actor,
            case,
            numbers=[r.document.reference for r in made],
        )
    return made


def _one(
    actor: User,
    case: Case,
    kind: DocumentKind,
    target: Target,
    addressee: Addressee,
    questions: str,
    sent_on: dt.date,
    due: dt.date,
) -> VerificationRequest:
    document = actions.numbering.allocate(
        actor,
        case.organization,
        kind,
        issued_on=sent_on,
        summary=f"V/v xác minh lý lịch {target.label}",
        body=slip_text(case, target, addressee, questions, due),
        recipients=addressee.name,
        classification=case.classification,
        object_type="vetting.case",
        object_id=str(case.pk),
    )
    return VerificationRequest.objects.create(
        case=case,
        document=document,
        person=target.person,
        relative=target.relative,
        person_key=target.key,
        person_label=target.label[:255],
        addressee=addressee,
        questions=questions.strip(),
        sent_on=sent_on,
        due_on=due,
        created_by=actor,
    )


def _require(actor: User, vr: VerificationRequest) -> None:
    case = vr.case
    policy.require(actor, policy.Action.CASE_MANAGE, case.organization, case.classification)


def record_reply(
    actor: User,
    vr: VerificationRequest,
    *,
    received_on: dt.date,
    reference: str,
    summary: str,
    items: Sequence[tuple[str, str, str]],
) -> Reply:
    """Register the reply as an incoming document and compare it, point by point."""
    _require(actor, vr)
    REQUESTS.check(vr, "answer")
    if received_on < vr.sent_on or received_on > timezone.localdate():
        raise RequestError(_("The reply date must be between the sending date and today."))
    if not (reference.strip() and summary.strip()):
        raise RequestError(_("The reply's number and a summary are required."))
    if any(verdict not in Verdict.values for _t, _f, verdict in items):
        raise RequestError(_("Mark each point as matching or as a discrepancy."))
    case = vr.case
    with transaction.atomic():
        incoming = actions.numbering.register_incoming(
            actor,
            case.organization,
            received_on=received_on,
            sender=vr.addressee.name,
            sender_reference=reference.strip(),
            summary=f"Trả lời phiếu {vr.document.reference}: {summary.strip()}"[:500],
            classification=case.classification,
            object_type="vetting.case",
            object_id=str(case.pk),
        )
        reply = Reply.objects.create(
            request=vr,
            incoming=incoming,
            received_on=received_on,
            reference=reference.strip(),
            summary=summary.strip(),
            recorded_by=actor,
        )
        ReplyItem.objects.bulk_create(
            ReplyItem(reply=reply, topic=t.strip(), finding=f.strip(), verdict=v)
            for t, f, v in items
            if t.strip()
        )
        REQUESTS.apply(vr, "answer")
        vr.alert_version = F("alert_version") + 1  # void any claim the worker is making
        vr.save(update_fields=["state", "alert_version"])
        record_on(
            events.REPLY_RECORDED.code,
            actor,
            case,
            request_id=vr.pk,
            arrival=f"{incoming.arrival_number}/{incoming.year}",
        )
    return reply


def resolve(actor: User, item: ReplyItem, *, resolution: str) -> ReplyItem:
    vr = item.reply.request
    _require(actor, vr)
    if item.verdict != Verdict.DISCREPANCY or item.resolution:
        raise RequestError(_("Only an unresolved discrepancy can be resolved."))
    if not resolution.strip():
        raise RequestError(_("Say how the discrepancy was resolved."))
    with transaction.atomic():
        item.resolution, item.resolved_by, item.resolved_at = (
            resolution.strip(),
            actor,
            timezone.now(),
        )
        item.save(update_fields=["resolution", "resolved_by", "resolved_at"])
        record_on(events.DISCREPANCY_RESOLVED.code, actor, vr.case, item=item.pk)
    return item


def cancel(actor: User, vr: VerificationRequest, *, reason: str) -> VerificationRequest:
    _require(actor, vr)
    REQUESTS.check(vr, "cancel")
    if not reason.strip():
        raise RequestError(_("Give the reason."))
    with transaction.atomic():
        REQUESTS.apply(vr, "cancel")
        vr.alert_version = F("alert_version") + 1  # void any claim the worker is making
        vr.save(update_fields=["state", "alert_version"])
        record_on(
            events.REQUEST_CANCELLED.code,
            actor,
            vr.case,
            request_id=vr.pk,
            reason=reason.strip(),
        )
    return vr


def remind(
    actor: User,
    requests: Sequence[VerificationRequest],
    *,
    on: dt.date,
    note: str = "",
) -> int:
    """Record a reminder (đôn đốc) on each open request given."""
    made = 0
    with transaction.atomic():
        for vr in requests:
            _require(actor, vr)
            if vr.state != RequestState.OPEN:
                continue
            Reminder.objects.create(request=vr, sent_on=on, note=note.strip(), by=actor)
            record_on(events.REMINDER_SENT.code, actor, vr.case, request_id=vr.pk)
            made += 1
    return made
