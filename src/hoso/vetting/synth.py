"""Vetting casework of `hoso synth --full` (people/synthworld.py): cases of every type of the
catalogue from 2022 to the day of the load, each with its dated history as the workflow table
allows it, its team and plan, the decision to verify, the verification requests (numbered
slips) with their replies (incoming documents), reminders, the appraisal report and the
conclusion (numbered in the competent committee's register), a few corrections.

Who is vetted:
- admissions: a share of the members the life-cycle stage admitted, vetted before their
  admission decision and found to meet the standard; applicants who are not members (yet):
  still open, withdrawn, found not to meet it or not yet admitted, some of them a member's
  child, linked both ways (the member declared them; they declare the member as a parent);
- recruitment and some council candidates: persons who are not members;
- the second records without an ID of people/synth.py, typed again for a case;
- everyone else: members of the province, preferably in the age of cadres; a member married
  to another member declares a spouse whom the officer linked to that member's person record
  (Relative.identity), and some of those spouses are vetted too: one person, two roles.

Fates are drawn so that most cases are concluded, some still open, some overdue (slow cases,
replies that never came), some withdrawn, suspended or waiting for more documents.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from hoso.documents.synth import Outgoing
from hoso.lib import vntext
from hoso.people import bulk, hooks
from hoso.people.models import IdentityDecision, Person, Relative
from hoso.people.rules import add_months
from hoso.people.synth import FAMILY_WEIGHTS, GIVEN, MIDDLE, OCCUPATIONS, PROVINCES
from hoso.people.synthworld import START, Batch, MemberRow, Office, Ref, World, chunked
from hoso.vetting import plan as case_plan
from hoso.vetting.models import (
    Addressee,
    AddresseeKind,
    Case,
    CaseStep,
    CaseType,
    Conclusion,
    Pause,
    PlanSkip,
    Reminder,
    Reply,
    ReplyItem,
    RequestState,
    State,
    TeamMember,
    Verdict,
    VerificationRequest,
)
from hoso.vetting.papers import OBJECT_TYPE

CASES_PER_MEMBER = 0.12  # over the years of the load: 600,000 cases for 5 million members
ADMISSIONS_VETTED = 0.2  # of the members admitted, those whose file the office vetted
APPLICANTS = 0.35  # non-member applicants, per admission vetted
CHILD_APPLICANTS = 0.4  # of the applicants: a member's child
COUPLES_LINKED = 0.7  # a spouse who is a member, linked by an officer
SPOUSES_VETTED = 0.25  # of the linked spouses: vetted too
# Type code: (weight, share handled by the province's office, subjects who are no members).
TYPES = {
    "KET_NAP": (0.0, 0.0, 0.0),  # from the admissions
    "QUY_HOACH": (13.0, 0.5, 0.0),
    "BO_NHIEM": (13.0, 0.55, 0.0),
    "LUAN_CHUYEN": (3.0, 0.7, 0.0),
    "UNG_CU_QH": (1.0, 1.0, 0.0),
    "UNG_CU_HDND": (5.0, 0.4, 0.15),
    "NHAN_SU_DH": (6.0, 0.5, 0.0),
    "TRONG_YEU": (3.0, 0.8, 0.0),
    "RA_NUOC_NGOAI": (12.0, 0.6, 0.0),
    "QUAN_HE_NN": (2.0, 0.7, 0.0),
    "KET_HON_NN": (1.0, 0.6, 0.0),
    "DON_THU": (2.0, 0.7, 0.0),
    "TUYEN_DUNG": (9.0, 0.6, 1.0),
    "KHAC": (3.0, 0.5, 0.0),
}
# Elections and congresses come in their years (the 2025 congresses, the 2026 elections).
SEASONS = {
    "UNG_CU_QH": {2025: 5.0, 2026: 8.0},
    "UNG_CU_HDND": {2025: 4.0, 2026: 6.0},
    "NHAN_SU_DH": {2024: 3.0, 2025: 4.0},
    "QUY_HOACH": {2024: 1.5, 2025: 1.5},
}
# The share of each outcome among conclusions, by the outcome codes of the seeded types.
OUTCOMES = {
    "DU": 92.0,
    "CHUA_DU_CAN_CU": 5.0,
    "KHONG_DU": 3.0,
    "KHONG_VUONG": 96.0,
    "VUONG": 4.0,
    "DUNG": 25.0,
    "DUNG_MOT_PHAN": 30.0,
    "SAI": 45.0,
}
PURPOSES = {
    "KET_NAP": ["Kết nạp vào Đảng"],
    "QUY_HOACH": [
        "Quy hoạch Ban Chấp hành Đảng bộ nhiệm kỳ 2025-2030",
        "Quy hoạch Ban Thường vụ nhiệm kỳ 2025-2030",
        "Quy hoạch chức danh trưởng phòng và tương đương",
        "Quy hoạch Ban Chấp hành Đảng bộ nhiệm kỳ 2030-2035",
    ],
    "BO_NHIEM": [
        "Bổ nhiệm Phó Trưởng phòng",
        "Bổ nhiệm Trưởng phòng",
        "Bổ nhiệm Phó Giám đốc Sở",
        "Bổ nhiệm lại Trưởng phòng",
        "Bổ nhiệm Phó Chánh Văn phòng",
    ],
    "LUAN_CHUYEN": ["Luân chuyển giữ chức Phó Bí thư Đảng ủy xã", "Luân chuyển về cơ sở"],
    "UNG_CU_QH": ["Ứng cử đại biểu Quốc hội khóa XVI"],
    "UNG_CU_HDND": ["Ứng cử đại biểu Hội đồng nhân dân nhiệm kỳ 2026-2031"],
    "NHAN_SU_DH": [
        "Nhân sự Ban Chấp hành Đảng bộ nhiệm kỳ 2025-2030",
        "Nhân sự đại biểu dự Đại hội",
    ],
    "TRONG_YEU": ["Bố trí công tác tại bộ phận cơ yếu", "Bố trí vào vị trí trọng yếu, cơ mật"],
    "RA_NUOC_NGOAI": [
        "Ra nước ngoài công tác",
        "Ra nước ngoài học tập",
        "Ra nước ngoài việc riêng",
    ],
    "QUAN_HE_NN": ["Quan hệ với tổ chức, cá nhân nước ngoài"],
    "KET_HON_NN": ["Kết hôn với người nước ngoài", "Con kết hôn với người nước ngoài"],
    "DON_THU": ["Giải quyết đơn thư liên quan tiêu chuẩn chính trị"],
    "TUYEN_DUNG": ["Tuyển dụng công chức", "Tuyển dụng viên chức"],
    "KHAC": ["Thẩm tra, xác minh bổ sung hồ sơ", "Cử đi đào tạo"],
}
ISSUERS = {
    "KET_NAP": "Chi bộ {cell}",
    "TUYEN_DUNG": "Sở Nội vụ {p}",
    "UNG_CU_QH": "Ủy ban bầu cử {p}",
    "UNG_CU_HDND": "Ủy ban bầu cử {p}",
    "RA_NUOC_NGOAI": "Ban Tổ chức {o}",
}
HANDOVER = {
    "KET_NAP": "Đơn xin vào Đảng; lý lịch người xin vào Đảng; nghị quyết giới thiệu; giấy chứng"
    " nhận lớp bồi dưỡng nhận thức về Đảng",
    "RA_NUOC_NGOAI": "Đơn đề nghị; thư mời; nhận xét của chi bộ",
}
HANDOVER_DEFAULT = "Tờ trình; sơ yếu lý lịch; bản tự kiểm điểm; nhận xét của chi bộ nơi cư trú"
UNMARRIED = "Chưa kết hôn: không có người để xác minh."
NOT_DECLARED = "Không có trong lý lịch đã kê khai: không có người để xác minh."
ALREADY_VETTED = "Là đảng viên, lý lịch đã được thẩm tra khi kết nạp (HD 01-HD/TW, mục 3.4)."
REPLIES = (
    "Không phát hiện vấn đề về lịch sử chính trị và chính trị hiện nay.",
    "Chấp hành tốt chủ trương, đường lối của Đảng, pháp luật của Nhà nước.",
    "Qua xác minh, lý lịch khai đúng.",
)
DISCREPANCIES = (
    "Năm sinh khai khác hồ sơ lưu trữ.",
    "Nơi ở trước năm 1975 khai chưa đầy đủ.",
    "Quá trình công tác khai chưa đầy đủ.",
)


@dataclass(frozen=True)
class Kind:
    """A case type as the load uses it: its current version's rules."""

    type_id: int
    version_id: int
    code: str
    name: str
    days: int
    working: bool
    pausable: bool
    classification: int
    team: int
    reply_days: int
    outcomes: tuple[tuple[str, str], ...]
    steps: frozenset[str]
    rules: tuple[case_plan.Rule, ...]
    validity: int | None


