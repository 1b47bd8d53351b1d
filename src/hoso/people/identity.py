"""One human being, one record: who may see a person, and the candidate duplicates hoso
proposes (never links: an officer decides, people/actions/identity.py).

A candidate pair shares the blocking key (folded name, year of birth), never found by comparing
every pair: for one person, read from the indexes `person_identity` and `relative_identity`;
for a whole scope, grouped from the scope's own rows (read by id). It then has dates
of birth that do not contradict each other and a second fact in common: the home town, an ID
number, or for a declared relative (who has no home town on record) the place of residence.
A pair with different citizen or old ID numbers is never proposed: those are different people.
Free text (the matters log, petition summaries) is never matched to anyone.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Exists, F, Lookup, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from hoso.access.policy import Action
from hoso.lib import vntext
from hoso.people import hooks
from hoso.people.models import (
    DatePrecision,
    DecisionKind,
    IdentityDecision,
    Member,
    Person,
    Relative,
)

# Words of an administrative address that say nothing about which place it is.
_PLACE_WORDS = frozenset(
    "xa phuong thi tran tt huyen quan thi xa tx thanh pho tp tinh ap thon xom to "
    "khu pho kp so nha duong ngo ngach hem viet nam".split()
)
# The sex a relationship implies, proposed when a relative becomes a person of their own.
SEX_OF_RELATIONSHIP = {
    **dict.fromkeys(("bo-de", "bo-nuoi", "chong", "anh-ruot", "ong-noi", "ong-ngoai"), "M"),
    **dict.fromkeys(("me-de", "me-nuoi", "vo", "chi-ruot", "ba-noi", "ba-ngoai"), "F"),
}
# What the comparison reads of a person in a whole scope's list.
_FIELDS = (
    "pk", "family_name", "middle_name", "given_name", "name_folded", "birth_year",
    "birth_date", "birth_date_precision", "home_town", "home_town_unit", "residence",
    "birth_place", "citizen_id", "old_id",
)  # fmt: skip
# Candidates shown for one record at most: a common name in a national scope can have many.
LIMIT = 50


@functools.lru_cache(maxsize=65536)  # a scope's list compares the same addresses many times
def place_words(text: str) -> frozenset[str]:
    words = re.split(r"[^a-z0-9]+", vntext.fold(text or ""))
    return frozenset(w for w in words if w and w not in _PLACE_WORDS)


def same_place(a: str, b: str) -> bool:
    """Two places as written name the same one: the words of the shorter (at least two, or
    all of it) are among the other's ("Xã Tân Lập, huyện Đan Phượng" ~ "Tân Lập, Đan Phượng,
    Hà Nội")."""
    wa, wb = place_words(a), place_words(b)
    small, big = sorted((wa, wb), key=len)
    return bool(small) and (len(small) >= 2 or small == big) and small <= big


def visible_persons(user: Any, action: str | None = None, under: str = "") -> QuerySet[Person]:
    """The persons `user` may see (under the organization path `under`, if given): members in
    scope, persons known only through a declaration in scope, and those the apps above show
    (`hooks.PERSON_SOURCES`: case subjects, cadres ...), each through its own scope. `action`
    asks for the persons the user may act on in that way (e.g. person.link). One UNION of
    scoped id lists, so that the cost follows the scope, not the table: the shape for reading
    a whole scope (see `seen_by` for a lookup that first narrows the persons by an index)."""
    return Person.objects.filter(pk__in=_visible_ids(user, action, under))


def _declared_only(user: Any, action: str | None) -> QuerySet[Relative]:
    """Declarations in scope linked to a person who is no member: that person is seen with
    the declaration (a member's record is not, outside the member's scope)."""
    return Relative.objects.visible_to(user, action or Action.MEMBER_VIEW).filter(
        identity__isnull=False, identity__member__isnull=True
    )


