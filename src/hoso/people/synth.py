"""Deterministic synthetic data: an organization tree and members with realistic names.

Names follow the real distribution of family names (domain.md §3). Everything comes from one
random.Random(seed), so the same seed gives the same database. Rows are bulk-inserted: COPY on
PostgreSQL, executemany on SQLite.

`full=True` (`hoso synth --full`) adds the shared "full" dataset, from a second generator
seeded from the same seed (so the members are the same with or without it): each person's
residence, each member's declared relatives (father, mother, most a spouse, 0-3 children), and
the identity overlaps real offices hold:
- about 1.5 % of members are married to another member of their commune, and each declares
  the other as spouse (name, year of birth, residence as written match that member's person);
- about 0.5 % of members have a second person record without an ID number, as typed for a
  vetting case (same name, date of birth, home town as written). It is no member's: the apps
  above people make it visible, as the subject of a case (benchmarks/persons.py opens one for
  each; people's tables are all this module writes).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import multiprocessing
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from hoso.lib import bulkrows, vntext
from hoso.orgs.models import Level, Organization, name_columns
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
BLOCK = 50_000  # members generated together, by one generator of their own (_blocks)
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
    full: FullCounts | None = None  # what --full added
    seconds: dict[str, float] = field(default_factory=dict)  # each step of the load's


@dataclass(frozen=True)
class FullCounts:
    relatives: int
    couples: int  # couples of members, each declaring the other
    twins: int  # second person records without ID


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
    """The names and their cumulative weights (rng.choices(names, cum_weights=...) draws as
    with the weights, without summing them again on every draw)."""
    return [name for name, _ in pairs], list(itertools.accumulate(w for _, w in pairs))


def person_rows(
    plan: Plan, rng: random.Random, cells: list[tuple[int, int, str]], first_id: int, block: int = 0
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Yield (person, member) column values of the members of one block (all of them in one
    block, by default). `cells`: (organization id, province code, path)."""
    start = block * BLOCK
    stop = min(plan.members, start + BLOCK)
    draws = _Draws(rng, stop - start)
    counters: dict[Any, int] = {}
    for n, i in enumerate(range(start, stop)):
        sex, family, middle, given, theory, profession, language, before, occupation = draws.row(n)
        name_folded, key = _name_keys(family, middle, given)
        org_id, prov_code, org_path = cells[i % len(cells)]
        birth, citizen_id = draws.birth_and_id(n, sex, prov_code, counters, block)
        admitted, ceremony, official = draws.admission(n, birth.year)
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
            "home_town": f"xã {draws.places[2 * n]} {draws.places[2 * n + 1]}, {province}",
            "ethnicity": draws.ethnicity[n],
            "religion": draws.religion[n],
            "nationality": "Việt Nam",
            "education": "12/12",
            "political_theory": theory,
            "profession": profession,
            "foreign_language": language,
            "occupation_before": before,
            "occupation": occupation,
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


@functools.lru_cache(maxsize=1 << 18)  # the common names, kept from block to block
def _name_keys(family: str, middle: str, given: str) -> tuple[str, bytes]:
    return vntext.fold(f"{family} {middle} {given}"), vntext.sort_key(family, middle, given)


