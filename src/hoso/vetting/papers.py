"""The papers of a case, issued as numbered outgoing documents (so printing goes through the
copy register, the clearance check and the audit trail like every other document):

- the decision to verify (QĐ) of the competent committee, which also records the decision;
- the appraisal report (BC) of the handling office, with the verification results;
- the conclusion (KL) of the competent committee, when numbered in hoso.

Texts are composed from what is recorded; hoso adds no judgement of its own.
"""

from __future__ import annotations

from hoso.documents.models import OutgoingDocument
from hoso.vetting.models import Case

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


def of_case(case: Case) -> list[OutgoingDocument]:
    """Every numbered document of the case (slips, decision, report, conclusion)."""
    return list(
        OutgoingDocument.objects.filter(object_type=OBJECT_TYPE, object_id=str(case.pk))
        .select_related("kind")
        .order_by("issued_on", "id")
    )
