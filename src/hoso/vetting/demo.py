"""Demo vetting work: a directory of addressees, cases at several steps and requests for
verification help from other provinces, made through the same actions as real work (so the
audit trail and numbering are real too)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hoso.access.models import User
from hoso.documents.actions import numbering
from hoso.orgs.models import Organization, Term
from hoso.people import actions as people_actions
from hoso.people.models import Member, Relationship, Side
from hoso.vetting import actions, plan, verification
from hoso.vetting.models import Addressee, AddresseeKind, Case, CaseType, HelpKind, Verdict
from hoso.vetting.transitions import HelpMove, Move

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
        _declare_family(officers[0], member)
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
    _help(office, officers, head, members[0])
    return len(cases)


def _declare_family(officer: User, member: Member) -> None:
    """A family in the subject's resume, if none is declared, so the plans have people."""
    if member.person.relatives.exists():
        return
    born = member.person.birth_date.year if member.person.birth_date else 1980
    family = member.person.family_name
    spouse = "chong" if member.person.sex == "F" else "vo"
    rows = [
        ("bo-de", f"{family} Văn Thành", born - 28, False, Side.OWN),
        ("me-de", "Lê Thị Hạnh", born - 25, False, Side.OWN),
        ("bo-de", "Ngô Văn Khải", born - 30, True, Side.SPOUSE),
        (spouse, "Đỗ Minh Châu" if spouse == "chong" else "Đỗ Thị Châu", born + 2, True, Side.OWN),
    ]
    if born + 27 <= timezone.localdate().year - 18:  # an adult child, when the ages allow
        rows.append(("con-de", f"{family} Minh Khang", born + 27, False, Side.OWN))
    for code, name, year, party_member, side in rows:
        relationship = Relationship.objects.filter(code=code).first()
        if relationship is None:
            continue
        people_actions.resume.add_relative(
            officer, member, relationship=relationship, full_name=name, birth_year=year,
            party_member=party_member, side=side, residence="Hà Nội",
        )  # fmt: skip


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
    # The subject and the parents first (the first three persons where the type has no
    # plan); the rest of the plan is left to draft.
    found = plan.of_case(case)
    targets = verification.targets_for(case)
    if found is None:
        targets = targets[:3]
    else:
        wanted = set(found.draft_keys()[:3])
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
        reason = (
            "Là đảng viên, lý lịch đã khai đầy đủ, rõ ràng."
            if line.declared
            else "Lý lịch không khai người thân thuộc diện này."
        )
        actions.plan.skip_plan_line(officer, case, line=line.index, reason=reason)
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


def _help(office: Organization, officers: list[User], head: User, member: Member) -> None:
    """Requests for verification help from other provinces: one overdue in progress, one not
    assigned yet about a member of the office (so hoso proposes the person on record), one
    answered, one declined."""
    today = timezone.localdate()
    directory = {a.name: a for a in Addressee.objects.filter(kind=AddresseeKind.COMMITTEE)}
    person = member.person
    born = person.birth_date.year if person.birth_date else None
    rows = [
        ("Ban Tổ chức Tỉnh ủy Hải Dương", "215-CV/BTCTU", 30, HelpKind.VERIFY,
         ("Hoàng Văn Đức", 1968, "xã Thanh Hải, huyện Thanh Hà, Hải Dương"),
         "Xác minh lịch sử chính trị, chính trị hiện nay của ông Đức (đang cư trú tại địa"
         " phương) để xem xét kết nạp con trai ông vào Đảng."),
        ("Ban Tổ chức Tỉnh ủy Nghệ An", "1180-CV/BTCTU", 4, HelpKind.DOSSIER,
         (person.display_name.title(), born, person.home_town),
         "Nghiên cứu, cung cấp bản sao lý lịch đảng viên và các phiếu bổ sung hồ sơ hằng năm"
         " để thẩm định quy hoạch."),
        ("Ban Tổ chức Tỉnh ủy Quảng Bình", "88-CV/BTCTU", 45, HelpKind.VERIFY,
         ("Trần Thị Mai", 1979, "phường Đồng Hới, Quảng Bình"),
         "Xác minh quá trình công tác, quan hệ gia đình của bà Mai giai đoạn 2000-2010."),
        ("Đảng ủy Khối các cơ quan tỉnh Thanh Hóa", "45-CV/ĐUK", 12, HelpKind.VERIFY,
         ("Lê Văn Khánh", 1985, "xã Quảng Thành, Thanh Hóa"),
         "Xác minh lý lịch bố đẻ của đồng chí Khánh."),
    ]  # fmt: skip
    made = []
    for body, reference, ago, kind, (name, year, home), asked in rows:
        received = today - dt.timedelta(days=ago)
        made.append(
            actions.help.receive(
                officers[0], office, received_on=received, requester=body,
                requester_addressee=directory.get(body), sender_reference=reference,
                sender_date=received - dt.timedelta(days=3), kind=kind, subject_name=name,
                subject_birth_year=year, subject_home_town=home, asked=asked,
                classification=1,
            )
        )  # fmt: skip
    overdue, _waiting, answered, declined = made
    # A letter registered as mail, not yet made a request: the incoming register offers it.
    numbering.register_incoming(
        officers[0],
        office,
        received_on=today - dt.timedelta(days=1),
        sender="Ban Bảo vệ chính trị nội bộ Tỉnh ủy Hà Tĩnh",
        sender_reference="37-CV/BBVCTNB",
        sender_date=today - dt.timedelta(days=5),
        summary="V/v đề nghị xác minh giúp lý lịch bà Nguyễn Thị Hằng",
        classification=1,
    )
    actions.help.assign(head, overdue, officers[0])
    actions.help.move(officers[0], overdue, HelpMove.START)
    actions.help.assign(head, answered, officers[1])
    actions.help.answer(
        officers[1],
        answered,
        answered_on=answered.received_on + dt.timedelta(days=14),
        summary="Qua xác minh tại địa phương, bà Trần Thị Mai không vi phạm về lịch sử chính"
        " trị; chấp hành tốt chủ trương, chính sách, pháp luật.",
        signer="Lê Minh Tuấn",
        authority="K/T",
    )
    actions.help.move(
        head,
        declined,
        HelpMove.DECLINE,
        reason="Người được đề nghị không cư trú, công tác tại địa phương; đã trao đổi với"
        " Đảng ủy Khối đề nghị gửi Ban Tổ chức Tỉnh ủy Thanh Hóa.",
    )