class _Draws:
    """Every random value of `count` members, drawn a column at a time: rng.choices(k=...)
    draws a whole column in one call instead of a call per value (a block of 50,000 members
    was made in 1.47 s instead of 1.92 s; the generator is most of a 5M load)."""

    def __init__(self, rng: random.Random, count: int) -> None:
        def column(values: Any, weights: list[float] | None = None) -> list[Any]:
            return rng.choices(values, cum_weights=weights, k=count)

        self.sex = ["M" if x < 0.62 else "F" for x in (rng.random() for _ in range(count))]
        self.family = column(*_weighted(FAMILY_WEIGHTS))
        self.middle = {sex: column(words) for sex, words in MIDDLE.items()}
        self.second = {sex: column(words) for sex, words in MIDDLE.items()}
        self.two = [x < 0.12 for x in (rng.random() for _ in range(count))]
        self.given = {sex: column(words) for sex, words in GIVEN.items()}
        self.year, self.month, self.day = column(YEARS), column(MONTHS), column(DAYS)
        self.admitted_month, self.admitted_day = column(MONTHS), column(DAYS)
        self.ceremony_after, self.official_after = column(CEREMONY_DAYS), column(OFFICIAL_DAYS)
        self.places = rng.choices(PLACE_WORDS, k=2 * count)
        self.ethnicity = column(*_weighted(ETHNICITIES))
        self.religion = column(*_weighted(RELIGIONS))
        self.rest = list(
            zip(
                column(THEORY),
                column(PROFESSIONS),
                column(LANGUAGES),
                column(["Học sinh", "Sinh viên", "Công nhân", "Nông dân"]),
                column(OCCUPATIONS),
                strict=True,
            )
        )

    def row(self, n: int) -> tuple[str, ...]:
        sex = self.sex[n]
        middle = self.middle[sex][n]
        if self.two[n]:
            middle = f"{middle} {self.second[sex][n]}"
        return (sex, self.family[n], middle, self.given[sex][n], *self.rest[n])

    def birth_and_id(
        self, n: int, sex: str, prov_code: int, counters: dict[Any, int], block: int
    ) -> tuple[dt.date, str]:
        """A date of birth and a citizen ID unique across blocks: the serial's thousands are
        the block's number, its units the count within the block."""
        year = self.year[n]
        birth = dt.date(year, self.month[n], self.day[n])
        sex_century = (0 if year < 2000 else 2) + (0 if sex == "M" else 1)
        key = (prov_code, sex_century, year % 100)
        counters[key] = serial = counters.get(key, 0) + 1
        if serial >= 1000:
            raise ValueError("too many members of one birth year in one block")
        return birth, f"{prov_code:03d}{sex_century}{year % 100:02d}{block * 1000 + serial:06d}"

    def admission(self, n: int, born: int) -> tuple[dt.date, dt.date, dt.date]:
        admitted = dt.date(max(born + 18, 1965), self.admitted_month[n], self.admitted_day[n])
        ceremony = admitted + dt.timedelta(days=self.ceremony_after[n])
        official = ceremony + dt.timedelta(days=365 + self.official_after[n])
        return admitted, ceremony, official


YEARS, MONTHS, DAYS = range(1945, 2005), range(1, 13), range(1, 29)
CEREMONY_DAYS, OFFICIAL_DAYS = range(5, 41), range(0, 41)


# fmt: off
THEORY = ["Sơ cấp", "Trung cấp", "Cao cấp", ""]
PROFESSIONS = ["Cử nhân Luật", "Kỹ sư Xây dựng", "Cử nhân Kinh tế", "Bác sĩ", "Giáo viên", ""]
LANGUAGES = ["Tiếng Anh B1", "Tiếng Anh B2", "Tiếng Pháp A2", ""]
OCCUPATIONS = ["Công chức", "Viên chức", "Công nhân", "Nông dân", "Hưu trí", "Quân nhân"]

# fmt: on


def load(members: int, seed: int, *, full: bool = False) -> Plan:
    """Create the tree and `members` members (with `full`, their residence, relatives and
    identity overlaps). Refuses to load the same seed twice."""
    plan = make_plan(members, seed)
    rng = random.Random(seed)
    if Organization.objects.filter(code=plan.root_code).exists():
        raise ValueError(f"synthetic data for seed {seed} is already loaded ({plan.root_code})")
    with transaction.atomic():
        began = time.perf_counter()
        root_index = Organization.objects.filter(depth=1).count() + 1
        tree = build_tree(plan, rng, root_index)
        cells = _insert_tree(tree)
        plan.seconds["tree"] = time.perf_counter() - began
        if not full:
            _insert_people(plan, cells)
            return plan
        families = Families(plan, tree)
        first_id = _insert_people(plan, cells, families.residence)
        families.insert(first_id + plan.members)
        _move_sequences()
    plan.full = FullCounts(families.relatives, families.couples, families.twins)
    return plan


def _insert_tree(tree: OrgRow) -> list[tuple[int, int, str]]:
    """Write the tree (COPY, past save(): its search columns computed here) and return the
    cells as (organization id, province code, path)."""
    table = bulkrows.Table(Organization)
    first = bulkrows.next_id(table.name)
    rows: list[list[Any]] = []
    ids: dict[str, int] = {}
    for node, depth in walk(tree):
        ids[node.path] = first + len(rows)
        search_name, sort_key = name_columns(node.name)
        values = {
            "id": ids[node.path],
            "path": node.path,
            "depth": depth,
            "numchild": len(node.children),
            "name": node.name,
            "code": node.code,
            "level": node.level,
            "search_name": search_name,
            "sort_key": sort_key,
        }
        rows.append(table.row(values))
    table.write(rows)
    bulkrows.move_sequence(table.name)
    province_codes = {
        tree.path + path_step(i + 1): code for i, (_, code, _) in enumerate(PROVINCES)
    }
    return [
        (ids[node.path], province_codes[node.path[: 2 * _STEP]], node.path)
        for node, _ in walk(tree)
        if node.level == Level.CELL
    ]


