"""The papers of a case, issued as numbered outgoing documents (so printing goes through the
copy register, the clearance check and the audit trail like every other document):

- the decision to verify (QĐ) of the competent committee, which also records the decision;
- the appraisal report (BC) of the handling office, with the verification results;
- the conclusion (KL) of the competent committee, when numbered in hoso.

Texts are composed from what is recorded; hoso adds no judgement of its own.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from hoso.access.models import User
from hoso.documents import numbering
from hoso.documents.models import DocumentKind, OutgoingDocument
from hoso.orgs.models import Organization
from hoso.vetting import actions
from hoso.vetting.models import Case, State
from hoso.vetting.transitions import IllegalMove, Move

OBJECT_TYPE = "vetting.case"


def _subject(case: Case) -> str:
    p = case.person
    parts = [
        p.full_name,
        f"sinh ngày {p.birth_date:%d/%m/%Y}" if p.birth_date else "",
        f"quê quán {p.home_town}" if p.home_town else "",
    ]
    return ", ".join(x for x in parts if x)


def decision_text(case: Case) -> str:
    return "\n\n".join(
        [
            f"Căn cứ văn bản đề nghị số {case.request_number} ngày {case.request_date:%d/%m/%Y}"
            f" của {case.request_issuer};",
            f"Xét đề nghị của {case.organization.name},",
            "QUYẾT ĐỊNH",
            f"Điều 1. Thẩm tra, xác minh tiêu chuẩn chính trị đối với đồng chí {_subject(case)};"
            f" mục đích: {case.purpose}.",
            f"Điều 2. Giao {case.organization.name} thành lập đoàn thẩm tra, xác minh (ít nhất"
            f" {case.version.min_team_size} thành viên, có trưởng đoàn), xây dựng kế hoạch và tiến"
            " hành thẩm tra, xác minh theo quy định; báo cáo kết quả về cấp ủy.",
            "Điều 3. Các cơ quan, đơn vị và cá nhân có liên quan chịu trách nhiệm thi hành"
            " quyết định này.",
        ]
    )


def appraisal_text(case: Case) -> str:
    """The record of the verification, request by request, then the office's proposal."""
    lines = [
        f"Thực hiện Quyết định số {case.decision_number} ngày {case.decision_date:%d/%m/%Y},"
        f" {case.organization.name} báo cáo kết quả thẩm tra, xác minh, thẩm định tiêu chuẩn"
        f" chính trị đối với đồng chí {_subject(case)} ({case.purpose}) như sau:",
        "I. KẾT QUẢ THẨM TRA, XÁC MINH",
    ]
    for vr in case.requests.select_related("document", "addressee").prefetch_related(
        "replies__items"
    ):
        line = (
            f"- Phiếu số {vr.document.reference} ngày {vr.sent_on:%d/%m/%Y} gửi"
            f" {vr.addressee.name}, xác minh {vr.person_label}: {vr.get_state_display()}."
        )
        for reply in vr.replies.all():
            line += f" Văn bản trả lời số {reply.reference} ngày {reply.received_on:%d/%m/%Y}:"
            line += f" {reply.summary}"
            for item in reply.items.all():
                line += f" {item.topic}: {item.finding} ({item.get_verdict_display()}"
                line += f"; đã làm rõ: {item.resolution})." if item.resolution else ")."
        lines.append(line)
    if len(lines) == 2:
        lines.append("- Không gửi phiếu yêu cầu xác minh.")
    lines += ["II. ĐỀ XUẤT", *[p.strip() for p in case.proposal.split("\n\n") if p.strip()]]
    return "\n\n".join(lines)


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
        actions.move(
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


def of_case(case: Case) -> list[OutgoingDocument]:
    """Every numbered document of the case (slips, decision, report, conclusion)."""
    return list(
        OutgoingDocument.objects.filter(object_type=OBJECT_TYPE, object_id=str(case.pk))
        .select_related("kind")
        .order_by("issued_on", "id")
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
) -> object:
    """Record the conclusion with a number taken from the competent committee's register;
    if the conclusion is refused, the number is given back (one transaction)."""
    with transaction.atomic():
        document = number_conclusion(
            actor, case, on=signed_on, text=text, signer=signer, authority=authority
        )
        return actions.conclude(
            actor,
            case,
            outcome=outcome,
            text=text,
            number=document.reference,
            signed_on=signed_on,
            signer=signer,
            authority=authority,
        )