@dataclass(slots=True)
class Kin:
    """A declared relative of a subject (an existing row or one the load writes)."""

    id: int
    person_id: int
    code: str
    relationship: str
    side: str
    full_name: str
    birth_year: int | None
    residence: str
    party_member: bool
    identity: int | None = None


@dataclass(slots=True)
class Subject:
    person_id: int
    full_name: str
    birth_date: dt.date | None
    home_town: str
    residence: str
    commune: str  # path of the commune the person belongs to
    member: MemberRow | None = None
    kin: list[Kin] = field(default_factory=list)

    @property
    def label(self) -> str:
        born = f" ({self.birth_date.year})" if self.birth_date else ""
        return vntext.upper(self.full_name) + born


@dataclass(slots=True)
class Spec:
    """A case to write: its type, subject, offices and date, and what its fate must be."""

    kind: Kind
    subject: Subject
    office: Office
    competent: Office
    received: dt.date
    applicant: bool = False
    conclude_before: dt.date | None = None  # admitted that day: concluded (DU) before it


class Setup:
    """What the cases of every province share: the catalogue and the addressees."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.kinds: dict[str, Kind] = {}
        for case_type in CaseType.objects.filter(active=True, current__isnull=False).select_related(
            "current"
        ):
            v = case_type.current
            assert v is not None
            self.kinds[case_type.code] = Kind(
                case_type.pk,
                v.pk,
                case_type.code,
                v.name,
                v.period_days,
                v.period_unit == "working",
                v.pausable,
                v.default_classification,
                v.min_team_size,
                v.reply_days,
                tuple((c, label) for c, label in v.outcomes),
                frozenset(v.steps),
                tuple(case_plan.rules(v)),
                v.validity_months,
            )
        from hoso.people.models import Relationship

        self.relationships = {
            code: (pk, name)
            for pk, code, name in Relationship.objects.values_list("id", "code", "name")
        }
        self.addressees = self._addressees()
        self.twins = self._twins()

    def _addressees(self) -> dict[str, int]:
        wanted: list[tuple[str, str]] = [
            ("Cục A93B", AddresseeKind.AGENCY),
            ("Cục Quản lý xuất nhập cảnh", AddresseeKind.AGENCY),
        ]
        for name, _code, city in PROVINCES:
            label = f"{'thành phố' if city else 'tỉnh'} {name}"
            wanted.append((police(label), AddresseeKind.POLICE))
            wanted.append((committee(name, city), AddresseeKind.COMMITTEE))
        have = dict(Addressee.objects.values_list("name", "id"))
        table = self.world.table(Addressee)
        rows = []
        for name, kind in dict(wanted).items():
            if name not in have:
                have[name] = self.world.take(table.name)
                rows.append(table.row({"id": have[name], "name": name, "kind": kind}))
        table.write(rows)
        return have

    def _twins(self) -> dict[str, list[Subject]]:
        """The ID-less second records of members (people/synth.py), by the member's commune."""
        found: dict[str, list[Subject]] = {}
        with connection.cursor() as cur:
            cur.execute(
                "SELECT t.id, t.family_name, t.middle_name, t.given_name, t.birth_date,"
                " t.home_town, t.residence, MIN(m.org_path) FROM people_person t"
                " JOIN people_person p ON p.name_folded = t.name_folded"
                " AND p.birth_year = t.birth_year AND p.birth_date = t.birth_date AND p.id <> t.id"
                " JOIN people_member m ON m.person_id = p.id"
                " WHERE t.citizen_id IS NULL AND m.org_path LIKE %s AND NOT EXISTS"
                " (SELECT 1 FROM people_member x WHERE x.person_id = t.id)"
                " AND NOT EXISTS (SELECT 1 FROM vetting_case c WHERE c.person_id = t.id)"
                " GROUP BY t.id, t.family_name, t.middle_name, t.given_name, t.birth_date,"
                " t.home_town, t.residence ORDER BY t.id",
                [self.world.root.path + "%"],
            )
            for pk, family, middle, given, born, home, residence, path in cur.fetchall():
                name = vntext.Name(family, middle, given).full
                commune = path[:12]
                found.setdefault(commune[:8], []).append(
                    Subject(pk, name, born, home, residence, commune)
                )
        return found


def police(province_label: str) -> str:
    return f"Phòng Hồ sơ nghiệp vụ (PV06) Công an {province_label}"


def committee(name: str, city: bool) -> str:
    return f"Ban Tổ chức {'Thành ủy' if city else 'Tỉnh ủy'} {name}"


PROVINCE_OF = {name: (name, city) for name, _code, city in PROVINCES}


def province_of(place: str) -> tuple[str, bool] | None:
    """The province a place as written names (its last part: "..., tỉnh Nghệ An")."""
    last = place.rsplit(", ", 1)[-1]
    for prefix in ("tỉnh ", "thành phố "):
        last = last.removeprefix(prefix)
    return PROVINCE_OF.get(last)