def _insert_people(
    plan: Plan,
    cells: list[tuple[int, int, str]],
    residence: Callable[[str, random.Random], str] | None = None,
) -> int:
    """Write the persons and members (with `residence(org_path, rng)`, each person's
    residence); return the first id."""
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
    # Tables loaded from empty get their secondary indexes at the end, one sort each, instead
    # of every row inserted into them (at 5M the scoped search index alone doubled the load).
    rebuild = _deferred_indexes(("people_person", "people_member"))
    text = connection.vendor == "postgresql"
    blocks = _blocks(_Load(plan, cells, first_id, residence, text))
    began = time.perf_counter()
    if text:
        _copy_people(blocks)
    else:
        members: list[Any] = []
        for persons, block_members in blocks:
            bulk.write_rows("people_person", bulk.PERSON_COLUMNS, persons)
            members.extend(block_members)
        bulk.write_rows("people_member", bulk.MEMBER_COLUMNS, members)
    plan.seconds["people"] = time.perf_counter() - began
    began = time.perf_counter()
    _build(rebuild)
    plan.seconds["indexes"] = time.perf_counter() - began
    _move_sequences()
    return first_id


def _copy_people(blocks: Iterator[tuple[Any, Any]]) -> None:
    """PostgreSQL: the blocks' COPY text passed on as it comes, the persons before the
    members who refer to them."""
    members: list[bytes] = []
    with connection.cursor() as cur:
        with cur.copy(f"COPY people_person ({', '.join(bulk.PERSON_COLUMNS)}) FROM STDIN") as copy:
            for persons, block_members in blocks:
                copy.write(persons)
                members.append(block_members)
        with cur.copy(f"COPY people_member ({', '.join(bulk.MEMBER_COLUMNS)}) FROM STDIN") as copy:
            for block_members in members:
                copy.write(block_members)


@dataclass(frozen=True)
class _Load:
    plan: Plan
    cells: list[tuple[int, int, str]]  # (organization id, province code, path)
    first_id: int
    residence: Callable[[str, random.Random], str] | None  # Families.residence, with --full
    text: bool  # the blocks as COPY text (PostgreSQL), else as rows


def _blocks(load: _Load) -> Iterator[tuple[Any, Any]]:
    """The (persons, members) of every block, in order. Blocks are made by two processes
    while this one writes (the generator is most of a large load's time; PostgreSQL's COPY
    needs little of the CPU), as COPY text, which costs them less to make and this process
    nothing to pass on. Each block has its own generators, so the data do not depend on which
    process made it."""
    global _LOAD  # what the forked workers inherit
    count = math.ceil(load.plan.members / BLOCK)
    _LOAD = load
    try:
        if count == 1:
            yield _block(0)
            return
        # fork: the workers inherit the loaded modules and _LOAD (not sent with each block),
        # and touch no database connection.
        with multiprocessing.get_context("fork").Pool(2) as pool:
            yield from pool.imap(_block, range(count))
    finally:
        _LOAD = None


_LOAD: _Load | None = None


def _block(block: int) -> tuple[Any, Any]:
    load = _LOAD
    assert load is not None
    plan = load.plan
    rng = random.Random(f"{plan.seed}:people:{block}")
    places = random.Random(f"{plan.seed}:residence:{block}")
    persons, members = [], []
    for person, member in person_rows(plan, rng, load.cells, load.first_id, block):
        if load.residence is not None:
            person["residence"] = load.residence(member["org_path"], places)
        persons.append(bulk.as_row(person, bulk.PERSON_COLUMNS))
        members.append(bulk.as_row(member, bulk.MEMBER_COLUMNS))
    if load.text:
        return bulkrows.copy_text(persons), bulkrows.copy_text(members)
    return persons, members


