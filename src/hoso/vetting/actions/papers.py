"""Papers actions (the reads stay in hoso.vetting.papers)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from hoso.access.models import User
from hoso.documents.actions import numbering
from hoso.documents.models import DocumentKind, OutgoingDocument
from hoso.orgs.models import Organization
from hoso.vetting import actions
from hoso.vetting.models import Case, State
from hoso.vetting.papers import OBJECT_TYPE, appraisal_text, decision_text
from hoso.vetting.transitions import IllegalMove, Move


def _issue(
    actor: User,
    case: Case,
    organization: Organization,
    code: str,
    *,
    on: dt.date,
    summary: str,
    body: str,
    signer: str,
    authority: str,
    recipients: str,
) -> OutgoingDocument:
    return numbering.allocate(
        actor,
        organization,
        DocumentKind.objects.get(code=code),
        issued_on=on,
        summary=summary,
        body=body,
        signer=signer,
        authority=authority,
        recipients=recipients,
        classification=case.classification,
        object_type=OBJECT_TYPE,
        object_id=str(case.pk),
    )


def issue_decision(
    actor: User,
    case: Case,
    *,
    on: dt.date,
    signer: str,
    authority: str,
) -> OutgoingDocument:
    """Number the decision to verify in the competent committee's register and record it."""
    if case.state != State.AWAITING_DECISION:
        raise IllegalMove(_("The decision to verify is issued while the case awaits it."))
    with transaction.atomic():
        document = _issue(
            actor,
            case,
            case.competent_committee,
            "QĐ",
            on=on,
            signer=signer,
            authority=authority,
            body=decision_text(case),
            summary=f"Về việc thẩm tra, xác minh tiêu chuẩn chính trị đồng chí {case.person}",
            recipients=f"{case.organization.name}\nĐoàn thẩm tra, xác minh\nLưu VT",
        )
        actions.cases.move(
            actor,
            case,
            Move.RECORD_DECISION,
            on=on,
            decision_number=document.reference,
            decision_date=on,
        )
    return document


def issue_appraisal(
    actor: User,
    case: Case,
    *,
    on: dt.date,
    signer: str,
    authority: str,
) -> OutgoingDocument:
    """Number the appraisal report of the handling office, once the proposal is written."""
    if case.state not in (State.COMPILING, State.PROPOSED) or not case.proposal.strip():
        raise IllegalMove(_("Write the appraisal report and proposal first."))
    return _issue(
        actor,
        case,
        case.organization,
        "BC",
        on=on,
        signer=signer,
        authority=authority,
        body=appraisal_text(case),
        summary=f"Kết quả thẩm định tiêu chuẩn chính trị đồng chí {case.person}",
        recipients=f"{case.competent_committee.name}\nLưu VT, hồ sơ",
    )


def number_conclusion(
    actor: User, case: Case, *, on: dt.date, text: str, signer: str, authority: str
) -> OutgoingDocument:
    """The conclusion numbered in the competent committee's register (called by conclude)."""
    return _issue(
        actor,
        case,
        case.competent_committee,
        "KL",
        on=on,
        signer=signer,
        authority=authority,
        body=text,
        summary=f"Kết luận tiêu chuẩn chính trị đồng chí {case.person}",
        recipients=f"{case.organization.name}\nĐồng chí {case.person}\nLưu VT, hồ sơ",
    )


def conclude_numbered(
    actor: User,
    case: Case,
    *,
    outcome: str,
    text: str,
    signed_on: dt.date,
    signer: str,
    authority: str,
    serves: str | None = None,
) -> object:
    """Record the conclusion with a number taken from the competent committee's register;
    if the conclusion is refused, the number is given back (one transaction)."""
    with transaction.atomic():
        document = number_conclusion(
            actor, case, on=signed_on, text=text, signer=signer, authority=authority
        )
        return actions.cases.conclude(
            actor,
            case,
            outcome=outcome,
            text=text,
            number=document.reference,
            signed_on=signed_on,
            signer=signer,
            authority=authority,
            serves=serves,
        )