def setup(world: World) -> Setup:
    return Setup(world)


# --- One province -----------------------------------------------------------------------


class Cases:
    """The cases of one province: who is vetted, by whom, and each case's rows."""

    def __init__(self, batch: Batch, setup: Setup) -> None:
        self.batch, self.setup, self.world = batch, setup, batch.world
        self.province = batch.province
        self.rng = self.world.rng(f"cases:{self.province.index}")
        self.communes = {c.org.path: c for c in self.province.communes}
        self.offices = {o.org.id: o for o in (self.province.office, *self.province.communes)}
        self.specs: list[Spec] = []
        self.persons = 0
        self.ids = _CitizenIds(PROVINCES[self.province.index % len(PROVINCES)][1])
        families = [name for name, _ in FAMILY_WEIGHTS]
        self.families, self.family_weights = families, [w for _, w in FAMILY_WEIGHTS]

    # Who is vetted.

    def plan(self) -> None:
        world, rng = self.world, self.rng
        members = self.batch.members
        admitted = [
            m for m in self.batch.shared.get("admitted", []) if rng.random() < ADMISSIONS_VETTED
        ]
        for m in admitted:
            assert m.admitted_on is not None
            received = world.days.weekday(m.admitted_on - dt.timedelta(days=rng.randint(60, 170)))
            if received < START:
                continue
            subject = self._member_subject(m)
            self._add("KET_NAP", subject, received, conclude_before=m.admitted_on)
        for _ in range(int(len(admitted) * APPLICANTS)):
            received = world.day_between(rng, START, world.as_of)
            commune = rng.choice(self.province.communes)
            subject = self._applicant(commune, received)
            self._add("KET_NAP", subject, received, applicant=True)
        for twin in self.setup.twins.get(self.province.office.org.path, []):
            received = world.day_between(rng, START, world.as_of)
            self._add(rng.choice(["KHAC", "QUAN_HE_NN", "DON_THU"]), twin, received)
        wanted = round(CASES_PER_MEMBER * len(members))
        codes = [c for c in TYPES if TYPES[c][0] > 0 and c in self.setup.kinds]
        first = list(codes)  # every type at least once in each province
        while len(self.specs) < wanted and members:
            received = world.day_between(rng, START, world.as_of)
            weights = [TYPES[c][0] * SEASONS.get(c, {}).get(received.year, 1.0) for c in codes]
            code = first.pop() if first else rng.choices(codes, weights)[0]
            if rng.random() < TYPES[code][2]:
                commune = rng.choice(self.province.communes)
                self._add(code, self._new_person(commune, received, 22, 45), received)
                continue
            member = self._cadre(members, received)
            if member is not None:
                self._add(code, self._member_subject(member), received)

    def _cadre(self, members: list[MemberRow], day: dt.date) -> MemberRow | None:
        """A member in the Party on that day, aged 25 to 60 for most draws."""
        for _ in range(8):
            m = self.rng.choice(members)
            age = day.year - m.birth_year
            if m.active_on(day) and (m.moved is None or day < m.moved) and 25 <= age <= 60:
                return m
        return None

    def _member_subject(self, m: MemberRow) -> Subject:
        return Subject(
            m.person_id,
            m.full_name,
            m.birth_date,
            m.home_town,
            m.residence,
            m.commune_path,
            member=m,
        )

    def _add(self, code: str, subject: Subject, received: dt.date, **fate: Any) -> None:
        kind = self.setup.kinds.get(code)
        if kind is None:
            return
        commune = self.communes.get(subject.commune) or self.rng.choice(self.province.communes)
        at_province = code != "KET_NAP" and self.rng.random() < TYPES[code][1]
        office = self.province.office if at_province else commune
        # The committee competent to conclude: the province's for its own cases and for the
        # candidates and key posts of the communes; else the commune's own.
        upward = code in ("UNG_CU_QH", "UNG_CU_HDND", "TRONG_YEU", "NHAN_SU_DH", "LUAN_CHUYEN")
        competent = self.province.office if at_province or upward else commune
        self.specs.append(Spec(kind, subject, office, competent, received, **fate))

    # Persons who are not members: applicants, recruits, candidates.

    def _name(self, sex: str, family: str = "") -> tuple[str, str, str]:
        rng = self.rng
        family = family or rng.choices(self.families, self.family_weights)[0]
        middle = "Thị" if sex == "F" and rng.random() < 0.6 else rng.choice(MIDDLE[sex])
        return family, middle, rng.choice(GIVEN[sex])

    def _place(self, commune: Office) -> str:
        name = commune.org.name.removeprefix("Đảng ủy ")
        return f"{name}, {self.province.label}"

    def _new_person(
        self,
        commune: Office,
        day: dt.date,
        youngest: int,
        oldest: int,
        names: tuple[str, str, str] | None = None,
        sex: str | None = None,
        year: int | None = None,
        parents: bool = True,
    ) -> Subject:
        rng = self.rng
        sex = sex or ("M" if rng.random() < 0.55 else "F")
        family, middle, given = names or self._name(sex)
        year = year or day.year - rng.randint(youngest, oldest)
        born = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        place = self._place(commune)
        values = bulk.person_values(
            {
                "id": self.world.take("people_person"),
                "family_name": family,
                "middle_name": middle,
                "given_name": given,
                "sex": sex,
                "birth_date": born,
                "home_town": place,
                "residence": place,
                "ethnicity": "Kinh",
                "religion": "Không",
                "education": "12/12",
                "occupation": rng.choice(["Sinh viên", "Công nhân", "Viên chức", "Nông dân"]),
                "citizen_id": self.ids.next(sex, year),
                "citizen_id_issued_by": "Cục Cảnh sát QLHC về TTXH",
            }
        )
        self.batch.add(Person, values)
        self.persons += 1
        subject = Subject(
            values["id"],
            " ".join(n for n in (family, middle, given) if n),
            born,
            place,
            place,
            commune.org.path,
        )
        if parents:
            self._declare_parents(subject, family, year, place, day)
        return subject

    def _declare_parents(
        self,
        subject: Subject,
        family: str,
        year: int,
        place: str,
        day: dt.date,
        skip: str = "",
    ) -> None:
        """The parents a new person declares in their resume (one of them may be on record:
        `skip` names the relationship already declared)."""
        rng = self.rng
        for code, sex, gap in (("bo-de", "M", (22, 38)), ("me-de", "F", (19, 35))):
            if code == skip:
                continue
            name = self._name(sex, family if sex == "M" else "")
            kin = self._declare(
                subject,
                code,
                " ".join(name),
                year - rng.randint(*gap),
                place,
                rng.choice(["Nông dân", "Công nhân", "Hưu trí", "Buôn bán"]),
                day,
            )
            subject.kin.append(kin)

    def _declare(
        self,
        subject: Subject,
        code: str,
        full_name: str,
        year: int,
        place: str,
        work: str,
        day: dt.date,
        party_member: bool = False,
        identity: int | None = None,
    ) -> Kin:
        pk, name = self.setup.relationships[code]
        office = self.communes.get(subject.commune) or self.province.office
        rid = self.batch.add(
            Relative,
            {
                "person_id": subject.person_id,
                "relationship_id": pk,
                "side": "own",
                "full_name": full_name,
                "birth_year": year,
                "residence": place,
                "occupation": work,
                "party_member": party_member,
                "identity_id": identity,
                "name_folded": vntext.fold(full_name),
                "recorded_by_id": office.clerk,
                "recorded_at": self.world.stamp(day, self.rng),
            },
        )
        return Kin(
            rid,
            subject.person_id,
            code,
            name,
            "own",
            full_name,
            year,
            place,
            party_member,
            identity,
        )

    def _applicant(self, commune: Office, day: dt.date) -> Subject:
        """A young person applying: sometimes the child of a member of the commune."""
        if self.rng.random() < CHILD_APPLICANTS:
            parents = [
                m
                for m in self.batch.members
                if m.commune_path == commune.org.path
                and 40 <= day.year - m.birth_year <= 62
                and m.active_on(day)
            ]
            if parents:
                parent = self.rng.choice(parents)
                subject = Subject(0, "", None, "", "", commune.org.path, member=parent)
                subject.kin = []
                return subject  # filled once the parent's declared children are read
        return self._new_person(commune, day, 18, 30)

    def children(self, kin: dict[int, list[Kin]]) -> None:
        """Applicants who are a member's child: the child the member declared becomes a
        person on record, linked to that declaration, and declares the member as a parent."""
        for spec in self.specs:
            s = spec.subject
            if s.person_id or s.member is None:
                continue
            parent, day = s.member, spec.received
            declared = [
                k
                for k in kin.get(parent.person_id, [])
                if k.code == "con-de"
                and k.birth_year
                and 18 <= day.year - k.birth_year <= 30
                and k.identity is None
            ]
            commune = self.communes[s.commune]
            if not declared:
                spec.subject = self._new_person(commune, day, 18, 30)
                continue
            child = self.rng.choice(declared)
            names = _split(child.full_name)
            sex = "F" if names[1].startswith("Thị") or names[2] in FEMALE_ONLY else "M"
            new = self._new_person(
                commune, day, 18, 30, names=names, sex=sex, year=child.birth_year, parents=False
            )
            child.identity = new.person_id
            self.link(child, new.person_id, day, commune, "Con đẻ của đảng viên, đã đối chiếu")
            code = "bo-de" if parent.sex == "M" else "me-de"
            declared_parent = self._declare(
                new,
                code,
                parent.full_name,
                parent.birth_year,
                parent.residence,
                self.rng.choice(OCCUPATIONS),
                day,
                party_member=True,
                identity=parent.person_id,
            )
            new.kin.append(declared_parent)
            self._identity(
                declared_parent,
                parent.person_id,
                day,
                commune,
                "Bố hoặc mẹ là đảng viên trong hồ sơ",
            )
            self._declare_parents(
                new,
                names[0] if parent.sex == "F" else parent.family,
                child.birth_year or day.year - 20,
                new.residence,
                day,
                skip=code,
            )
            spec.subject = new

    def link(self, kin: Kin, person: int, day: dt.date, office: Office, why: str) -> None:
        """An officer confirmed that a declared relative is a person on record."""
        self.batch.update(Relative, ("identity_id",), [(kin.id, person)])
        self._identity(kin, person, day, office, why)

    def _identity(self, kin: Kin, person: int, day: dt.date, office: Office, why: str) -> None:
        self.batch.add(
            IdentityDecision,
            {
                "kind": "link",
                "person_id": person,
                "relative_id": kin.id,
                "reason": why,
                "by_id": self.rng.choice(office.officers),
                "at": self.world.stamp(day, self.rng),
            },
        )

    # What each case asks, of whom, and what it concludes.

    def targets(
        self, spec: Spec, rng: random.Random
    ) -> tuple[list[Target], list[tuple[int, int | None, str]]]:
        """The subject, and the relatives the type's plan takes (those it does not: a skip
        with its reason); a type without a plan: the subject and a parent or the spouse."""
        s = spec.subject
        me = Target(f"p{s.person_id}", s.label, s.person_id, None, s.residence, _who(s))
        found, keys, skips = [me], {me.key}, []
        rules, year = spec.kind.rules, self.world.as_of.year
        if not rules:
            near = [k for k in s.kin if k.code in ("bo-de", "me-de", "vo", "chong")]
            for k in rng.sample(near, min(len(near), rng.randint(0, 2))):
                found.append(_kin_target(s, k))
            return found, skips
        for i, rule in enumerate(rules):
            if rule.is_self:
                continue
            fillers = [k for k in s.kin if _takes(rule, k, year)]
            if not fillers:
                spouse = any(c in ("vo", "chong") for c in rule.codes)
                skips.append((i, None, UNMARRIED if spouse else NOT_DECLARED))
                continue
            for k in fillers:
                if k.party_member and rng.random() < 0.5:
                    skips.append((i, k.id, ALREADY_VETTED))
                elif f"r{k.id}" not in keys:
                    keys.add(f"r{k.id}")
                    found.append(_kin_target(s, k))
        return found, skips

    def addressees_for(self, spec: Spec, target: Target, rng: random.Random) -> list[str]:
        """The police records unit of the province the person lives in; the organizing
        board of that province's committee too, for half of those living elsewhere."""
        name, city = province_of(target.residence) or (self.province.name, self.province.city)
        found = [police(f"{'thành phố' if city else 'tỉnh'} {name}")]
        if name != self.province.name and rng.random() < 0.5:
            found.append(committee(name, city))
        if target.person is not None and rng.random() < 0.05:
            found.append("Cục A93B")
        if target.person is not None and spec.kind.code in ("QUAN_HE_NN", "KET_HON_NN"):
            found.append("Cục Quản lý xuất nhập cảnh")
        return found

    def outcome(self, spec: Spec, signed: dt.date, rng: random.Random) -> str:
        codes = [c for c, _label in spec.kind.outcomes]
        if spec.conclude_before is not None and "DU" in codes:
            return "DU"  # admitted afterwards
        if spec.applicant and "DU" in codes:
            if signed <= self.world.as_of - dt.timedelta(days=60):
                return rng.choices(["KHONG_DU", "CHUA_DU_CAN_CU"], [40, 60])[0]  # not admitted
            return rng.choices(codes, [60 if c == "DU" else 20 for c in codes])[0]
        return rng.choices(codes, [OUTCOMES.get(c, 1.0) for c in codes])[0]

    # The province's run.

    def run(self) -> dict[str, int]:
        self.plan()
        wanted = {s.subject.member.person_id for s in self.specs if s.subject.member}
        kin = read_kin(wanted)
        self.children(kin)
        spouses = self.couples(kin)
        kin.update(read_kin({m.person_id for m in spouses} - set(kin)))
        for spec in self.specs:
            s = spec.subject
            if s.member is not None and s.person_id == s.member.person_id:
                s.kin = kin.get(s.person_id, [])
        states: dict[str, int] = {}
        for spec in sorted(self.specs, key=lambda x: (x.received, x.subject.person_id)):
            state = self._write(spec)
            if state:
                states[state] = states.get(state, 0) + 1
        return states

    def couples(self, kin: dict[int, list[Kin]]) -> list[MemberRow]:
        """Spouses who are members of the same commune: the officer links the declaration to
        the spouse's record; some spouses are vetted too. Returns those."""
        rng = self.rng
        index = {
            (vntext.fold(m.full_name), m.birth_year, m.commune_path): m for m in self.batch.members
        }
        vetted: list[MemberRow] = []
        for spec in list(self.specs):
            s = spec.subject
            if s.member is None or s.person_id != s.member.person_id:
                continue
            for k in kin.get(s.person_id, []):
                if not (k.party_member and k.code in ("vo", "chong") and k.identity is None):
                    continue
                spouse = index.get((vntext.fold(k.full_name), k.birth_year or 0, s.commune))
                if spouse is None or rng.random() >= COUPLES_LINKED:
                    continue
                k.identity = spouse.person_id
                self.link(
                    k,
                    spouse.person_id,
                    spec.received,
                    spec.office,
                    "Vợ (chồng) là đảng viên cùng địa phương: cùng họ tên, năm sinh, nơi ở",
                )
                if rng.random() < SPOUSES_VETTED:
                    day = self.world.day_between(
                        rng,
                        max(START, spec.received - dt.timedelta(days=90)),
                        min(self.world.as_of, spec.received + dt.timedelta(days=90)),
                    )
                    if spouse.active_on(day):
                        code = rng.choice(["QUY_HOACH", "BO_NHIEM", "NHAN_SU_DH", "UNG_CU_HDND"])
                        self._add(code, self._member_subject(spouse), day)
                        vetted.append(spouse)
        return vetted

    def _write(self, spec: Spec) -> str:
        rng, world = self.rng, self.world
        seed = rng.random()
        story = Story(self, spec, seed)
        story.tell(spec.received)
        if spec.conclude_before is not None:
            limit = spec.conclude_before - dt.timedelta(days=3)
            if story.signed is not None and story.signed > limit:
                shift = (story.signed - limit).days + rng.randint(0, 15)
                spec.received = world.days.weekday(spec.received - dt.timedelta(days=shift))
                story = Story(self, spec, seed)
                story.tell(spec.received)
            if spec.received < START or story.signed is None or story.signed > limit:
                return ""  # it could not have been vetted in time: no case
        withdraw = None
        chance = 0.12 if spec.applicant else 0.03
        if spec.conclude_before is None and story.pause is None and rng.random() < chance:
            end = min(story.signed or world.as_of, world.as_of)
            first = spec.received + dt.timedelta(days=1)
            if end > first:
                withdraw = world.day_between(rng, first, end - dt.timedelta(days=1))
        return _Writer(self, spec, story, withdraw).write()


