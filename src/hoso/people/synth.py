"""Deterministic synthetic data: an organization tree and members with realistic names.

Names follow the real distribution of family names (domain.md §3). Everything comes from one
random.Random(seed), so the same seed gives the same database. Rows are bulk-inserted: COPY on
PostgreSQL, executemany on SQLite.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from hoso.lib import vntext
from hoso.orgs.models import Level, Organization
from hoso.people import bulk

# fmt: off
FAMILY_WEIGHTS = [
    ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 3.0), ("Huỳnh", 2.0),
    ("Phan", 4.5), ("Vũ", 2.0), ("Võ", 1.9), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4),
    ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 0.8), ("Trương", 0.8),
    ("Đoàn", 0.6), ("Lương", 0.5), ("Mai", 0.5), ("Trịnh", 0.5), ("Tạ", 0.3), ("Lưu", 0.3),
    ("Hà", 0.5), ("Cao", 0.4), ("Lâm", 0.4), ("Tô", 0.2), ("Quách", 0.1), ("Thái", 0.2),
    # The long tail, so that the weights add up to 100.
    ("Chu", 0.4), ("Đàm", 0.3), ("Giang", 0.3), ("Kiều", 0.3), ("La", 0.3), ("Lục", 0.2),
    ("Nông", 0.4), ("Lò", 0.2), ("Hứa", 0.2), ("Triệu", 0.3), ("Thân", 0.2), ("Kim", 0.2),
    ("Khổng", 0.1), ("Tăng", 0.2), ("Châu", 0.3), ("Văn", 0.2), ("Âu", 0.1), ("Tôn Nữ", 0.1),
    ("Mạc", 0.1), ("Phùng", 0.4), ("Vương", 0.3), ("Lại", 0.3), ("Từ", 0.2),
]
MIDDLE = {
    "M": ["Văn", "Đức", "Hữu", "Minh", "Quang", "Công", "Thanh", "Xuân", "Ngọc", "Đình", "Quốc",
          "Mạnh", "Tuấn", "Trọng", "Duy", "Hoàng", "Anh", "Bá", "Thế", "Viết"],
    "F": ["Thị", "Ngọc", "Thanh", "Thu", "Minh", "Kim", "Hồng", "Mỹ", "Bích", "Thúy", "Phương",
          "Khánh", "Diệu", "Hoài", "Quỳnh"],
}
GIVEN = {
    "M": ["An", "Anh", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Giang", "Hải", "Hào", "Hiếu",
          "Hòa", "Hoàng", "Hùng", "Huy", "Khải", "Khánh", "Khoa", "Kiên", "Lâm", "Long", "Lộc",
          "Mạnh", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng",
          "Thành", "Thiện", "Thịnh", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ"],
    "F": ["An", "Anh", "Ánh", "Châu", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hằng", "Hạnh",
          "Hiền", "Hoa", "Hồng", "Huệ", "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai",
          "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh", "Tâm", "Thảo", "Thủy",
          "Thúy", "Trang", "Uyên", "Vân", "Vy", "Yến", "Xuân", "Khoẻ"],
}
PROVINCES = [
    ("Hà Nội", 1, True), ("Huế", 46, True), ("Lai Châu", 12, False), ("Điện Biên", 11, False),
    ("Sơn La", 14, False), ("Lạng Sơn", 20, False), ("Quảng Ninh", 22, False),
    ("Thanh Hóa", 38, False), ("Nghệ An", 40, False), ("Hà Tĩnh", 42, False),
    ("Cao Bằng", 4, False), ("Tuyên Quang", 8, False), ("Lào Cai", 10, False),
    ("Thái Nguyên", 19, False), ("Phú Thọ", 25, False), ("Bắc Ninh", 24, False),
    ("Hưng Yên", 33, False), ("Hải Phòng", 31, True), ("Ninh Bình", 37, False),
    ("Quảng Trị", 44, False), ("Đà Nẵng", 48, True), ("Quảng Ngãi", 51, False),
    ("Gia Lai", 52, False), ("Khánh Hòa", 56, False), ("Lâm Đồng", 68, False),
    ("Đắk Lắk", 66, False), ("Hồ Chí Minh", 79, True), ("Đồng Nai", 75, False),
    ("Tây Ninh", 72, False), ("Cần Thơ", 92, True), ("Vĩnh Long", 86, False),
    ("Đồng Tháp", 87, False), ("Cà Mau", 96, False), ("An Giang", 89, False),
]
PLACE_WORDS = ["Hòa", "Bình", "Tân", "An", "Phú", "Thạnh", "Xuân", "Đông", "Tây", "Nam", "Bắc",
               "Long", "Hưng", "Thịnh", "Phước", "Quang", "Trung", "Hiệp", "Lộc", "Mỹ", "Sơn",
               "Thủy", "Vĩnh", "Khánh", "Đức", "Hải", "Thuận", "Lợi", "Cát", "Hồng"]
# fmt: on
MEMBERS_PER_CELL = 30
_STEP = 4
_ALPHABET = Organization.alphabet


def path_step(index: int) -> str:
    """Treebeard's path segment for the index-th child (1-based): 4 base-36 digits."""
    digits = []
    for _ in range(_STEP):
        index, rest = divmod(index, 36)
        digits.append(_ALPHABET[rest])
    return "".join(reversed(digits))


