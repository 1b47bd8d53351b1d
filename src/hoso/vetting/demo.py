"""Demo vetting work: a directory of addressees and cases at several steps, made through the
same actions as real work (so the audit trail and numbering are real too)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hoso.access.models import User
from hoso.orgs.models import Organization, Term
from hoso.people.models import Member
from hoso.vetting import actions, plan, verification
from hoso.vetting.models import Addressee, AddresseeKind, Case, CaseType, Verdict
from hoso.vetting.transitions import Move

ADDRESSEES = [
    ("Phòng Hồ sơ nghiệp vụ (PV06) Công an tỉnh", AddresseeKind.POLICE),
    ("Ban Tổ chức Thành ủy Hà Nội", AddresseeKind.COMMITTEE),
    ("Ban Tổ chức Tỉnh ủy Nghệ An", AddresseeKind.COMMITTEE),
    ("Đảng ủy xã nơi cư trú", AddresseeKind.COMMITTEE),
    ("Cục Quản lý xuất nhập cảnh", AddresseeKind.AGENCY),
]


def load(office: Organization, officers: list[User], head: User, leader: User) -> int:
    """Once: a few cases of `office`, handled by `officers`, directed by `head`."""
    if Case.objects.exists():
        return 0
    today = timezone.localdate()
    province = Organization.objects.get_parent(office)
    Term.objects.get_or_create(
        organization=province, name="2025-2030", defaults={"starts_on": dt.date(2025, 10, 1)}
    )
    for name, kind in ADDRESSEES:
        Addressee.objects.get_or_create(name=name, defaults={"kind": kind})
    police = Addressee.objects.get(kind=AddresseeKind.POLICE)
    members = list(Member.objects.filter(organization__path__startswith=office.path)[:6])
    codes = ["BO_NHIEM", "KET_NAP", "UNG_CU_HDND", "QUY_HOACH", "LUAN_CHUYEN", "KHAC"]
    cases = []
    for i, (member, code) in enumerate(zip(members, codes, strict=False)):
        received = today - dt.timedelta(days=8 + 9 * i)
        cases.append(
            actions.cases.open_case(
                officers[0],
                office,
                CaseType.objects.get(code=code),
                member.person,
                purpose="Phó Bí thư Đảng ủy" if i % 2 else "Trưởng ban Tổ chức",
                competent_committee=province,
                request_number=f"{20 + i}-TTr/ĐU",
                request_date=received - dt.timedelta(days=2),
                request_issuer=office.name,
                received_on=received,
                handed_over_by="Văn thư cơ quan",
                handover_items="Tờ trình; sơ yếu lý lịch; bản tự kiểm điểm; nhận xét chi bộ",
            )
        )
    for case in cases[1:]:
        _verify(case, officers, head, police)
    for case in cases[3:]:
        _conclude(case, officers[0], leader)
    return len(cases)


def _verify(case: Case, officers: list[User], head: User, police: Addressee) -> None:
    day = case.received_on + dt.timedelta(days=2)
    for move in (Move.REVIEW, Move.ASK_DECISION):
        actions.cases.move(officers[0], case, move)
    actions.cases.move(
        officers[0], case, Move.RECORD_DECISION, decision_number="05-QĐ/ĐU", decision_date=day
    )
    actions.cases.set_team(head, case, officers, officers[0])
    actions.cases.write(
        officers[0], case, field="plan", text="Xác minh lý lịch bản thân và gia đình."
    )
    actions.cases.move(officers[0], case, Move.START_VERIFYING)
    # Everyone the type's plan names (the first three persons where it has none).
    found = plan.of_case(case)
    targets = verification.targets_for(case)
    if found is None:
        targets = targets[:3]
    else:
        wanted = set(found.draft_keys())
        targets = [t for t in targets if t.key in wanted]
    actions.requests.issue(
        officers[0],
        case,
        targets,
        [police],
        sent_on=day,
        questions="Đề nghị xác minh lịch sử chính trị và chính trị hiện nay.",
    )


def _conclude(case: Case, officer: User, leader: User) -> None:
    for request in case.requests.all():
        actions.requests.record_reply(
            officer,
            request,
            received_on=request.sent_on + dt.timedelta(days=5),
            reference=f"{100 + request.pk}/PV06",
            summary="Không phát hiện vấn đề.",
            items=[("Lịch sử chính trị", "Như lý lịch tự khai", Verdict.MATCH)],
        )
    found = plan.of_case(case)
    for line in found.unsatisfied if found is not None else []:
        actions.plan.skip_plan_line(
            officer, case, line=line.index, reason="Lý lịch không khai người thân thuộc diện này."
        )
    actions.cases.move(officer, case, Move.COMPILE)
    actions.cases.write(officer, case, field="proposal", text="Đề nghị kết luận đủ tiêu chuẩn.")
    actions.cases.move(officer, case, Move.PROPOSE)
    actions.cases.conclude(
        leader,
        case,
        outcome=case.version.outcomes[0][0],
        number=f"{case.pk}-KL/TU",
        text="Đủ tiêu chuẩn chính trị theo quy định.",
        signed_on=timezone.localdate(),
        signer="Phạm Quốc Việt",
        authority="T/M",
    )
