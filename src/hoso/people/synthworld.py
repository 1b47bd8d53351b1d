"""The casework of `hoso synth --full`: the frame every app's synthetic records are made in.

`build()` adds to a synthetic tree and its members (people/synth.py) what an office records
over the years from 2022 to the day of the load: member life-cycle events, vetting cases with
their requests and replies, requests for help from other bodies, petitions and trips abroad.
People sits below the apps that hold those records, so each app writes its own in a stage it
registers from its `AppConfig.ready()` (`people.hooks.SYNTH_STAGES`); this module gives the
stages what they share:

- the `World`: the offices of the tree (each province and commune, with the synthetic
  accounts that work there: heads, officers, a clerk), the committee terms, the working-day
  calendar, the ids of new rows, one random generator per purpose (everything comes from the
  seed and the day of the load: the same pair gives the same database);
- a `Batch` per province: the stages add the rows of the province's records to it, and the
  documents those records hold (`outgoing`, `incoming`); the batch numbers the documents in
  the order of their dates (documents/synth.py), resolves the references other rows quote
  (`Ref`) and writes everything by COPY (lib/bulkrows.py).

Everything is written as the actions would leave it (states consistent with the dates and
the history, each step dated: the history's `at` timestamps are those of the day the step was
taken, not of the load), but without audit events: this is data to read, never real records.
"""

from __future__ import annotations

import datetime as dt
import queue
import random
import threading
import time
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction

from hoso.documents.synth import Incoming, Numbers, Org, Outgoing
from hoso.lib.bulkrows import Connection, Staged, Table, defer_indexes, move_sequence, next_id
from hoso.lib.workdays import Calendar, Period, Unit, due_date, extend
from hoso.orgs.models import Level, Organization, Term, document_sign
from hoso.people import hooks
from hoso.people.synth import FAMILY_WEIGHTS, GIVEN, MIDDLE, PROVINCES

START = dt.date(2022, 1, 1)  # the casework begins with 2022
# Committee terms of the synthetic tree (its root's: every issuer's nearest ancestor).
TERMS = (
    ("2020-2025", dt.date(2020, 10, 1), dt.date(2025, 9, 30)),
    ("2025-2030", dt.date(2025, 10, 1), None),
)
# Accounts of each office: (role, clearance, how many).
PROVINCE_STAFF = (("head", 2, 2), ("officer", 2, 6), ("clerk", 1, 1))
COMMUNE_STAFF = (("head", 1, 1), ("officer", 1, 3), ("clerk", 1, 1))
TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)
# The office's working hours, minute by minute (7:30 to 16:45).
MINUTES = tuple(dt.timedelta(minutes=m) for m in range(7 * 60 + 30, 16 * 60 + 45))


@dataclass(frozen=True)
class Office:
    """A province's or commune's committee: where records are kept and documents issued."""

    org: Org
    level: str
    heads: tuple[int, ...]  # user ids
    officers: tuple[int, ...]
    clerk: int
    head_names: tuple[str, ...]
    cells: tuple[tuple[int, str], ...] = ()  # (id, path) of the Party cells below a commune


@dataclass
class Province:
    index: int  # 0-based, as in people.synth.PROVINCES
    name: str  # "Nghệ An"
    city: bool
    office: Office
    communes: list[Office]

    @property
    def label(self) -> str:
        return f"{'thành phố' if self.city else 'tỉnh'} {self.name}"


@dataclass(slots=True)
class MemberRow:
    """A member of the province as read before the load, and what the life-cycle stage
    decided for the years of the load (`gone`: died, left or transferred out that day)."""

    id: int
    person_id: int
    org_id: int
    org_path: str
    status: str
    sex: str
    birth_date: dt.date | None
    family: str
    middle: str
    given: str
    home_town: str
    residence: str
    admitted_on: dt.date | None
    official_on: dt.date | None
    full_name: str
    gone: dt.date | None = None
    moved: dt.date | None = None  # transferred to another organization that day

    @property
    def birth_year(self) -> int:
        return self.birth_date.year if self.birth_date else 1970

    @property
    def commune_path(self) -> str:
        return self.org_path[: 3 * Organization.steplen]

    def active_on(self, day: dt.date) -> bool:
        """In the Party on that day (admitted before, not gone yet)."""
        admitted = self.admitted_on or dt.date(1965, 1, 1)
        return admitted <= day and (self.gone is None or day < self.gone)