def _visible_ids(user: Any, action: str | None, under: str) -> QuerySet[Any]:
    members = Member.objects.visible_to(user, action or Action.MEMBER_VIEW)
    if under:
        members = members.filter(org_path__startswith=under)
    ids = members.order_by().values("person_id")
    relatives = _declared_only(user, action)
    if under:
        relatives = relatives.filter(person__member__org_path__startswith=under)
    ids = ids.union(relatives.order_by().values("identity_id"))
    for source in hooks.PERSON_SOURCES:
        ids = ids.union(source(user, action, under).order_by())
    return ids


def seen_by(user: Any, action: str | None = None) -> Q:
    """The same scope as `visible_persons`, as a condition on each person row: one EXISTS per
    source, correlated on the person. For a lookup that first finds a few persons by an index
    (the blocking key): each row found is checked through the sources' own indexes, so the
    cost follows the rows found, where `pk IN (UNION ...)` would first list the whole scope."""
    members = Member.objects.visible_to(user, action or Action.MEMBER_VIEW)
    where = Q(Exists(members.filter(person=OuterRef("pk"))))
    where |= Q(Exists(_declared_only(user, action).filter(identity=OuterRef("pk"))))
    for source in hooks.PERSON_SOURCES:
        ids = source(user, action, "")
        (column,) = ids.query.values_select  # a values queryset of person ids
        where |= Q(Exists(ids.filter(**{column: OuterRef("pk")})))
    return where


class _Facts(NamedTuple):
    """What the comparison reads of a person, as plain values: a scope's list compares tens
    of thousands of persons sharing a key by chance, and builds only the pairs' records."""

    pk: int
    birth_year: int | None
    birth_date: dt.date | None
    birth_date_precision: str
    citizen_id: str | None
    old_id: str
    home_town: str
    home_town_unit_id: int | None
    residence: str
    birth_place: str


_Person = Person | _Facts


def _dates_agree(a: _Person, b: _Person | Relative) -> bool:
    if isinstance(b, Relative):
        return a.birth_year == b.birth_year
    if a.birth_date is None or b.birth_date is None:
        return a.birth_year == b.birth_year
    if DatePrecision.YEAR in (a.birth_date_precision, b.birth_date_precision):
        return a.birth_date.year == b.birth_date.year
    if DatePrecision.MONTH in (a.birth_date_precision, b.birth_date_precision):
        return (a.birth_date.year, a.birth_date.month) == (b.birth_date.year, b.birth_date.month)
    return a.birth_date == b.birth_date


def _ids_differ(a: _Person, b: _Person) -> bool:
    return bool(
        (a.citizen_id and b.citizen_id and a.citizen_id != b.citizen_id)
        or (a.old_id and b.old_id and a.old_id != b.old_id)
    )


def evidence(a: _Person, b: _Person | Relative) -> list[str]:
    """What a pair with the same blocking key has in common besides it; empty: not a
    candidate."""
    if not _dates_agree(a, b):
        return []
    if isinstance(b, Relative):
        return _lives_there((a.residence, a.home_town, a.birth_place), b.residence)
    if _ids_differ(a, b):
        return []
    found = []
    if a.old_id and a.old_id == b.old_id:
        found.append(_("old ID card number"))
    units = a.home_town_unit_id, b.home_town_unit_id
    if (all(units) and units[0] == units[1]) or (
        not all(units) and a.home_town and b.home_town and same_place(a.home_town, b.home_town)
    ):
        found.append(_("home town"))
    return [_("name and date of birth"), *found] if found else []


def _lives_there(places: tuple[str, ...], residence: str) -> list[str]:
    """A declared relative (of the same name and year) lives at one of a person's `places`
    (residence, home town, place of birth)."""
    if residence and any(same_place(p, residence) for p in places if p):
        return [_("name, year of birth and place of residence")]
    return []


@dataclass
class Pair:
    """A proposal: `person` and `other` (a person, or a declared relative) may be one human."""

    person: Person
    other: Person | Relative
    evidence: list[str] = field(default_factory=list)

    @property
    def is_relative(self) -> bool:
        return isinstance(self.other, Relative)

    @property
    def kind(self) -> str:
        return "r" if self.is_relative else "p"


