"""The member life cycle of `hoso synth --full` (people/synthworld.py): what happened to the
synthetic members from 2022 to the day of the load, as the life-cycle actions record it.

Rates follow a real Party of five million (about 3.5 % admitted a year, most of them young;
deaths by age; about 0.15 % leaving a year; 2 % transferred a year, one in eight out of the
tree to an organization hoso does not hold):
- an admission: the decision, the ceremony within 30 working days, official recognition after
  twelve months of probation; those still on probation keep their stored deadlines;
- a death or a leaving (asked, struck off, expelled), with the member's status;
- a transfer (introduction letter numbered in the commune's register): inside the tree, waited
  for and then received (the member moves), or still pending; outside the tree, completed at
  once (status transferred out); a few temporary ones, which move no membership.
Each member is read once: one moved to another province is not processed there again.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

from django.db import connection

from hoso.orgs.models import Organization
from hoso.people import hooks
from hoso.people.models import (
    EventKind,
    LeftForm,
    Member,
    MemberEvent,
    MemberStatus,
    Transfer,
    TransferKind,
    TransferState,
)
from hoso.people.rules import probation_end
from hoso.people.synthworld import START, Batch, MemberRow, Office, Ref, World

ADMITTED_A_YEAR = 0.035  # of all members, taken from those born 1975 or later
LEFT_A_YEAR = 0.0015
TRANSFERRED_A_YEAR = 0.02
TEMPORARY_A_YEAR = 0.004
OUTSIDE = 0.12  # of transfers: to an organization outside the tree
LEFT_FORMS = ([LeftForm.ASKED, LeftForm.STRUCK_OFF, LeftForm.EXPELLED], [30, 55, 15])
OUTSIDE_BODIES = (
    "Đảng bộ Quân sự {p}",
    "Đảng bộ Công an {p}",
    "Đảng bộ Các cơ quan Đảng Trung ương",
    "Đảng bộ Chính phủ",
    "Đảng bộ Ngoài nước",
)
MEMBER_COLUMNS = (
    "status",
    "organization_id",
    "org_path",
    "admitted_on",
    "ceremony_on",
    "official_on",
    "admission_decision",
    "left_form",
    "ceremony_due_on",
    "recognition_due_on",
)
PROVINCE, COMMUNE = 2 * Organization.steplen, 3 * Organization.steplen
READ = """
SELECT m.id, m.person_id, m.organization_id, m.org_path, m.status, p.sex, p.birth_date,
       p.family_name, p.middle_name, p.given_name, p.home_town, p.residence,
       m.admitted_on, m.official_on, m.ceremony_on, m.admission_decision, m.left_form
