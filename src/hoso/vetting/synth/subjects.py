"""Who is vetted in one province, by which office and committee, and when (see the package's
docstring); new persons and their declarations; the links an officer confirmed."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from hoso.lib import vntext
from hoso.people import bulk
from hoso.people.models import IdentityDecision, Person, Relative
from hoso.people.synth import FAMILY_WEIGHTS, GIVEN, MIDDLE, OCCUPATIONS, PROVINCES
from hoso.people.synthworld import START, Batch, MemberRow, Office
from hoso.vetting.synth.frame import (
    ADMISSIONS_VETTED,
    ALREADY_VETTED,
    APPLICANTS,
    CASES_PER_MEMBER,
    CHILD_APPLICANTS,
    COUPLES_LINKED,
    FEMALE_ONLY,
    NOT_DECLARED,
    OUTCOMES,
    SEASONS,
    SPOUSES_VETTED,
    TYPES,
    UNMARRIED,
    CitizenIds,
    Kin,
    Setup,
    Spec,
    Subject,
    Target,
    committee,
    police,
    province_of,
    read_kin,
    split_name,
)
from hoso.vetting.synth.story import Story, Writer, kin_target, takes, who


class Cases:
    """The cases of one province: who is vetted, by whom, and each case's rows."""

    def __init__(self, batch: Batch, setup: Setup) -> None:
        self.batch, self.setup, self.world = batch, setup, batch.world
        self.province = batch.province
        self.rng = self.world.rng(f"cases:{self.province.index}")
        self.communes = {c.org.path: c for c in self.province.communes}
        self.offices = {o.org.id: o for o in (self.province.office, *self.province.communes)}
        self.specs: list[Spec] = []
        self.communes_members: dict[str, list[MemberRow]] = {}
        self.folded: dict[str, str] = {}
        self.persons = 0
        self.ids = CitizenIds(PROVINCES[self.province.index % len(PROVINCES)][1])
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
                "name_folded": self.fold(full_name),
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
            people = self._by_commune().get(commune.org.path, [])
            for _ in range(20 if people else 0):
                parent = self.rng.choice(people)
                if 40 <= day.year - parent.birth_year <= 62 and parent.active_on(day):
                    subject = Subject(0, "", None, "", "", commune.org.path, member=parent)
                    return subject  # filled once the parent's declared children are read
        return self._new_person(commune, day, 18, 30)

    def _by_commune(self) -> dict[str, list[MemberRow]]:
        if not self.communes_members:
            for m in self.batch.members:
                self.communes_members.setdefault(m.commune_path, []).append(m)
        return self.communes_members

    def fold(self, name: str) -> str:
        found = self.folded.get(name)
        if found is None:
            found = self.folded[name] = vntext.fold(name)
        return found

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
            names = split_name(child.full_name)
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
        me = Target(f"p{s.person_id}", s.label, s.person_id, None, s.residence, who(s))
        found, keys = [me], {me.key}
        skips: list[tuple[int, int | None, str]] = []
        rules, year = spec.kind.rules, self.world.as_of.year
        if not rules:
            near = [k for k in s.kin if k.code in ("bo-de", "me-de", "vo", "chong")]
            for k in rng.sample(near, min(len(near), rng.randint(0, 2))):
                found.append(kin_target(s, k))
            return found, skips
        for i, rule in enumerate(rules):
            if rule.is_self:
                continue
            fillers = [k for k in s.kin if takes(rule, k, year)]
            if not fillers:
                spouse = any(c in ("vo", "chong") for c in rule.codes)
                skips.append((i, None, UNMARRIED if spouse else NOT_DECLARED))
                continue
            for k in fillers:
                if k.party_member and rng.random() < 0.5:
                    skips.append((i, k.id, ALREADY_VETTED))
                elif f"r{k.id}" not in keys:
                    keys.add(f"r{k.id}")
                    found.append(kin_target(s, k))
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
        index = {(m.full_name, m.birth_year, m.commune_path): m for m in self.batch.members}
        vetted: list[MemberRow] = []
        for spec in list(self.specs):
            s = spec.subject
            if s.member is None or s.person_id != s.member.person_id:
                continue
            for k in kin.get(s.person_id, []):
                if not (k.party_member and k.code in ("vo", "chong") and k.identity is None):
                    continue
                # The declaration copies the spouse's name as written on their record.
                spouse = index.get((k.full_name, k.birth_year or 0, s.commune))
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
        return Writer(self, spec, story, withdraw).write()