class Ref:
    """A document's reference quoted by another row, known once the batch is numbered."""

    __slots__ = ("doc", "text")

    def __init__(self, doc: Outgoing, text: str = "{}") -> None:
        self.doc, self.text = doc, text

    def __str__(self) -> str:
        return self.text.format(self.doc.reference)


class Workdays:
    """Deadlines on the stored holiday calendar, read once (the load computes millions): the
    working days of the years of the load in a list, so that the n-th working day after a day
    is one lookup (the same day workcal's deadline() gives: tests/people/test_synthworld.py)."""

    FIRST, LAST = dt.date(2019, 1, 1), dt.date(2029, 12, 31)

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self.working: list[dt.date] = []
        self.before: dict[dt.date, int] = {}  # working days up to and including the day
        day = self.FIRST
        while day <= self.LAST:
            if calendar.is_working_day(day):
                self.working.append(day)
            self.before[day] = len(self.working)
            day += dt.timedelta(days=1)

    def after(self, start: dt.date, days: int, working: bool = True) -> dt.date:
        """The day `days` working (or calendar) days after `start`, as workcal's deadline()."""
        if not working:
            return start + dt.timedelta(days=days)
        if days == 0:
            return start
        index = self.before.get(start)
        if index is None or index + days > len(self.working):
            return due_date(start, Period(days, Unit.WORKING), self.calendar)
        return self.working[index + days - 1]

    def extend(self, due: dt.date, paused: dt.date, resumed: dt.date, working: bool) -> dt.date:
        unit = Unit.WORKING if working else Unit.CALENDAR
        return extend(due, paused, resumed, unit, self.calendar)

    def weekday(self, day: dt.date) -> dt.date:
        """The day itself if it is a working day, else the next working day."""
        while not self.calendar.is_working_day(day):
            day += dt.timedelta(days=1)
        return day


