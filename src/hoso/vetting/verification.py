"""Verification requests: one numbered slip per person and addressee, replies, reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.documents import numbering
from hoso.documents.models import DocumentKind
from hoso.lib.workdays import Period, Unit
from hoso.people.models import Person, Relative
from hoso.vetting.models import (
    Addressee,
    Case,
    Reminder,
    Reply,
    ReplyItem,
    RequestState,
    State,
    Verdict,
    VerificationRequest,
)
from hoso.vetting.transitions import REQUESTS
from hoso.vetting.transitions import RequestError as RequestError  # defined with its table
from hoso.workcal.service import deadline

KIND_CODE = "PYC"
SENDING_STATES = (State.PLANNING, State.VERIFYING)


@dataclass(frozen=True)
class Target:
    """A person to verify: the subject, or one of the subject's declared relatives."""

    person: Person | None = None
    relative: Relative | None = None

    @property
    def key(self) -> str:
        return f"p{self.person.pk}" if self.person else f"r{self.relative.pk}"  # type: ignore[union-attr]

    @property
    def label(self) -> str:
        """Name plus year of birth: hundreds of people share a full name in a province."""
        if self.person is not None:
            born = self.person.birth_date
            return self.person.display_name + (f" ({born.year})" if born else "")
        assert self.relative is not None
        year = f", {self.relative.birth_year}" if self.relative.birth_year else ""
        return f"{self.relative.full_name} ({self.relative.relationship}{year})"


def targets_for(case: Case) -> list[Target]:
    """Whom the officer may choose: the subject and the relatives in the subject's resume."""
    relatives = Relative.objects.filter(person=case.person).select_related("relationship")
    return [Target(person=case.person), *(Target(relative=r) for r in relatives)]


def _audit(code: str, actor: User, case: Case, **details: Any) -> None:
    record(
        code,
        actor=actor,
        obj=case,
        organization=case.organization,
        details=details,
    )


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
        _audit(
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
    document = numbering.allocate(
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


def _who(case: Case, target: Target) -> str:
    """The person as the slip describes them: name, birth, home town, residence, relation."""
    if target.person is not None:
        p = target.person
        facts = [f"Họ và tên: {p.display_name}"]
        if p.birth_date:
            facts.append(f"sinh ngày {p.birth_date:%d/%m/%Y}")
        facts += [
            f"quê quán: {p.home_town}" if p.home_town else "",
            f"nơi thường trú: {p.residence}" if p.residence else "",
        ]
        return "; ".join(f for f in facts if f) + "."
    r = target.relative
    assert r is not None
    facts = [
        f"Họ và tên: {r.full_name}",
        f"sinh năm {r.birth_year}" if r.birth_year else "",
        f"nơi ở: {r.residence}" if r.residence else "",
        f"là {str(r.relationship).lower()} của đồng chí {case.person.full_name}",
    ]
    return "; ".join(f for f in facts if f) + "."


def slip_text(
    case: Case, target: Target, addressee: Addressee, questions: str, due: dt.date
) -> str:
    """The body of the verification request slip, paragraphs separated by empty lines."""
    assert case.decision_date is not None
    return "\n\n".join(
        [
            f"Kính gửi: {addressee.name}.",
            f"Thực hiện Quyết định số {case.decision_number} ngày {case.decision_date:%d/%m/%Y}"
            f" về việc thẩm tra, xác minh tiêu chuẩn chính trị ({case.purpose}),"
            f" {case.organization.name} đề nghị {addressee.name} xác minh lý lịch của:",
            _who(case, target),
            f"Nội dung cần xác minh: {questions.strip()}",
            f"Đề nghị gửi kết quả xác minh về {case.organization.name} trước ngày {due:%d/%m/%Y}.",
        ]
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
        incoming = numbering.register_incoming(
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
        _audit(
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
        _audit(events.DISCREPANCY_RESOLVED.code, actor, vr.case, item=item.pk)
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
        _audit(
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
            _audit(events.REMINDER_SENT.code, actor, vr.case, request_id=vr.pk)
            made += 1
    return made


def overdue(qs: QuerySet[VerificationRequest], today: dt.date) -> QuerySet[VerificationRequest]:
    return qs.filter(state=RequestState.OPEN, due_on__lt=today)


def open_by_addressee(qs: QuerySet[VerificationRequest]) -> list[dict[str, Any]]:
    return list(
        qs.filter(state=RequestState.OPEN)
        .values("addressee__name")
        .annotate(count=Count("id"))
        .order_by("-count", "addressee__name")
    )


def counts(qs: QuerySet[VerificationRequest], start: dt.date, end: dt.date) -> dict[str, int]:
    """Requests issued in [start, end], and the distinct persons they concern (quarterly report),
    in one aggregate query."""
    period = qs.filter(sent_on__gte=start, sent_on__lte=end)
    return period.aggregate(
        requests=Count("id"),
        persons=Count("person_key", distinct=True),
        answered=Count("id", filter=Q(state=RequestState.ANSWERED)),
        open=Count("id", filter=Q(state=RequestState.OPEN)),
    )