def _deferred_indexes(tables: tuple[str, ...]) -> list[str]:
    """PostgreSQL, each table still empty: its secondary indexes and foreign keys dropped in
    this transaction; returns the statements that make them again."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cur:
        empty = " AND ".join(f"NOT EXISTS (SELECT 1 FROM {t})" for t in tables)  # noqa: S608
        cur.execute(f"SELECT {empty}")
        if not cur.fetchone()[0]:
            return []
    return [
        ddl
        for table in tables
        for ddl in (
            *bulkrows.defer_indexes(table, connection),
            *bulkrows.defer_foreign_keys(table, connection),
        )
    ]


def _build(statements: list[str]) -> None:
    if not statements:
        return
    with connection.cursor() as cur:
        # One sort per index, in memory: the server's default (64 MB) spills 5M keys to disk.
        cur.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for statement in statements:
            cur.execute(statement)


def _move_sequences() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for table in ("people_person", "people_member"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT MAX(id) FROM {table}))"
                )


# --- The full dataset: residences, declared relatives, identity overlaps --------------------

# The relationships declared, as people/migrations/0008 seeds them: code -> (name, order).
RELATIONSHIPS = {
    "bo-de": ("Bố đẻ", 10),
    "me-de": ("Mẹ đẻ", 20),
    "vo": ("Vợ", 60),
    "chong": ("Chồng", 70),
    "con-de": ("Con đẻ", 80),
}
RELATIVE_COLUMNS = (
    "person_id", "relationship_id", "side", "full_name", "birth_year", "residence",
    "occupation", "party_member", "abroad_country", "abroad_since", "political_history",
    "political_history_source", "current_status", "current_status_source", "identity_id",
    "name_folded", "recorded_by_id", "recorded_at",
)  # fmt: skip
# Couples among a commune's members, per member: each spouse declares the other (1.5 %).
MEMBER_COUPLES = 0.0075
# Members with a second, ID-less person record.
TWINS = 0.005
# When the declarations were typed in (fixed: the same seed gives the same rows).
RECORDED_AT = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
PARENT_WORK = ["Nông dân", "Hưu trí", "Công nhân", "Buôn bán", "Nội trợ", "Đã mất"]
SPOUSE_WORK = [*OCCUPATIONS, "Buôn bán", "Nội trợ", "Giáo viên", "Kinh doanh tự do"]
CHILD_WORK = ["Học sinh", "Sinh viên", "Công nhân", "Viên chức", "Lao động tự do"]


@dataclass(frozen=True)
class Commune:
    path: str
    unit: str  # "xã" or "phường"
    place: str
    province: str
    city: bool


@dataclass(frozen=True)
class Kin:
    """A member as read back from the database: what their relatives are made from."""

    pid: int
    sex: str
    family: str
    middle: str
    given: str
    birth_date: dt.date
    home_town: str
    residence: str

    @property
    def year(self) -> int:
        return self.birth_date.year

    @property
    def full_name(self) -> str:
        return vntext.Name(self.family, self.middle, self.given).full


def _communes(plan: Plan, tree: OrgRow) -> list[Commune]:
    found = []
    for p, prov in enumerate(tree.children):
        province, _code, city = PROVINCES[p]
        for upper in prov.children:
            kind, place = upper.name.removeprefix("Đảng ủy ").split(" ", 1)
            found.append(Commune(upper.path, kind, place, province, city))
    return found


class Families:
    """The full dataset's generator. One commune at a time: its members are read back, their
    relatives written (one COPY per commune), the twin records kept for the end."""

    def __init__(self, plan: Plan, tree: OrgRow) -> None:
        self.plan = plan
        self.rng = random.Random(f"{plan.seed}:full")
        self.communes = {c.path: c for c in _communes(plan, tree)}
        self.families, self.family_cum = _weighted(FAMILY_WEIGHTS)
        self.folded: dict[str, str] = {}
        self.relatives = 0
        self.twins = 0
        self.couples = 0

    # Places as written: the same place is written several ways, as in real papers.

    def _address(self, c: Commune, rng: random.Random | None = None) -> str:
        rng = rng or self.rng
        province = f"{'thành phố' if c.city else 'tỉnh'} {c.province}"
        k = rng.random()
        if k < 0.4:
            return f"{c.unit} {c.place}, {province}"
        if k < 0.7:
            hamlet = "thôn" if c.unit == "xã" else "tổ"
            return f"{hamlet} {rng.randint(1, 12)}, {c.unit} {c.place}, {province}"
        if k < 0.85:
            return f"{c.unit.capitalize()} {c.place}, {c.province}"
        return f"{c.place}, {c.province}"

    def _elsewhere(self, c: Commune, rng: random.Random | None = None) -> str:
        """An address in another commune of the same province."""
        rng = rng or self.rng
        other = Commune(c.path, rng.choice(["xã", "phường"]), _place(rng), c.province, c.city)
        return self._address(other, rng)

    def residence(self, org_path: str, rng: random.Random) -> str:
        """A member's residence: mostly in the commune of their Party organization (`rng`:
        the member's block's own, _block)."""
        commune = self.communes[org_path[: 3 * _STEP]]
        return self._address(commune, rng) if rng.random() < 0.85 else self._elsewhere(commune, rng)

    def _rewritten(self, text: str) -> str:
        """The same place written again by someone else: the hamlet or the unit word left out,
        or capitalised ("thôn 3, xã Hòa Bình, tỉnh X" ~ "Xã Hòa Bình, tỉnh X")."""
        k = self.rng.random()
        parts = text.split(", ")
        if k < 0.3 and len(parts) > 2 and parts[0].split(" ")[0] in ("thôn", "tổ"):
            return ", ".join(parts[1:])
        if k < 0.6:
            return text[:1].upper() + text[1:]
        return text

    # Names.

    def _fold(self, part: str) -> str:
        # Folding the clean words one by one gives what fold() gives for the whole name.
        folded = self.folded.get(part)
        if folded is None:
            folded = self.folded[part] = vntext.fold(part)
        return folded

    def _name(self, sex: str, family: str = "") -> tuple[str, str, str]:
        rng = self.rng
        if not family:
            family = rng.choices(self.families, cum_weights=self.family_cum)[0]
        middle = "Thị" if sex == "F" and rng.random() < 0.6 else rng.choice(MIDDLE[sex])
        return family, middle, rng.choice(GIVEN[sex])

    # Rows.

    def insert(self, next_id: int) -> None:
        """Write the relatives and the twin records of every commune; `next_id`: the first id
        of the twin records."""
        from hoso.people.models import Member

        self.recorder = _recorder(self.plan)
        self.kinds = _relationships()
        twins: list[tuple[Any, ...]] = []
        for path in sorted(self.communes):
            rows = (
                Member.objects.filter(org_path__startswith=path)
                .order_by("id")
                .values_list(
                    "person_id", "person__sex", "person__family_name", "person__middle_name",
                    "person__given_name", "person__birth_date", "person__home_town",
                    "person__residence",
                )
            )  # fmt: skip
            people = [Kin(i, s, f, m, g, b, h, r) for i, s, f, m, g, b, h, r in rows if b]
            commune = self.communes[path]
            relatives = list(self._commune(commune, people, twins, next_id + len(twins)))
            bulk.write_rows("people_relative", RELATIVE_COLUMNS, relatives)
            self.relatives += len(relatives)
        bulk.write_rows("people_person", bulk.PERSON_COLUMNS, twins)
        self.twins = len(twins)

    def _relative(
        self,
        kin: Kin,
        code: str,
        name: tuple[str, str, str],
        year: int,
        residence: str,
        occupation: str,
        party_member: bool = False,
    ) -> tuple[Any, ...]:
        full = " ".join(n for n in name if n)
        folded = " ".join(self._fold(n) for n in full.split(" "))
        return (
            kin.pid, self.kinds[code], "own", full, year, residence, occupation, party_member,
            "", None, "", "", "", "", None, folded, self.recorder, RECORDED_AT,
        )  # fmt: skip

    def _couples(self, people: list[Kin]) -> dict[int, Kin]:
        """Members of one commune married to each other: pid -> spouse."""
        rng = self.rng
        wanted = int(len(people) * MEMBER_COUPLES + rng.random())
        men = [p for p in people if p.sex == "M"]
        women = [p for p in people if p.sex == "F"]
        rng.shuffle(men)
        spouse: dict[int, Kin] = {}
        for man in men:
            if len(spouse) >= 2 * wanted or not women:
                break
            for woman in rng.sample(women, min(20, len(women))):
                if woman.pid not in spouse and -3 <= woman.year - man.year <= 10:
                    spouse[man.pid], spouse[woman.pid] = woman, man
                    break
        self.couples += len(spouse) // 2
        return spouse

    def _commune(
        self, commune: Commune, people: list[Kin], twins: list[tuple[Any, ...]], next_id: int
    ) -> Iterator[tuple[Any, ...]]:
        rng = self.rng
        members_married = self._couples(people)
        children_of: dict[tuple[int, int], list[tuple[Any, ...]]] = {}
        for kin in people:
            yield from self._parents(kin, commune)
            partner = members_married.get(kin.pid)
            if partner is not None:
                husband, wife = (kin, partner) if kin.sex == "M" else (partner, kin)
                yield self._relative(
                    kin,
                    "vo" if kin.sex == "M" else "chong",
                    (partner.family, partner.middle, partner.given),
                    partner.year,
                    self._rewritten(partner.residence),
                    rng.choice(OCCUPATIONS),
                    party_member=True,
                )
                # One family: both spouses declare the same children.
                key = (husband.pid, wife.pid)
                if key not in children_of:
                    children_of[key] = self._children(husband.family, wife.year, kin, commune)
                yield from ((kin.pid, *child[1:]) for child in children_of[key])
            elif rng.random() < _married(kin.year):
                sex = "F" if kin.sex == "M" else "M"
                name = self._name(sex)
                year = kin.year + (rng.randint(-10, 3) if sex == "F" else rng.randint(-3, 10))
                yield self._relative(
                    kin,
                    "vo" if sex == "F" else "chong",
                    name,
                    year,
                    self._rewritten(kin.residence),
                    rng.choice(SPOUSE_WORK),
                )
                husband_family = kin.family if kin.sex == "M" else name[0]
                wife_year = kin.year if kin.sex == "F" else year
                yield from self._children(husband_family, wife_year, kin, commune)
        for i, kin in enumerate(rng.sample(people, int(len(people) * TWINS + rng.random()))):
            twins.append(self._twin(kin, next_id + i))

    def _parents(self, kin: Kin, commune: Commune) -> Iterator[tuple[Any, ...]]:
        rng = self.rng
        for code, sex, gap in (("bo-de", "M", (22, 40)), ("me-de", "F", (19, 36))):
            name = self._name(sex, kin.family if sex == "M" else "")
            k = rng.random()
            place = (
                kin.home_town
                if k < 0.5
                else self._rewritten(kin.residence)
                if k < 0.8
                else self._elsewhere(commune)
            )
            yield self._relative(
                kin, code, name, kin.year - rng.randint(*gap), place, rng.choice(PARENT_WORK)
            )

    def _children(
        self, family: str, mother_year: int, kin: Kin, commune: Commune
    ) -> list[tuple[Any, ...]]:
        rng = self.rng
        count = rng.choices([0, 1, 2, 3], [15, 35, 40, 10])[0]
        year = mother_year + rng.randint(20, 34)
        found = []
        for _ in range(count):
            if year > 2024:
                break
            sex = "M" if rng.random() < 0.51 else "F"
            place = (
                self._rewritten(kin.residence) if rng.random() < 0.7 else self._elsewhere(commune)
            )
            found.append(
                self._relative(
                    kin, "con-de", self._name(sex, family), year, place, rng.choice(CHILD_WORK)
                )
            )
            year += rng.randint(2, 6)
        return found

    def _twin(self, kin: Kin, pid: int) -> tuple[Any, ...]:
        """The member typed again as the subject of a case: no ID, no member record."""
        values = bulk.person_values(
            {
                "id": pid,
                "family_name": kin.family,
                "middle_name": kin.middle,
                "given_name": kin.given,
                "sex": kin.sex,
                "birth_date": kin.birth_date,
                "home_town": self._rewritten(kin.home_town),
                "residence": self._rewritten(kin.residence) if self.rng.random() < 0.5 else "",
            }
        )
        return bulk.as_row(values, bulk.PERSON_COLUMNS)


def _married(year: int) -> float:
    age = 2026 - year
    return 0.9 if age >= 30 else 0.55 if age >= 25 else 0.15


def _recorder(plan: Plan) -> int:
    """The account the synthetic declarations are recorded by: inactive, no password."""
    from hoso.access.models import User

    user = User.objects.filter(username=f"synth{plan.seed}").first()
    if user is None:
        user = User(username=f"synth{plan.seed}", full_name="Dữ liệu mẫu", is_active=False)
        user.set_unusable_password()
        user.save()
    return int(user.pk)


def _relationships() -> dict[str, int]:
    from hoso.people.models import Relationship

    found = {}
    for code, (name, order) in RELATIONSHIPS.items():
        kind, _ = Relationship.objects.get_or_create(
            code=code, defaults={"name": name, "order": order}
        )
        found[code] = kind.pk
    return found