def _refused(ids: set[int]) -> set[tuple[int, str, int]]:
    """Pairs among `ids` an officer already said are two people: (person, "p"|"r", other)."""
    if not ids:
        return set()
    rows = IdentityDecision.objects.filter(kind=DecisionKind.DISTINCT).filter(
        Q(person__in=ids) | Q(other__in=ids)
    )
    found = set()
    for person, other, relative in rows.values_list("person_id", "other_id", "relative_id"):
        if relative is not None:
            found.add((person, "r", relative))
        else:
            found |= {(person, "p", other), (other, "p", person)}
    return found


def _kept(pairs: list[Pair]) -> list[Pair]:
    refused = _refused({p.person.pk for p in pairs})
    return [p for p in pairs if (p.person.pk, p.kind, p.other.pk) not in refused]


def _persons_like(user: Any, person: Person) -> QuerySet[Person]:
    return (
        Person.objects.filter(
            name_folded=person.name_folded,
            birth_year=person.birth_year,
            merged_into__isnull=True,
        )
        .filter(seen_by(user))
        .exclude(pk=person.pk)
    )


def _relatives_like(user: Any, person: Person) -> QuerySet[Relative]:
    return (
        Relative.objects.visible_to(user)
        .filter(
            name_folded=person.name_folded,
            birth_year=person.birth_year,
            identity__isnull=True,
        )
        .exclude(person=person)
        .select_related("relationship", "person")
    )


def candidates_for(user: Any, person: Person) -> list[Pair]:
    """Persons and declared relatives the user may see that may be `person` (at most LIMIT
    of each), without the pairs already refused."""
    if person.birth_year is None:
        return []  # the key needs a year: without it a common name matches half a province
    others: list[Person | Relative] = [*_persons_like(user, person)[:LIMIT]]
    others += [*_relatives_like(user, person)[:LIMIT]]
    return _kept([Pair(person, o, found) for o in others if (found := evidence(person, o))])


def persons_for_relative(user: Any, relative: Relative) -> list[Pair]:
    """Persons the user may see that may be this declared relative."""
    if relative.birth_year is None or relative.identity_id is not None:
        return []
    qs = (
        Person.objects.filter(
            name_folded=relative.name_folded,
            birth_year=relative.birth_year,
            merged_into__isnull=True,
        )
        .filter(seen_by(user))
        .exclude(pk=relative.person_id)
    )
    return _kept([Pair(p, relative, found) for p in qs[:LIMIT] if (found := evidence(p, relative))])


# --- A whole scope's list -------------------------------------------------------------------


# The blocking key: folded name, year of birth (never None in a scope's list).
_Key = tuple[str, int | None]
# Ids per query when reading a scope: each query stays selective (thousands of rows among
# millions), so that PostgreSQL reads it through the primary key or the person_id index and its
# estimated cost stays below the JIT threshold. One query over a whole province (3 % of the
# nation) is planned as scans of the national tables instead, and JIT-compiled for seconds.
CHUNK = 10_000


class _AnyOf(Lookup):  # type: ignore[type-arg]
    """`column = ANY(%s)`: the ids sent as one array value (PostgreSQL), not as thousands of
    placeholders for the driver to interpolate one by one."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        return self.rhs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, list(self.rhs)]


def _among(field: str, ids: list[int]) -> Any:
    """A filter: `field` is one of `ids`."""
    if connection.vendor == "postgresql":
        return _AnyOf(F(field), ids)
    return Q(**{f"{field}__in": ids})


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _persons(pks: set[int]) -> dict[int, Person]:
    found: dict[int, Person] = {}
    for chunk in _chunks(sorted(pks)):
        rows = Person.objects.filter(_among("pk", chunk)).only(*_FIELDS)
        found.update((p.pk, p) for p in rows)
    return found


def duplicates_in(ids: list[int], relatives: QuerySet[Relative]) -> list[Pair]:
    """Every candidate pair among the persons `ids` (already scoped), and between them and
    the unlinked `relatives` (already scoped, declared by those persons). The scope is read
    once as keys (by id, in chunks); only the persons and relatives whose key is held twice
    are read in full, so that the cost follows the scope and not the nation's tables."""
    holders: dict[_Key, list[int]] = defaultdict(list)
    for chunk in _chunks(ids):
        rows = Person.objects.filter(
            _among("pk", chunk), birth_year__isnull=False, merged_into__isnull=True
        ).values_list("pk", "name_folded", "birth_year")
        for pk, name, year in rows:
            holders[(name, year)].append(pk)
    declared = _declared(ids, relatives, holders)
    repeated = {pk for pks in holders.values() if len(pks) > 1 for pk in pks}
    facts = _facts(repeated | {pk for key in declared for pk in holders[key]})
    found: list[tuple[int, int | Relative, list[str]]] = []
    for key in sorted(k for k, pks in holders.items() if len(pks) > 1):
        block = [facts[pk] for pk in sorted(holders[key])]
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if proof := evidence(a, b):
                    found.append((a.pk, b.pk, proof))
    found += _relative_pairs(relatives, declared, holders, facts)
    named = {pk for pk, _o, _p in found} | {o for _a, o, _p in found if isinstance(o, int)}
    persons = _persons(named)
    return _kept(
        [
            Pair(persons[pk], persons[other] if isinstance(other, int) else other, proof)
            for pk, other, proof in found
        ]
    )


