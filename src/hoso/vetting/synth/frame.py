"""What the vetting casework of `hoso synth --full` is made of: its rates and texts, the
catalogue and directory as read once (`Setup`), and the records one case is written from."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import connection

from hoso.lib import vntext
from hoso.people.synth import GIVEN, MIDDLE, PROVINCES
from hoso.people.synthworld import MemberRow, Office, World, chunked
from hoso.vetting import plan as case_plan
from hoso.vetting.models import (
    Addressee,
    AddresseeKind,
    CaseType,
)

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


FEMALE_ONLY = frozenset(GIVEN["F"]) - frozenset(GIVEN["M"])


def split_name(full_name: str) -> tuple[str, str, str]:
    """(family, middle, given) of a name people/synth.py wrote (the family names it uses)."""
    words = full_name.split(" ")
    if len(words) >= 4 and " ".join(words[:2]) == "Tôn Nữ":
        return "Tôn Nữ", " ".join(words[2:-1]), words[-1]
    return words[0], " ".join(words[1:-1]), words[-1]


class CitizenIds:
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


def initials(name: str) -> str:
    """ "Phòng Hồ sơ nghiệp vụ (PV06) Công an tỉnh X" -> "PV06"; else the capitals."""
    if "(" in name and ")" in name:
        return name[name.index("(") + 1 : name.index(")")]
    letters = "".join(w[0] for w in name.split() if w[:1].isupper())
    return vntext.fold(letters).upper() or "VP"


def person_name(rng: random.Random) -> str:
    sex = "M" if rng.random() < 0.5 else "F"
    family = rng.choice(["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng"])
    middle = "Thị" if sex == "F" else rng.choice(MIDDLE["M"])
    return f"{family} {middle} {rng.choice(GIVEN[sex])}"