class World:
    """What every stage shares for one load (see the module's docstring)."""

    def __init__(self, seed: int, as_of: dt.date, root: Organization) -> None:
        from hoso.workcal.service import calendar_around

        self.seed, self.as_of = seed, as_of
        self.root = Org(root.pk, root.path, root.code, root.name, root.document_sign)
        self.days = Workdays(calendar_around(dt.date(2019, 1, 1), years=10))
        self.numbers: Numbers  # after the terms exist (setup)
        self._tables: dict[type[models.Model], Table] = {}
        # The indexes the writer dropped, by table: made again at the end (bulkrows).
        self.deferred: dict[str, list[str]] = {}
        self._ids: dict[str, int] = {}
        self.counts: Counter[str] = Counter()
        self.timings: dict[str, float] = defaultdict(float)
        self.moved: set[int] = set()  # members moved to another province: processed once
        self.provinces: list[Province] = []
        self.members = 0
        self._midnights: dict[dt.date, dt.datetime] = {}
        self.sink: Sink = Sink()
        self.staged: dict[tuple[str, tuple[str, ...]], Staged] = {}
        self._typed: Counter[tuple[int, str, int]] = Counter()

    # Randomness, time and ids.

    def rng(self, purpose: str) -> random.Random:
        return random.Random(f"{self.seed}:{self.as_of}:{purpose}")

    @property
    def years(self) -> float:
        return (self.as_of - START).days / 365.25

    def day_between(self, rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
        """A working day from first to last (last if none falls between)."""
        span = (last - first).days
        day = first + dt.timedelta(days=rng.randint(0, max(0, span)))
        day = self.days.weekday(day)
        return min(day, last) if last >= first else first

    def stamp(self, day: dt.date, rng: random.Random) -> dt.datetime:
        """A moment of the office's working hours on that day."""
        midnight = self._midnights.get(day)
        if midnight is None:
            midnight = self._midnights[day] = dt.datetime(day.year, day.month, day.day, tzinfo=TZ)
        return midnight + MINUTES[int(rng.random() * len(MINUTES))]

    def stamps(self, days: list[dt.date], rng: random.Random) -> list[dt.datetime]:
        """Moments on those days (in order): steps taken the same day keep their order."""
        found = [self.stamp(day, rng) for day in days]
        start = 0
        for i in range(1, len(found) + 1):
            if i == len(found) or days[i] != days[start]:
                found[start:i] = sorted(found[start:i])
                start = i
        return found

    def table(self, model: type[models.Model]) -> Table:
        found = self._tables.get(model)
        if found is None:
            found = self._tables[model] = Table(model)
        return found

    def write(self, table: Table, rows: list[list[Any]]) -> None:
        """Rows written once everything before them is (parents first)."""
        self.sink.run(lambda using: self._copy(table, rows, using))

    def _copy(self, table: Table, rows: list[list[Any]], using: Connection) -> None:
        began = time.perf_counter()
        if self.sink.threaded and table.name not in self.deferred:
            # A table the load fills from empty (which the provinces being made do not read,
            # since it held nothing): its indexes are made at the end, before the writer's
            # transaction commits (finish).
            self.deferred[table.name] = (
                defer_indexes(table.name, using) if _empty(table.name, using) else []
            )
        self.counts[table.name] += table.write(rows, using=using)
        self.timings[f"  copy {table.name}"] += time.perf_counter() - began

    def stage(self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        """Changes to rows that existed before the load: applied at its end (finish)."""
        staged = self.staged.get((table, columns))
        if staged is None:
            staged = self.staged[(table, columns)] = Staged(table, columns)
        self.sink.run(lambda using: staged.add(rows, using=using))

    def typed(self, office: Office, kind: str, day: dt.date) -> str:
        """The number of a paper issued outside hoso's register, as typed from the committee's
        own book ("12-QĐ/TU"): counted by office, type and year, never a registry number."""
        key = (office.org.id, kind, day.year)
        self._typed[key] += 1
        mark = "TU" if office.level == Level.PROVINCIAL else "ĐU"
        return f"{self._typed[key]}-{kind}/{mark}"

    def take(self, table: str, count: int = 1) -> int:
        """The first of `count` new ids of `table`."""
        first = self._ids.get(table)
        if first is None:
            first = next_id(table)
        self._ids[table] = first + count
        return first

    # The frame: offices, accounts, terms.

    def setup(self) -> None:
        """Read the tree; write the committee terms and the offices' accounts."""
        from hoso.people.models import Member

        rng = self.rng("offices")
        self.numbers = Numbers()
        self._terms()
        nodes = list(
            Organization.objects.filter(path__startswith=self.root.path, depth__lte=5)
            .order_by("path")
            .values_list("id", "path", "code", "name", "level", "abbreviation")
        )
        cells: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for pk, path, _code, _name, level, _sign in nodes:
            if level == Level.CELL:
                cells[path[: 3 * Organization.steplen]].append((pk, path))
        staff = _Staff(self, rng)
        for pk, path, code, name, level, abbreviation in nodes:
            org = Org(pk, path, code, name, document_sign(level, abbreviation))
            if level == Level.PROVINCIAL:
                index = len(self.provinces)
                pname, _pcode, city = PROVINCES[index % len(PROVINCES)]
                office = staff.office(org, level, PROVINCE_STAFF)
                self.provinces.append(Province(index, pname, city, office, []))
            elif level == Level.UPPER_BASE:
                office = staff.office(org, level, COMMUNE_STAFF, tuple(cells[path]))
                self.provinces[-1].communes.append(office)
        staff.write()
        self.members = Member.objects.filter(org_path__startswith=self.root.path).count()

    def _terms(self) -> None:
        """The committee terms of the root, which every issuer of the tree falls under."""
        have = set(Term.objects.filter(organization_id=self.root.id).values_list("name", flat=True))
        table = self.table(Term)
        rows = []
        for name, starts, ends in TERMS:
            if name in have:
                continue
            pk = self.take(table.name)
            rows.append(
                table.row(
                    {"id": pk, "organization_id": self.root.id, "name": name,
                     "starts_on": starts, "ends_on": ends}
                )
            )  # fmt: skip
            self.numbers.terms.add(self.root.path, starts, ends, pk)
        self.write(table, rows)

    def finish(self) -> None:
        """The changes to existing rows, the registry's counters, the id sequences."""

        def last(using: Connection) -> None:
            for (table, _columns), staged in self.staged.items():
                began = time.perf_counter()
                self.counts[f"{table} (updated)"] += staged.apply(using=using)
                self.timings[f"  update {table}"] += time.perf_counter() - began
            began = time.perf_counter()
            with using.cursor() as cur:
                for statements in self.deferred.values():
                    for statement in statements:
                        cur.execute(statement)
            self.timings["  indexes built"] += time.perf_counter() - began
            self.numbers.finish(using=using)
            for table in self._ids:
                move_sequence(table, using=using)

        self.sink.run(last)


class _Staff:
    """The synthetic accounts of the offices: active, without a usable password (nobody
    signs in as them), each granted its role at its office."""

    def __init__(self, world: World, rng: random.Random) -> None:
        from hoso.access.models import Grant, User

        self.world, self.rng = world, rng
        self.users, self.grants = world.table(User), world.table(Grant)
        self.user_rows: list[list[Any]] = []
        self.grant_rows: list[list[Any]] = []
        self.joined = dt.datetime(2021, 12, 1, 8, 0, tzinfo=TZ)
        families = [name for name, _ in FAMILY_WEIGHTS]
        self.families, self.weights = families, [w for _, w in FAMILY_WEIGHTS]

    def _name(self) -> str:
        sex = "M" if self.rng.random() < 0.55 else "F"
        family = self.rng.choices(self.families, self.weights)[0]
        middle = "Thị" if sex == "F" and self.rng.random() < 0.5 else self.rng.choice(MIDDLE[sex])
        return f"{family} {middle} {self.rng.choice(GIVEN[sex])}"

    def office(
        self,
        org: Org,
        level: str,
        plan: tuple[tuple[str, int, int], ...],
        cells: tuple[tuple[int, str], ...] = (),
    ) -> Office:
        made: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for role, clearance, count in plan:
            for n in range(1, count + 1):
                pk = self.world.take(self.users.name)
                name = self._name()
                self.user_rows.append(
                    self.users.row(
                        {
                            "id": pk,
                            "password": "!synth",  # unusable: nobody signs in as them
                            "username": f"synth{self.world.seed}-{org.code}-{role}{n}".lower(),
                            "full_name": name,
                            "date_joined": self.joined,
                            "clearance": clearance,
                            "organization_id": org.id,
                            "is_active": True,
                        }
                    )
                )
                self.grant_rows.append(
                    self.grants.row(
                        {
                            "id": self.world.take(self.grants.name),
                            "user_id": pk,
                            "organization_id": org.id,
                            "role": role,
                            "created_at": self.joined,
                        }
                    )
                )
                made[role].append((pk, name))
        heads = made["head"]
        return Office(
            org,
            level,
            heads=tuple(pk for pk, _ in heads),
            officers=tuple(pk for pk, _ in made["officer"]),
            clerk=made["clerk"][0][0],
            head_names=tuple(name for _, name in heads),
            cells=cells,
        )

    def write(self) -> None:
        self.world.write(self.users, self.user_rows)
        self.world.write(self.grants, self.grant_rows)


@dataclass
class Batch:
    """The records of one province, written together once its documents are numbered."""

    world: World
    province: Province
    members: list[MemberRow] = field(default_factory=list)  # read by the life-cycle stage
    shared: dict[str, Any] = field(default_factory=dict)  # what a stage leaves the next ones
    rows: dict[str, list[list[Any]]] = field(default_factory=dict)
    late: set[str] = field(default_factory=set)
    outgoing: list[Outgoing] = field(default_factory=list)
    incoming: list[Incoming] = field(default_factory=list)

    def add(self, model: type[models.Model], values: dict[str, Any], *, late: bool = False) -> int:
        """A new row of `model` (an id is taken unless given); `late`: some value is a Ref."""
        table = self.world.table(model)
        if "id" not in values:
            values["id"] = self.world.take(table.name)
        self.rows.setdefault(table.name, []).append(table.row(values))
        if late:
            self.late.add(table.name)
        return int(values["id"])

    def update(
        self, model: type[models.Model], columns: tuple[str, ...], rows: list[tuple[Any, ...]]
    ) -> None:
        """Set `columns` of rows that existed before the load, each given as (id, *values):
        applied at the end of the load, so that every province reads the tree as it was."""
        self.world.stage(self.world.table(model).name, columns, rows)

    def outgoing_doc(self, org: Org, kind: str, issued_on: dt.date, **values: Any) -> Outgoing:
        doc = self.world.numbers.outgoing(org, kind, issued_on, **values)
        self.outgoing.append(doc)
        return doc

    def incoming_doc(
        self, org: Org, received_on: dt.date, *, late: bool = False, **values: Any
    ) -> Incoming:
        """An incoming document (`late`: a value quotes a Ref)."""
        doc = self.world.numbers.incoming(org, received_on, **values)
        doc.late = late
        self.incoming.append(doc)
        return doc

    def flush(self) -> None:
        """Number the documents, resolve the references quoted, and write the rows (COPY),
        parents before children."""
        started = time.perf_counter()
        world, numbers = self.world, self.world.numbers
        numbers.number(self.outgoing, self.incoming)
        docs: list[Outgoing | Incoming] = [*self.outgoing, *self.incoming]
        for doc in docs:
            if doc.late:
                doc.values = {k: _resolved(v) for k, v in doc.values.items()}
        tables = {t.name: t for t in world._tables.values()}
        writes = numbers.rows(self.outgoing, self.incoming)
        for name, rows in self.rows.items():
            if name in self.late:
                rows = [[_resolved(v) for v in row] for row in rows]
            writes.append((tables[name], rows))
        world.timings["writing: rows (Python)"] += time.perf_counter() - started
        for table, rows in _parents_first(writes):
            world.write(table, rows)


def _empty(table: str, using: Connection) -> bool:
    with using.cursor() as cur:
        cur.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})")  # noqa: S608
        return bool(cur.fetchone()[0])