def _facts(pks: set[int]) -> dict[int, _Facts]:
    found: dict[int, _Facts] = {}
    for chunk in _chunks(sorted(pks)):
        rows = Person.objects.filter(_among("pk", chunk)).values_list(*_Facts._fields)
        found.update((row[0], _Facts(*row)) for row in rows)
    return found


# A relative as first read: pk, declaring person, residence.
_Declared = tuple[int, int, str]


def _declared(
    ids: list[int], relatives: QuerySet[Relative], holders: dict[_Key, list[int]]
) -> dict[_Key, list[_Declared]]:
    """The unlinked relatives declared by the persons `ids` whose key a person in scope
    holds, by key (read as plain values: most share the key by chance and are dropped)."""
    unlinked = relatives.filter(identity__isnull=True, birth_year__isnull=False)
    found: dict[_Key, list[_Declared]] = defaultdict(list)
    for chunk in _chunks(ids):
        # The chunk names the declarers' member rows (the join of the scope), so that they
        # are read by person_id, not the whole scope's for each chunk; their relatives follow
        # by the person_id index.
        mine = unlinked.filter(_among("person__member__person_id", chunk))
        rows = mine.order_by().values_list(
            "pk", "person_id", "name_folded", "birth_year", "residence"
        )
        for pk, declarer, name, year, residence in rows:
            if (name, year) in holders:
                found[(name, year)].append((pk, declarer, residence))
    return found


def _relative_pairs(
    relatives: QuerySet[Relative],
    declared: dict[_Key, list[_Declared]],
    holders: dict[_Key, list[int]],
    facts: dict[int, _Facts],
) -> list[tuple[int, int | Relative, list[str]]]:
    """(person, relative, evidence) of a person and a relative of the same key who lives
    where the person does. Compared as plain values (most keys are shared by chance); only
    the relatives of a pair are read in full."""
    kept: list[tuple[int, int, list[str]]] = []
    for key in sorted(declared):
        for pk in sorted(holders[key]):
            places = facts[pk].residence, facts[pk].home_town, facts[pk].birth_place
            for relative, declarer, residence in declared[key]:
                if declarer != pk and (proof := _lives_there(places, residence)):
                    kept.append((pk, relative, proof))
    full: dict[int, Relative] = {}
    for chunk in _chunks(sorted({relative for _p, relative, _f in kept})):
        rows = relatives.filter(_among("pk", chunk)).select_related("relationship", "person")
        full.update((r.pk, r) for r in rows.order_by())
    return [(pk, full[relative], proof) for pk, relative, proof in kept]


def duplicates_for(user: Any, org: Any) -> list[Pair]:
    """The candidate pairs among the persons and relatives `user` may see under `org`."""
    ids = sorted(row["person_id"] for row in _visible_ids(user, None, org.path))
    relatives = Relative.objects.visible_to(user).filter(
        person__member__org_path__startswith=org.path
    )
    return duplicates_in(ids, relatives)