FROM people_member m JOIN people_person p ON p.id = m.person_id
WHERE m.org_path LIKE %s ORDER BY m.id
"""


def _death_rate(age: int) -> float:
    """A year's probability of death at that age (roughly Vietnam's life table)."""
    if age < 50:
        return 0.0015
    if age < 65:
        return 0.006
    if age < 75:
        return 0.02
    if age < 85:
        return 0.05
    return 0.12


def setup(world: World) -> dict[str, Any]:
    offices = {c.org.path: c for p in world.provinces for c in p.communes}
    return {"communes": offices, "numbers": Counter()}


class _Life:
    """The decisions for one province's members, and the rows they make."""

    def __init__(self, batch: Batch, state: dict[str, Any]) -> None:
        self.batch, self.world = batch, batch.world
        self.rng = self.world.rng(f"life:{batch.province.index}")
        self.communes: dict[str, Office] = state["communes"]
        self.numbers: Counter[tuple[str, int]] = state["numbers"]
        self.changed: list[tuple[Any, ...]] = []
        self._chances: dict[tuple[int, int], tuple[float, float, float]] = {}
        self.admitted: list[MemberRow] = []

    def decision(self, commune: str, day: dt.date) -> str:
        """A decision number of the commune's committee, counted by year."""
        self.numbers[(commune, day.year)] += 1
        return f"{self.numbers[(commune, day.year)]}-QĐ/ĐU"

    def event(self, m: MemberRow, kind: str, day: dt.date, org: int, **values: Any) -> None:
        office = self.communes[m.commune_path]
        recorded = min(self.world.as_of, day + dt.timedelta(days=self.rng.randint(0, 4)))
        self.batch.add(
            MemberEvent,
            {
                "member_id": m.id,
                "kind": kind,
                "date": day,
                "organization_id": org,
                "recorded_by_id": office.clerk,
                "recorded_at": self.world.stamp(recorded, self.rng),
                **values,
            },
            late=isinstance(values.get("decision_number"), Ref),
        )

    def run(self, rows: list[tuple[Any, ...]]) -> None:
        world, rng = self.world, self.rng
        make: Any = MemberRow  # the row's first 14 values are its fields, in order
        members = [make(*row[:14], _full_name(*row[7:10])) for row in rows]
        self.batch.members = members
        fresh = [m for m in members if m.id not in world.moved]
        last_adult = world.as_of.year - 18
        young = [m for m in fresh if 1975 <= m.birth_year <= last_adult]
        admit = min(0.9, ADMITTED_A_YEAR * world.years * len(members) / max(1, len(young)))
        extra = {row[0]: row[14:] for row in rows}
        for m in fresh:
            ceremony, decision, left = extra[m.id]
            before = (m.status, m.org_id, m.org_path, m.admitted_on, ceremony, m.official_on,
                      decision, left, None, None)  # fmt: skip
            # Most members see nothing happen: their row is copied only when something does.
            values: dict[str, Any] = {}
            if 1975 <= m.birth_year <= last_adult and rng.random() < admit:
                values.update(zip(MEMBER_COLUMNS, before, strict=True))
                self._admit(m, values)
            self._end_or_move(m, values, before)
            if values:
                after = tuple(values[c] for c in MEMBER_COLUMNS)
                if after != before:
                    self.changed.append((m.id, *after))
        self.batch.update(Member, MEMBER_COLUMNS, self.changed)
        self.batch.shared["admitted"] = self.admitted

    def _admit(self, m: MemberRow, values: dict[str, Any]) -> None:
        world, rng, days = self.world, self.rng, self.world.days
        assert m.birth_date is not None
        adult = m.birth_date.replace(year=m.birth_year + 18, day=min(m.birth_date.day, 28))
        admitted = world.day_between(rng, max(START, adult), world.as_of - dt.timedelta(days=1))
        decision = self.decision(m.commune_path, admitted)
        values.update(admitted_on=admitted, admission_decision=decision, official_on=None)
        values.update(ceremony_on=None, status=MemberStatus.PROBATIONARY)
        m.admitted_on, m.official_on, m.status = admitted, None, MemberStatus.PROBATIONARY
        self.admitted.append(m)
        self.event(
            m,
            EventKind.ADMISSION,
            admitted,
            m.org_id,
            decision_number=decision,
            decision_date=admitted,
        )
        late = rng.random() < 0.05
        ceremony = days.after(admitted, rng.randint(31, 45) if late else rng.randint(5, 28))
        if ceremony > world.as_of:
            values["ceremony_due_on"] = days.after(admitted, 30)
            return
        values["ceremony_on"] = ceremony
        self.event(m, EventKind.CEREMONY, ceremony, m.org_id)
        ends = probation_end(ceremony)
        late = rng.random() < 0.05
        official = days.after(ends, rng.randint(31, 50) if late else rng.randint(2, 28))
        if official > world.as_of:
            values["recognition_due_on"] = days.after(ends, 30)
            return
        decision = self.decision(m.commune_path, official)
        values.update(official_on=official, status=MemberStatus.OFFICIAL)
        m.official_on, m.status = official, MemberStatus.OFFICIAL
        self.event(
            m,
            EventKind.OFFICIAL,
            official,
            m.org_id,
            decision_number=decision,
            decision_date=official,
        )

    def _odds(self, age: int, days: int) -> tuple[float, float, float]:
        """The chances of dying, of leaving and of a transfer over `days` days."""
        key = (age, days)
        found = self._chances.get(key)
        if found is None:
            years = days / 365.25
            found = self._chances[key] = (
                1 - (1 - _death_rate(age)) ** years,
                1 - (1 - LEFT_A_YEAR) ** years,
                1 - (1 - TRANSFERRED_A_YEAR - TEMPORARY_A_YEAR) ** years,
            )
        return found

    def _end_or_move(self, m: MemberRow, values: dict[str, Any], before: tuple[Any, ...]) -> None:
        """At most one end (death, leaving) and one transfer, in a consistent order."""
        world, rng = self.world, self.rng
        if m.status not in (MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY):
            return
        first = max(START, (m.official_on or m.admitted_on or START) + dt.timedelta(days=1))
        last = world.as_of - dt.timedelta(days=1)
        if first > last:
            return
        die, leave, move = self._odds(world.as_of.year - m.birth_year, (last - first).days)
        r, moving = rng.random(), rng.random() < move
        if r >= die + leave and not moving:
            return
        if not values:
            values.update(zip(MEMBER_COLUMNS, before, strict=True))
        end = world.day_between(rng, first, last) if r < die + leave else None
        if moving:
            until = end or last
            if until > first:
                self._transfer(m, values, world.day_between(rng, first, until))
                if m.gone is not None:
                    return  # transferred out of the tree: no later event here
        if end is None or (m.moved is not None and end <= m.moved):
            return
        org = values["organization_id"]
        m.gone = end
        if r < die:
            values["status"] = MemberStatus.DECEASED
            self.event(m, EventKind.DEATH, end, org)
        else:
            form = rng.choices(*LEFT_FORMS)[0]
            values.update(status=MemberStatus.LEFT, left_form=form)
            self.event(
                m,
                EventKind.LEFT,
                end,
                org,
                decision_number=self.decision(m.commune_path, end),
                decision_date=end,
                detail=form,
            )
        if m.status == MemberStatus.PROBATIONARY:
            values.update(ceremony_due_on=None, recognition_due_on=None)

    def _transfer(self, m: MemberRow, values: dict[str, Any], day: dt.date) -> None:
        world, rng, batch = self.world, self.rng, self.batch
        office = self.communes[m.commune_path]
        temporary = rng.random() < TEMPORARY_A_YEAR / (TRANSFERRED_A_YEAR + TEMPORARY_A_YEAR)
        outside = not temporary and rng.random() < OUTSIDE
        target = None if outside else self._destination(m, rng)
        to_name = (
            rng.choice(OUTSIDE_BODIES).format(p=batch.province.label)
            if target is None
            else target[2]
        )
        letter = world.typed(office, "GGT", day)  # typed, as introduce_transfer takes it
        kind = TransferKind.TEMPORARY if temporary else TransferKind.OFFICIAL
        received = None
        if outside:
            state = TransferState.COMPLETED
        else:
            received = world.days.after(day, rng.randint(2, 25))
            state = TransferState.ACCEPTED if received <= world.as_of else TransferState.PENDING
            if state == TransferState.PENDING:
                received = None
        until = _temporary_until(day, rng) if temporary else None
        batch.add(
            Transfer,
            {
                "member_id": m.id,
                "kind": kind,
                "state": state,
                "from_org_id": values["organization_id"],
                "to_org_id": target[0] if target else None,
                "to_text": to_name if target is None else "",
                "letter_number": letter,
                "introduced_on": day,
                "until": until,
                "present_due_on": world.days.after(day, 30),
                "received_on": received,
                "created_by_id": office.clerk,
            },
            late=True,
        )
        common = {"decision_number": letter, "detail": str(kind.label), "temporary": temporary}
        if outside:
            self.event(
                m,
                EventKind.TRANSFER_OUT,
                day,
                values["organization_id"],
                counterpart=to_name,
                **common,
            )
            values["status"] = MemberStatus.TRANSFERRED_OUT
            values.update(ceremony_due_on=None, recognition_due_on=None)
            m.gone = day
            return
        if received is None:
            return  # awaiting the receiving organization
        assert target is not None
        self.event(
            m,
            EventKind.TRANSFER_OUT,
            day,
            values["organization_id"],
            counterpart=target[2],
            **common,
        )
        self.event(
            m,
            EventKind.TRANSFER_IN,
            received,
            target[0],
            counterpart=self._org_name(values["org_path"]),
            **common,
        )
        if not temporary:
            values.update(organization_id=target[0], org_path=target[1])
            m.moved = received
            if target[1][:PROVINCE] != m.org_path[:PROVINCE]:
                world.moved.add(m.id)

    def _org_name(self, path: str) -> str:
        office = self.communes.get(path[:COMMUNE])
        return _cell_name(path, office.org.name) if office else ""

    def _destination(self, m: MemberRow, rng: random.Random) -> tuple[int, str, str]:
        """(id, path, name) of the receiving Party cell: the same commune, another commune of
        the province, or another province."""
        provinces = self.world.provinces
        r = rng.random()
        if r < 0.45:
            commune = self.communes[m.commune_path]
        elif r < 0.85 or len(provinces) == 1:
            commune = rng.choice(self.batch.province.communes)
        else:
            others = [p for p in provinces if p is not self.batch.province]
            commune = rng.choice(rng.choice(others).communes)
        cells = [c for c in commune.cells if c[0] != m.org_id] or list(commune.cells)
        pk, path = rng.choice(cells)
        return pk, path, _cell_name(path, commune.org.name)


def _full_name(family: str, middle: str, given: str) -> str:
    """As vntext.Name(...).full."""
    return " ".join(p for p in (family, middle, given) if p)


def _cell_name(path: str, commune: str) -> str:
    """As people/synth.py names the cells: "Chi bộ <n>", n its place under its base."""
    return f"Chi bộ {int(path[-Organization.steplen :], 36)}, {commune}"


def _temporary_until(day: dt.date, rng: random.Random) -> dt.date:
    return day + dt.timedelta(days=rng.randint(90, 540))


def province(batch: Batch, state: dict[str, Any]) -> None:
    with connection.cursor() as cur:
        cur.execute(READ, [batch.province.office.org.path + "%"])
        rows = cur.fetchall()
    _Life(batch, state).run(rows)


STAGE = hooks.SynthStage(10, "member life cycle", setup, province)