def _parents_first(
    writes: list[tuple[Table, list[list[Any]]]],
) -> list[tuple[Table, list[list[Any]]]]:
    """The tables in an order where a row's foreign keys point at rows written before it
    (PostgreSQL checks them at once on the writing connection); a reference of a table to
    itself (a correction to a conclusion) is checked at the end of its statement."""
    by_name = {table.name: (table, rows) for table, rows in writes}
    order: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen or name not in by_name:
            return
        seen.add(name)
        for parent in by_name[name][0].parents:
            visit(parent)
        order.append(name)

    for name in by_name:
        visit(name)
    return [by_name[name] for name in order]


def _resolved(value: Any) -> Any:
    return str(value) if isinstance(value, Ref) else value


@dataclass
class Casework:
    """What build() wrote: rows by table, and seconds by stage."""

    counts: dict[str, int]
    timings: dict[str, float]
    seconds: float


Job = Callable[[Connection], None]
_END, _ABORT = "end", "abort"


class Sink:
    """Where the rows go. By default the load's own connection, at once (SQLite; or a load
    inside the caller's transaction, as the tests run it). `threaded`: a connection of its
    own in a thread, one transaction committed by finish(), so that PostgreSQL writes a
    province while the next one is made (the two cores at work); its foreign keys are checked
    as the rows arrive rather than all at the commit. Either way each province reads the
    tree as it was before the load (the changes to existing rows are applied at the end), so
    both give the same database."""

    def __init__(self, threaded: bool = False) -> None:
        self.threaded = threaded
        self.waited = 0.0
        self.error: BaseException | None = None
        if threaded:
            self.jobs: queue.Queue[Job | str] = queue.Queue(maxsize=4)
            self.thread = threading.Thread(target=self._work, name="synth-writer", daemon=True)
            self.thread.start()

    def run(self, job: Job) -> None:
        if not self.threaded:
            job(connection)
            return
        if self.error is not None:
            raise RuntimeError("the synthetic load's writer failed") from self.error
        began = time.perf_counter()
        self.jobs.put(job)
        self.waited += time.perf_counter() - began

    def finish(self, *, commit: bool = True) -> None:
        """Commit what was written (or roll it back), once the writer is done."""
        if not self.threaded:
            return
        began = time.perf_counter()
        self.jobs.put(_END if commit else _ABORT)
        self.thread.join()
        self.waited += time.perf_counter() - began
        if self.error is not None and commit:
            raise RuntimeError("the synthetic load's writer failed") from self.error

    def _work(self) -> None:
        own = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            own.set_autocommit(False)
            with own.cursor() as cur:
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cur.execute("SET maintenance_work_mem = '512MB'")  # the indexes built at the end
            while True:
                job = self.jobs.get()
                if job == _END:
                    own.commit()
                    return
                if job == _ABORT:
                    own.rollback()
                    return
                assert not isinstance(job, str)
                job(own)
        except BaseException as exc:  # handed to the loading thread
            self.error = exc
            own.rollback()
            while self.jobs.get() not in (_END, _ABORT):  # let the loading thread finish
                pass
        finally:
            own.close()