FEMALE_ONLY = frozenset(GIVEN["F"]) - frozenset(GIVEN["M"])


def _split(full_name: str) -> tuple[str, str, str]:
    """(family, middle, given) of a name people/synth.py wrote (the family names it uses)."""
    words = full_name.split(" ")
    if len(words) >= 4 and " ".join(words[:2]) == "Tôn Nữ":
        return "Tôn Nữ", " ".join(words[2:-1]), words[-1]
    return words[0], " ".join(words[1:-1]), words[-1]


class _CitizenIds:
    """Citizen ID numbers for new persons, after those people/synth.py gave (its serial
    numbers stay far below 700000 for a province, sex, century and year)."""

    def __init__(self, province_code: int) -> None:
        self.code = province_code
        self.counters: dict[tuple[int, int], int] = {}

    def next(self, sex: str, year: int) -> str:
        century = (0 if year < 2000 else 2) + (0 if sex == "M" else 1)
        n = self.counters[(century, year % 100)] = self.counters.get((century, year % 100), 0) + 1
        return f"{self.code:03d}{century}{year % 100:02d}{700000 + n:06d}"


# --- Reading the subjects' declarations ---------------------------------------------------

KIN = """
SELECT r.id, r.person_id, k.code, k.name, r.side, r.full_name, r.birth_year, r.residence,
       r.party_member, r.identity_id
FROM people_relative r JOIN people_relationship k ON k.id = r.relationship_id
WHERE r.person_id = ANY(%s) ORDER BY r.id
"""