@dataclass
class OrgRow:
    path: str
    name: str
    code: str
    level: str
    children: list[OrgRow] = field(default_factory=list)


@dataclass
class Plan:
    members: int
    seed: int
    root_code: str
    provinces: int = 0
    upper_per_province: int = 0
    base_per_upper: int = 5
    cells_per_base: int = 0


def make_plan(members: int, seed: int) -> Plan:
    plan = Plan(members, seed, f"SYN{seed}")
    plan.provinces = max(2, min(len(PROVINCES), members // 30000))
    per_province = members / plan.provinces
    plan.upper_per_province = max(2, min(120, math.ceil(per_province / 3000)))
    cells = max(1, math.ceil(members / MEMBERS_PER_CELL))
    bases = plan.provinces * plan.upper_per_province * plan.base_per_upper
    plan.cells_per_base = max(1, math.ceil(cells / bases))
    return plan


def _place(rng: random.Random) -> str:
    return f"{rng.choice(PLACE_WORDS)} {rng.choice(PLACE_WORDS)}"


def build_tree(plan: Plan, rng: random.Random, root_index: int) -> OrgRow:
    root = OrgRow(
        path_step(root_index),
        f"Đảng bộ tổng hợp (dữ liệu mẫu {plan.seed})",
        plan.root_code,
        Level.CENTRAL,
    )
    for p in range(plan.provinces):
        pname, _pcode, city = PROVINCES[p]
        prov = OrgRow(
            root.path + path_step(p + 1),
            f"{'Thành ủy' if city else 'Tỉnh ủy'} {pname}",
            f"{plan.root_code}-P{p + 1:02d}",
            Level.PROVINCIAL,
        )
        root.children.append(prov)
        for u in range(plan.upper_per_province):
            kind = rng.choice(["Đảng ủy xã", "Đảng ủy phường"])
            upper = OrgRow(
                prov.path + path_step(u + 1),
                f"{kind} {_place(rng)}",
                f"{prov.code}-U{u + 1:03d}",
                Level.UPPER_BASE,
            )
            prov.children.append(upper)
            for b in range(plan.base_per_upper):
                base = OrgRow(
                    upper.path + path_step(b + 1),
                    f"Đảng bộ thôn {_place(rng)} {b + 1}",
                    f"{upper.code}-B{b + 1:02d}",
                    Level.BASE,
                )
                upper.children.append(base)
                for c in range(plan.cells_per_base):
                    base.children.append(
                        OrgRow(
                            base.path + path_step(c + 1),
                            f"Chi bộ {c + 1}",
                            f"{base.code}-C{c + 1:02d}",
                            Level.CELL,
                        )
                    )
    return root


def walk(node: OrgRow, depth: int = 1) -> Iterator[tuple[OrgRow, int]]:
    yield node, depth
    for child in node.children:
        yield from walk(child, depth + 1)


def _birth_and_id(
    rng: random.Random, sex: str, prov_code: int, counters: dict[Any, int]
) -> tuple[dt.date, str]:
    year = rng.randint(1945, 2004)
    birth = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
    century = 0 if year < 2000 else 2
    sex_century = century + (0 if sex == "M" else 1)
    key = (prov_code, sex_century, year % 100)
    counters[key] = counters.get(key, 0) + 1
    citizen_id = f"{prov_code:03d}{sex_century}{year % 100:02d}{counters[key]:06d}"
    return birth, citizen_id


ETHNICITIES = [
    ("Kinh", 86.0),
    ("Tày", 2.0),
    ("Thái", 2.0),
    ("Mường", 1.5),
    ("Khmer", 1.5),
    ("Hoa", 1.0),
    ("Nùng", 1.0),
    ("H'Mông", 1.0),
    ("Dao", 0.8),
    ("Gia Rai", 0.5),
    ("Ê Đê", 0.4),
    ("Ba Na", 0.3),
    ("Chăm", 0.3),
]
RELIGIONS = [
    ("Không", 90.0),
    ("Phật giáo", 6.0),
    ("Công giáo", 3.0),
    ("Cao Đài", 0.5),
    ("Phật giáo Hòa Hảo", 0.3),
    ("Tin Lành", 0.2),
]


def _weighted(pairs: list[tuple[str, float]]) -> tuple[list[str], list[float]]:
    return [name for name, _ in pairs], [weight for _, weight in pairs]


def person_rows(
    plan: Plan, rng: random.Random, cells: list[tuple[int, int, str]], first_id: int
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Yield (person, member) column values. `cells`: (organization id, province code, path)."""
    families, family_weights = _weighted(FAMILY_WEIGHTS)
    ethnicities, ethnicity_weights = _weighted(ETHNICITIES)
    religions, religion_weights = _weighted(RELIGIONS)
    counters: dict[Any, int] = {}
    keys: dict[tuple[str, str, str], tuple[str, bytes]] = {}
    for i in range(plan.members):
        sex = "M" if rng.random() < 0.62 else "F"
        family = rng.choices(families, family_weights)[0]
        middle = rng.choice(MIDDLE[sex])
        if rng.random() < 0.12:
            middle = f"{middle} {rng.choice(MIDDLE[sex])}"
        given = rng.choice(GIVEN[sex])
        names = (family, middle, given)
        if names not in keys:
            keys[names] = (vntext.fold(" ".join(names)), vntext.sort_key(*names))
        name_folded, key = keys[names]
        org_id, prov_code, org_path = cells[i % len(cells)]
        birth, citizen_id = _birth_and_id(rng, sex, prov_code, counters)
        admitted = dt.date(max(birth.year + 18, 1965), rng.randint(1, 12), rng.randint(1, 28))
        ceremony = admitted + dt.timedelta(days=rng.randint(5, 40))
        official = ceremony + dt.timedelta(days=365 + rng.randint(0, 40))
        status = "probationary" if official > dt.date(2026, 1, 1) else "official"
        pid = first_id + i
        province = PROVINCES[(prov_code + i) % len(PROVINCES)][0]
        person = {
            "id": pid,
            "family_name": family,
            "middle_name": middle,
            "given_name": given,
            "name_folded": name_folded,
            "sort_key": key,
            "sex": sex,
            "birth_date": birth,
            "birth_date_precision": "day",
            "birth_year": birth.year,
            "home_town": f"xã {_place(rng)}, {province}",
            "ethnicity": rng.choices(ethnicities, ethnicity_weights)[0],
            "religion": rng.choices(religions, religion_weights)[0],
            "nationality": "Việt Nam",
            "education": "12/12",
            "political_theory": rng.choice(THEORY),
            "profession": rng.choice(PROFESSIONS),
            "foreign_language": rng.choice(LANGUAGES),
            "occupation_before": rng.choice(["Học sinh", "Sinh viên", "Công nhân", "Nông dân"]),
            "occupation": rng.choice(OCCUPATIONS),
            "citizen_id": citizen_id,
            "citizen_id_issued_by": "Cục Cảnh sát QLHC về TTXH",
        }
        member = {
            "id": pid,
            "person_id": pid,
            "organization_id": org_id,
            "status": status,
            "card_number": f"{prov_code:02d}{pid:08d}",
            "resume_number": f"LL{pid:08d}",
            "badge_number": f"HH{pid:08d}",
            "admission_decision": f"{1 + pid % 900}-QĐ/ĐU",
            "admitted_on": admitted,
            "ceremony_on": ceremony,
            "official_on": official if status == "official" else None,
        }
        yield person, bulk.member_values(member, person, org_path)


# fmt: off
THEORY = ["Sơ cấp", "Trung cấp", "Cao cấp", ""]
PROFESSIONS = ["Cử nhân Luật", "Kỹ sư Xây dựng", "Cử nhân Kinh tế", "Bác sĩ", "Giáo viên", ""]
LANGUAGES = ["Tiếng Anh B1", "Tiếng Anh B2", "Tiếng Pháp A2", ""]
OCCUPATIONS = ["Công chức", "Viên chức", "Công nhân", "Nông dân", "Hưu trí", "Quân nhân"]

# fmt: on


def load(members: int, seed: int) -> Plan:
    """Create the tree and `members` members. Refuses to load the same seed twice."""
    plan = make_plan(members, seed)
    rng = random.Random(seed)
    if Organization.objects.filter(code=plan.root_code).exists():
        raise ValueError(f"synthetic data for seed {seed} is already loaded ({plan.root_code})")
    with transaction.atomic():
        root_index = Organization.objects.filter(depth=1).count() + 1
        tree = build_tree(plan, rng, root_index)
        cells = _insert_tree(tree)
        _insert_people(plan, rng, cells)
    return plan


def _insert_tree(tree: OrgRow) -> list[tuple[int, int, str]]:
    rows = [
        Organization(
            path=node.path,
            depth=depth,
            numchild=len(node.children),
            name=node.name,
            code=node.code,
            level=node.level,
        )
        for node, depth in walk(tree)
    ]
    Organization.objects.bulk_create(rows, batch_size=2000)
    ids = dict(Organization.objects.filter(path__startswith=tree.path).values_list("path", "id"))
    province_codes = {
        tree.path + path_step(i + 1): code for i, (_, code, _) in enumerate(PROVINCES)
    }
    return [
        (ids[node.path], province_codes[node.path[: 2 * _STEP]], node.path)
        for node, _ in walk(tree)
        if node.level == Level.CELL
    ]


def _insert_people(plan: Plan, rng: random.Random, cells: list[tuple[int, int, str]]) -> None:
    from hoso.people.models import Member, Person

    # An admin tool loading its own tree: ids continue after the largest, and the sequences
    # are moved past them afterwards.
    first_id = (
        max(
            Person.objects.order_by("-id").values_list("id", flat=True).first() or 0,
            Member.objects.order_by("-id").values_list("id", flat=True).first() or 0,
        )
        + 1
    )
    members: list[tuple[Any, ...]] = []

    def people() -> Iterator[tuple[Any, ...]]:
        for person, member in person_rows(plan, rng, cells, first_id):
            members.append(bulk.as_row(member, bulk.MEMBER_COLUMNS))
            yield bulk.as_row(person, bulk.PERSON_COLUMNS)

    bulk.write_rows("people_person", bulk.PERSON_COLUMNS, people())
    bulk.write_rows("people_member", bulk.MEMBER_COLUMNS, members)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for table in ("people_person", "people_member"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT MAX(id) FROM {table}))"
                )