def build(root_code: str, seed: int, as_of: dt.date) -> Casework:
    """Add the casework to the synthetic tree `root_code`: in the caller's transaction if it
    has one (or on SQLite), else (PostgreSQL) written by a thread of its own and committed."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # The writer holds the tables it loads (their indexes dropped until it commits): a
        # read of one of them here would wait for it forever; let it fail instead.
        with connection.cursor() as cur:
            cur.execute("SET lock_timeout = '120s'")
        try:
            return _build(root_code, seed, as_of, Sink(threaded=True))
        finally:
            with connection.cursor() as cur:
                cur.execute("SET lock_timeout = 0")
    with transaction.atomic():
        return _build(root_code, seed, as_of, Sink())


def _build(root_code: str, seed: int, as_of: dt.date, sink: Sink) -> Casework:
    started = time.perf_counter()
    root = Organization.objects.get(code=root_code)
    world = World(seed, as_of, root)
    world.sink = sink
    try:
        world.setup()
        stages = [(stage, stage.setup(world)) for stage in hooks.SYNTH_STAGES]
        for province in world.provinces:
            batch = Batch(world, province)
            for stage, state in stages:
                began = time.perf_counter()
                stage.province(batch, state)
                world.timings[stage.name] += time.perf_counter() - began
            batch.flush()
        world.finish()
    except BaseException:
        sink.finish(commit=False)
        raise
    sink.finish()
    world.timings["waiting for the writer"] = sink.waited
    began = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for table in sorted({*world._ids, "people_member", "people_relative"}):
                cur.execute(f"ANALYZE {table}")
    world.timings["statistics (ANALYZE)"] = time.perf_counter() - began
    return Casework(dict(world.counts), dict(world.timings), time.perf_counter() - started)


def loaded(seed: int) -> bool:
    """Has the casework of this seed been built already (its offices' accounts exist)?"""
    from hoso.access.models import User

    return bool(User.objects.filter(username__startswith=f"synth{seed}-").exists())


def chunked(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