def read_kin(person_ids: set[int]) -> dict[int, list[Kin]]:
    found: dict[int, list[Kin]] = {}
    with connection.cursor() as cur:
        for chunk in chunked(sorted(person_ids), 10_000):
            if connection.vendor == "postgresql":
                cur.execute(KIN, [chunk])
            else:
                marks = ", ".join(["%s"] * len(chunk))
                cur.execute(KIN.replace("= ANY(%s)", f"IN ({marks})"), chunk)
            for row in cur.fetchall():
                found.setdefault(row[1], []).append(Kin(*row))
    return found


# --- Writing one case ---------------------------------------------------------------------


@dataclass(slots=True)
class Target:
    """Whom a request asks about: the subject, or one declared relative."""

    key: str
    label: str
    person: int | None
    relative: int | None
    residence: str
    who: str  # the slip's description of the person


@dataclass(slots=True)
class Ask:
    """One planned request: when it is sent, answered or cancelled (None: never)."""

    target: Target
    addressee: str
    sent: dt.date
    due: dt.date
    reply: dt.date | None
    cancel: dt.date | None


class Story:
    """The dated history one case would have, before it is cut at the day of the load (or at
    its withdrawal). Every draw comes from the case's own generator, so the same case can be
    told again from an earlier day of receipt."""

    def __init__(self, cases: Cases, spec: Spec, seed: float) -> None:
        self.cases, self.spec = cases, spec
        self.rng = random.Random(seed)
        self.moves: list[tuple[str, str, dt.date, str]] = []  # move, state entered, day, note
        self.asks: list[Ask] = []
        self.decision: dt.date | None = None
        self.start: dt.date | None = None
        self.compile: dt.date | None = None
        self.propose: dt.date | None = None
        self.signed: dt.date | None = None
        self.pause: tuple[dt.date, dt.date] | None = None
        self.targets: list[Target] = []
        self.skips: list[tuple[int, int | None, str]] = []

    def tell(self, received: dt.date) -> None:
        spec, rng, days = self.spec, self.rng, self.cases.world.days
        kind = spec.kind
        slow = spec.conclude_before is None and rng.random() < 0.1
        speed = rng.lognormvariate(0, 0.3) * (2.4 if slow else 1.0)

        def later(day: dt.date, low: int, high: int) -> dt.date:
            return days.after(day, max(1, round(rng.randint(low, high) * speed)))

        day = received
        self.moves = [("open", State.RECEIVED, day, "")]
        if "review" in kind.steps:
            day = later(day, 1, 4)
            self.moves.append(("review", State.REVIEW, day, ""))
            if rng.random() < 0.05 and spec.conclude_before is None:
                day = days.after(day, rng.randint(1, 3))
                note = "Đề nghị bổ sung bản tự kiểm điểm và nhận xét của chi bộ nơi cư trú."
                self.moves.append(("request_documents", State.MORE_DOCUMENTS, day, note))
                day = days.weekday(day + dt.timedelta(days=rng.randint(5, 25)))
                self.moves.append(("documents_received", State.REVIEW, day, ""))
        if "verification" in kind.steps:
            day = later(day, 2, 6)
            self.moves.append(("ask_decision", State.AWAITING_DECISION, day, ""))
            day = self.decision = later(day, 2, 7)
            self.moves.append(("record_decision", State.PLANNING, day, ""))
            day = self.start = later(day, 1, 5)
            self.moves.append(("start_verifying", State.VERIFYING, day, ""))
            done: dt.date | None = self._ask(day, kind.reply_days)
            if rng.random() < 0.02 and spec.conclude_before is None:
                paused = later(day, 2, 8)
                resumed = days.weekday(paused + dt.timedelta(days=rng.randint(20, 150)))
                self.pause = (paused, resumed)
                note = "Chờ kết quả xác minh của cơ quan chức năng ở nước ngoài."
                self.moves.append(("suspend", State.SUSPENDED, paused, note))
                self.moves.append(("resume", State.VERIFYING, resumed, ""))
                done = None if done is None else max(done, resumed)
            if done is None:
                return  # a reply that never came holds the case in verification
            day = self.compile = later(done, 1, 5)
            self.moves.append(("compile", State.COMPILING, day, ""))
        elif "compiling" in kind.steps:
            day = self.compile = later(day, 2, 5)
            self.moves.append(("compile", State.COMPILING, day, ""))
        if "proposal" in kind.steps:
            day = self.propose = later(day, 2, 8)
            self.moves.append(("propose", State.PROPOSED, day, ""))
        day = self.signed = later(day, 3, 12)
        self.moves.append(("conclude", State.CONCLUDED, day, ""))
        if rng.random() < 0.7:
            day += dt.timedelta(days=rng.randint(10, 60))
            self.moves.append(("archive", State.ARCHIVED, day, ""))

    def _ask(self, start: dt.date, reply_days: int) -> dt.date | None:
        """The requests of the plan, sent from the start of verification: the day the last
        one is answered or cancelled, or None if one is never answered."""
        rng, days = self.rng, self.cases.world.days
        self.targets, self.skips = self.cases.targets(self.spec, self.rng)
        done: dt.date | None = start
        strict = self.spec.conclude_before is not None
        for target in self.targets:
            for addressee in self.cases.addressees_for(self.spec, target, rng):
                sent = days.after(start, rng.randint(0, 3)) if rng.random() < 0.9 else start
                due = days.after(sent, reply_days)
                r = rng.random()
                reply = cancel = None
                if r < 0.86 or strict:
                    reply = days.after(sent, rng.randint(3, reply_days))
                elif r < 0.975:
                    reply = days.after(sent, rng.randint(reply_days + 1, 5 * reply_days // 2))
                elif rng.random() < 0.5:
                    cancel = days.weekday(due + dt.timedelta(days=rng.randint(20, 60)))
                self.asks.append(Ask(target, addressee, sent, due, reply, cancel))
                end = reply
                if cancel is not None:  # a new slip replaces the one never answered
                    again = days.after(cancel, rng.randint(0, 2))
                    end = days.after(again, rng.randint(3, reply_days))
                    self.asks.append(Ask(target, addressee, again,
                                         days.after(again, reply_days), end, None))
                done = None if done is None or end is None else max(done, end)
        return done


class _Writer:
    """The rows of one case, cut at the day of the load or at its withdrawal."""

    def __init__(self, cases: Cases, spec: Spec, story: Story, withdraw: dt.date | None) -> None:
        self.cases, self.spec, self.story = cases, spec, story
        self.batch, self.world = cases.batch, cases.world
        self.rng = story.rng
        self.cut = min(self.world.as_of, withdraw) if withdraw else self.world.as_of
        self.withdraw = withdraw if withdraw and withdraw <= self.world.as_of else None
        office = spec.office
        self.officer = self.rng.choice(office.officers)
        self.head = self.rng.choice(office.heads)
        self.id = self.world.take("vetting_case")
        kind = spec.kind
        self.level = kind.classification
        self.common = {
            "classification": self.level,
            "object_type": OBJECT_TYPE,
            "object_id": str(self.id),
            "created_by_id": self.officer,
        }

    def done(self, day: dt.date | None) -> bool:
        """Did it happen before the cut (a withdrawal ends the case on its day)?"""
        if day is None:
            return False
        return day < self.cut if self.withdraw else day <= self.cut

    def write(self) -> str:
        spec, story, batch, world, rng = self.spec, self.story, self.batch, self.world, self.rng
        kind, office = spec.kind, spec.office
        applied = [m for m in story.moves if self.done(m[2])]
        state, returning = State.RECEIVED, ""
        steps = []
        for move, goal, day, note in applied:
            before = "" if move == "open" else state
            if goal in (State.SUSPENDED, State.MORE_DOCUMENTS):
                returning = state
            elif state in (State.SUSPENDED, State.MORE_DOCUMENTS):
                returning = ""
            by = self.head if move in ("suspend", "resume") else self.officer
            steps.append((move, before, goal, note, by, day))
            state = goal
        if self.withdraw:
            note = rng.choice(
                [
                    "Cơ quan đề nghị rút hồ sơ.",
                    "Người được thẩm tra chuyển công tác.",
                    "Không còn nhu cầu bố trí.",
                ]
            )
            steps.append(("withdraw", state, State.WITHDRAWN, note, self.head, self.withdraw))
            state, returning = State.WITHDRAWN, ""
        due = world.days.after(spec.received, kind.days, kind.working)
        paused_since = None
        if story.pause and self.done(story.pause[0]):
            paused, resumed = story.pause
            ended = self.done(resumed)
            after = world.days.extend(due, paused, resumed, kind.working) if ended else None
            if kind.pausable:
                batch.add(
                    Pause,
                    {
                        "case_id": self.id,
                        "started_on": paused,
                        "ended_on": resumed if ended else None,
                        "reason": "Chờ kết quả xác minh",
                        "due_before": due,
                        "due_after": after,
                        "started_by_id": self.head,
                    },
                )
                if ended:
                    due = after or due
                elif state == State.SUSPENDED:
                    paused_since = paused
        decision = None
        if self.done(story.decision):
            assert story.decision is not None
            decision = self._paper(
                spec.competent,
                "QĐ",
                story.decision,
                f"Về việc thẩm tra, xác minh tiêu chuẩn chính trị đồng chí"
                f" {spec.subject.full_name}",
            )
        started = self.done(story.start)
        self._case(state, returning, due, paused_since, decision, started)
        moments = world.stamps([step[5] for step in steps], rng)
        for (move, before, goal, note, by, _day), at in zip(steps, moments, strict=True):
            batch.add(
                CaseStep,
                {"case_id": self.id, "move": move, "from_state": before, "to_state": goal,
                 "note": note, "by_id": by, "at": at},
            )  # fmt: skip
        if started:
            self._team()
            self._skips()
        self._requests()
        if self.done(story.propose):
            assert story.propose is not None
            self._paper(
                office,
                "BC",
                story.propose,
                f"Kết quả thẩm định tiêu chuẩn chính trị đồng chí {spec.subject.full_name}",
            )
        if self.done(story.signed):
            self._conclusion()
        return str(state)

    def _paper(self, issuer: Office, kind: str, day: dt.date, summary: str) -> Outgoing:
        return self.batch.outgoing_doc(
            issuer.org,
            kind,
            day,
            summary=summary[:500],
            signer=self.rng.choice(issuer.head_names),
            authority="T/M",
            recipients=f"{self.spec.office.org.name}\nLưu VT, hồ sơ",
            created_at=self.world.stamp(day, self.rng),
            **self.common,
        )

    def _case(
        self,
        state: str,
        returning: str,
        due: dt.date,
        paused_since: dt.date | None,
        decision: Outgoing | None,
        started: bool,
    ) -> None:
        spec, rng, world = self.spec, self.rng, self.world
        kind, subject = spec.kind, spec.subject
        code = kind.code
        requested = world.days.weekday(spec.received - dt.timedelta(days=rng.randint(1, 10)))
        cell = subject.member.org_path if subject.member else ""
        issuer = ISSUERS.get(code, "{o}").format(
            cell=f"{int(cell[-4:], 36)}" if cell else "1",
            p=self.cases.province.label,
            o=spec.office.org.name,
        )
        restricted = rng.random() < (0.25 if code == "TRONG_YEU" else 0.02)
        self.batch.add(
            Case,
            {
                "id": self.id,
                "organization_id": spec.office.org.id,
                "case_type_id": kind.type_id,
                "version_id": kind.version_id,
                "person_id": subject.person_id,
                "purpose": rng.choice(PURPOSES.get(code, [kind.name])),
                "competent_committee_id": spec.competent.org.id,
                "request_number": f"{rng.randint(1, 400)}-TTr/{_initials(issuer)}",
                "request_date": min(requested, spec.received),
                "request_issuer": issuer,
                "received_on": spec.received,
                "handed_over_by": _person_name(rng),
                "handover_items": HANDOVER.get(code, HANDOVER_DEFAULT),
                "decision_number": Ref(decision) if decision else "",
                "decision_date": decision.issued_on if decision else None,
                "plan": PLAN_TEXT if started else "",
                "proposal": PROPOSAL_TEXT if self.done(self.story.propose) else "",
                "classification": self.level,
                "restricted": restricted,
                "state": state,
                "return_state": returning,
                "assignee_id": self.officer,
                "due_on": due,
                "paused_since": paused_since,
                "created_by_id": self.officer,
                "created_at": world.stamp(spec.received, rng),
            },
            late=decision is not None,
        )

    def _team(self) -> None:
        office, kind = self.spec.office, self.spec.kind
        people = [
            self.officer,
            *[u for u in (*office.officers, *office.heads) if u != self.officer],
        ]
        for i, user in enumerate(people[: max(kind.team, 1)]):
            self.batch.add(TeamMember, {"case_id": self.id, "user_id": user, "leader": i == 0})

    def _skips(self) -> None:
        story = self.story
        assert story.start is not None
        until = story.compile if self.done(story.compile) else self.cut
        for line, relative, reason in story.skips:
            day = self.world.day_between(self.rng, story.start, until or story.start)
            self.batch.add(
                PlanSkip,
                {
                    "case_id": self.id,
                    "line": line,
                    "relative_id": relative,
                    "reason": reason,
                    "recorded_by_id": self.officer,
                    "recorded_at": self.world.stamp(day, self.rng),
                },
            )

    def _requests(self) -> None:
        spec, story, batch, world, rng = self.spec, self.story, self.batch, self.world, self.rng
        questions_self, questions_kin = case_plan.QUESTIONS_SELF, case_plan.QUESTIONS_RELATIVE
        compiled = self.done(story.compile)
        for ask in story.asks:
            if not self.done(ask.sent):
                continue
            t = ask.target
            questions = questions_self if t.person == spec.subject.person_id else questions_kin
            slip = batch.outgoing_doc(
                spec.office.org,
                "PYC",
                ask.sent,
                summary=f"V/v xác minh lý lịch {t.label}"[:500],
                body=self._slip(ask, questions),
                recipients=ask.addressee,
                created_at=world.stamp(ask.sent, rng),
                **self.common,
            )
            answered = self.done(ask.reply) and ask.reply is not None and ask.reply <= world.as_of
            cancelled = not answered and (self.done(ask.cancel) or self.withdraw is not None)
            state = (
                RequestState.ANSWERED
                if answered
                else (RequestState.CANCELLED if cancelled else RequestState.OPEN)
            )
            rid = batch.add(
                VerificationRequest,
                {
                    "case_id": self.id,
                    "document_id": slip.id,
                    "person_id": t.person,
                    "relative_id": t.relative,
                    "person_key": t.key,
                    "person_label": t.label[:255],
                    "addressee_id": self.cases.setup.addressees[ask.addressee],
                    "questions": questions,
                    "sent_on": ask.sent,
                    "due_on": ask.due,
                    "state": state,
                    "created_by_id": self.officer,
                    "created_at": world.stamp(ask.sent, rng),
                },
            )
            last = ask.reply if answered else self.cut
            if last is not None and ask.due < last:
                reminded = ask.due + dt.timedelta(days=rng.randint(2, 8))
                if reminded < last:
                    batch.add(
                        Reminder,
                        {
                            "request_id": rid,
                            "sent_on": reminded,
                            "by_id": self.officer,
                            "note": "Đôn đốc trả lời phiếu",
                        },
                    )
            if answered:
                assert ask.reply is not None
                self._reply(ask, ask.reply, slip, rid, compiled)

    def _slip(self, ask: Ask, questions: str) -> str:
        spec = self.spec
        return "\n\n".join(
            [
                f"Kính gửi: {ask.addressee}.",
                f"{spec.office.org.name} đề nghị {ask.addressee} xác minh lý lịch của:",
                ask.target.who,
                f"Nội dung cần xác minh: {questions}",
                f"Đề nghị gửi kết quả xác minh về {spec.office.org.name} trước ngày"
                f" {ask.due:%d/%m/%Y}.",
            ]
        )

    def _reply(self, ask: Ask, day: dt.date, slip: Outgoing, rid: int, compiled: bool) -> None:
        batch, world, rng = self.batch, self.world, self.rng
        summary = rng.choice(REPLIES)
        reference = f"{rng.randint(1, 2000)}/{_initials(ask.addressee)}"
        incoming = batch.incoming_doc(
            self.spec.office.org,
            day,
            sender=ask.addressee,
            sender_reference=reference,
            sender_date=day - dt.timedelta(days=rng.randint(1, 5)),
            summary=Ref(slip, f"Trả lời phiếu {{}}: {summary}"),
            created_at=world.stamp(day, rng),
            **{**self.common, "created_by_id": self.spec.office.clerk},
        )
        reply = batch.add(
            Reply,
            {
                "request_id": rid,
                "incoming_id": incoming.id,
                "received_on": day,
                "reference": reference,
                "summary": summary,
                "recorded_by_id": self.officer,
                "recorded_at": world.stamp(day, rng),
            },
        )
        discrepancy = rng.random() < 0.04
        values: dict[str, Any] = {
            "reply_id": reply,
            "topic": "Lịch sử chính trị và chính trị hiện nay",
            "finding": summary,
            "verdict": Verdict.MATCH,
        }
        batch.add(ReplyItem, values)
        if discrepancy:
            finding = rng.choice(DISCREPANCIES)
            resolved = compiled and self.story.compile is not None
            batch.add(
                ReplyItem,
                {
                    "reply_id": reply,
                    "topic": "Đối chiếu lý lịch",
                    "finding": finding,
                    "verdict": Verdict.DISCREPANCY,
                    "resolution": "Đã làm rõ với người được thẩm tra, bổ sung lý lịch."
                    if resolved
                    else "",
                    "resolved_by_id": self.officer if resolved else None,
                    "resolved_at": world.stamp(self.story.compile, rng) if resolved else None,
                },
            )

    def _conclusion(self) -> None:
        spec, story, world, rng = self.spec, self.story, self.world, self.rng
        assert story.signed is not None
        signed = story.signed
        outcome = self.cases.outcome(spec, signed, rng)
        first = self._conclude(outcome, signed, None, "")
        if spec.conclude_before is None and rng.random() < 0.005:
            again = signed + dt.timedelta(days=rng.randint(15, 120))
            if again <= world.as_of:
                codes = [c for c, _label in spec.kind.outcomes]
                self._conclude(
                    rng.choice(codes),
                    world.days.weekday(again),
                    first,
                    "Sửa sai sót về nội dung kết luận sau khi xem xét lại hồ sơ.",
                )

    def _conclude(self, outcome: str, signed: dt.date, supersedes: int | None, why: str) -> int:
        spec, rng, world = self.spec, self.rng, self.world
        label = dict(spec.kind.outcomes)[outcome]
        text = (
            f"{label}. {spec.competent.org.name} kết luận tiêu chuẩn chính trị đồng chí"
            f" {spec.subject.full_name}."
        )
        paper = self._paper(
            spec.competent,
            "KL",
            min(signed, world.as_of),
            f"Kết luận tiêu chuẩn chính trị đồng chí {spec.subject.full_name}",
        )
        months = spec.kind.validity
        return self.batch.add(
            Conclusion,
            {
                "case_id": self.id,
                "outcome": outcome,
                "outcome_label": label,
                "text": text,
                "number": Ref(paper),
                "signed_on": paper.issued_on,
                "signer": rng.choice(spec.competent.head_names),
                "authority": "T/M" if rng.random() < 0.7 else "K/T",
                "supersedes_id": supersedes,
                "reason": why,
                "serves": "",
                "valid_until": add_months(paper.issued_on, months) if months else None,
                "recorded_by_id": self.officer,
                "recorded_at": world.stamp(paper.issued_on, rng),
            },
            late=True,
        )


PLAN_TEXT = (
    "Kế hoạch thẩm tra, xác minh: nghiên cứu hồ sơ; gửi phiếu yêu cầu xác minh đến cơ quan"
    " hồ sơ nghiệp vụ và cấp ủy nơi cư trú; làm việc với người được thẩm tra; tổng hợp, báo cáo."
)
PROPOSAL_TEXT = (
    "Qua thẩm tra, xác minh, đoàn thấy lý lịch khai đúng; đề nghị cấp ủy có thẩm quyền xem xét,"
    " kết luận tiêu chuẩn chính trị theo quy định."
)


def _initials(name: str) -> str:
    """ "Phòng Hồ sơ nghiệp vụ (PV06) Công an tỉnh X" -> "PV06"; else the capitals."""
    if "(" in name and ")" in name:
        return name[name.index("(") + 1 : name.index(")")]
    letters = "".join(w[0] for w in name.split() if w[:1].isupper())
    return vntext.fold(letters).upper() or "VP"


def _person_name(rng: random.Random) -> str:
    sex = "M" if rng.random() < 0.5 else "F"
    family = rng.choice(["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng"])
    middle = "Thị" if sex == "F" else rng.choice(MIDDLE["M"])
    return f"{family} {middle} {rng.choice(GIVEN[sex])}"


def _takes(rule: case_plan.Rule, kin: Kin, year: int) -> bool:
    """plan.Rule.takes() on a declaration as read here (the same rule: relationship, side,
    and the age for lines of adults)."""
    for code in rule.codes:
        side, _sep, relationship = code.rpartition(":")
        if relationship == kin.code and side in ("", kin.side):
            born = kin.birth_year
            return not (rule.adult and born is not None and year - born < case_plan.ADULT_AGE)
    return False


def _who(s: Subject) -> str:
    facts = [f"Họ và tên: {vntext.upper(s.full_name)}"]
    if s.birth_date:
        facts.append(f"sinh ngày {s.birth_date:%d/%m/%Y}")
    if s.home_town:
        facts.append(f"quê quán: {s.home_town}")
    if s.residence:
        facts.append(f"nơi thường trú: {s.residence}")
    return "; ".join(facts) + "."


def _kin_target(s: Subject, k: Kin) -> Target:
    year = f", {k.birth_year}" if k.birth_year else ""
    facts = [
        f"Họ và tên: {k.full_name}",
        f"sinh năm {k.birth_year}" if k.birth_year else "",
        f"nơi ở: {k.residence}" if k.residence else "",
        f"là {k.relationship.lower()} của đồng chí {s.full_name}",
    ]
    return Target(
        f"r{k.id}",
        f"{k.full_name} ({k.relationship}{year})",
        None,
        k.id,
        k.residence,
        "; ".join(f for f in facts if f) + ".",
    )


def province(batch: Batch, setup: Setup) -> None:
    states = Cases(batch, setup).run()
    for state, n in states.items():
        batch.world.counts[f"cases {state}"] += n


STAGE = hooks.SynthStage(20, "vetting cases", setup, province)
