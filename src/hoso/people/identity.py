"""One human being, one record: who may see a person, and the candidate duplicates hoso
proposes (never links: an officer decides, people/actions/identity.py).

A candidate pair shares the blocking key (folded name, year of birth), read from the indexes
`person_identity` and `relative_identity`, never by comparing every pair, and then has dates
of birth that do not contradict each other and a second fact in common: the home town, an ID
number, or for a declared relative (who has no home town on record) the place of residence.
A pair with different citizen or old ID numbers is never proposed: those are different people.
Free text (the matters log, petition summaries) is never matched to anyone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
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
    scope, and those the apps above people show (`hooks.PERSON_SOURCES`: case subjects,
    cadres ...), each through its own scope. `action` asks for the persons the user may act
    on in that way (e.g. person.link). One UNION of scoped id lists, so that the cost follows
    the scope, not the table: the shape for reading a whole scope (see `seen_by` for a lookup
    that first narrows the persons by an index)."""
    members = Member.objects.visible_to(user, action or Action.MEMBER_VIEW)
    if under:
        members = members.filter(org_path__startswith=under)
    ids = members.order_by().values("person_id")
    for source in hooks.PERSON_SOURCES:
        ids = ids.union(source(user, action, under).order_by())
    return Person.objects.filter(pk__in=ids)


def seen_by(user: Any, action: str | None = None) -> Q:
    """The same scope as `visible_persons`, as a condition on each person row: one EXISTS per
    source, correlated on the person. For a lookup that first finds a few persons by an index
    (the blocking key): each row found is checked through the sources' own indexes, so the
    cost follows the rows found, where `pk IN (UNION ...)` would first list the whole scope."""
    members = Member.objects.visible_to(user, action or Action.MEMBER_VIEW)
    where = Q(Exists(members.filter(person=OuterRef("pk"))))
    for source in hooks.PERSON_SOURCES:
        ids = source(user, action, "")
        (column,) = ids.query.values_select  # a values queryset of person ids
        where |= Q(Exists(ids.filter(**{column: OuterRef("pk")})))
    return where


def _dates_agree(a: Person, b: Person | Relative) -> bool:
    if isinstance(b, Relative):
        return a.birth_year == b.birth_year
    if a.birth_date is None or b.birth_date is None:
        return a.birth_year == b.birth_year
    if DatePrecision.YEAR in (a.birth_date_precision, b.birth_date_precision):
        return a.birth_date.year == b.birth_date.year
    if DatePrecision.MONTH in (a.birth_date_precision, b.birth_date_precision):
        return (a.birth_date.year, a.birth_date.month) == (b.birth_date.year, b.birth_date.month)
    return a.birth_date == b.birth_date


def _ids_differ(a: Person, b: Person) -> bool:
    return bool(
        (a.citizen_id and b.citizen_id and a.citizen_id != b.citizen_id)
        or (a.old_id and b.old_id and a.old_id != b.old_id)
    )


def evidence(a: Person, b: Person | Relative) -> list[str]:
    """What a pair with the same blocking key has in common besides it; empty: not a
    candidate."""
    if not _dates_agree(a, b):
        return []
    if isinstance(b, Relative):
        places = [a.residence, a.home_town, a.birth_place]
        if b.residence and any(same_place(p, b.residence) for p in places if p):
            return [_("name, year of birth and place of residence")]
        return []
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


def _blocks(persons: QuerySet[Person]) -> Iterator[list[Person]]:
    """Groups of persons sharing the blocking key, read in key order."""
    block: list[Person] = []
    for person in persons.iterator(chunk_size=5000):
        if block and (person.name_folded, person.birth_year) != (
            block[0].name_folded,
            block[0].birth_year,
        ):
            yield block
            block = []
        block.append(person)
    if block:
        yield block


def _keyed(persons: QuerySet[Person]) -> QuerySet[Person]:
    return persons.filter(birth_year__isnull=False, merged_into__isnull=True)


# A row whose blocking key is the outer row's.
_SAME_KEY = {"name_folded": OuterRef("name_folded"), "birth_year": OuterRef("birth_year")}


def duplicates_in(persons: QuerySet[Person], relatives: QuerySet[Relative]) -> list[Pair]:
    """Every candidate pair among `persons` (already scoped), and between them and the
    unlinked `relatives` (already scoped). The database reads the scope once and counts each
    key over it (a window), so that only the persons whose key is held twice are read."""
    per_key = Window(Count("pk"), partition_by=[F("name_folded"), F("birth_year")])
    shared = (
        _keyed(persons)
        .only(*_FIELDS)
        .annotate(holders=per_key)
        .filter(holders__gt=1)
        .order_by("name_folded", "birth_year", "pk")
    )
    pairs: list[Pair] = []
    for block in _blocks(shared):
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                found = evidence(a, b)
                if found:
                    pairs.append(Pair(a, b, found))
    return _kept(pairs + _relative_pairs(persons, relatives))


def _relative_pairs(persons: QuerySet[Person], relatives: QuerySet[Relative]) -> list[Pair]:
    """Unlinked relatives whose key a person in scope holds, and those persons: each side
    joined to the other on the key in SQL (semi-joins), never one key at a time."""
    unlinked = relatives.filter(identity__isnull=True, birth_year__isnull=False)
    matched = unlinked.filter(Exists(_keyed(persons).filter(**_SAME_KEY)))
    by_key: dict[tuple[str, int], list[Relative]] = defaultdict(list)
    for relative in matched.select_related("relationship", "person"):
        by_key[(relative.name_folded, relative.birth_year or 0)].append(relative)
    if not by_key:
        return []
    holders = _keyed(persons).filter(Exists(unlinked.filter(**_SAME_KEY))).only(*_FIELDS)
    pairs = []
    for person in holders:
        for relative in by_key.get((person.name_folded, person.birth_year or 0), []):
            if relative.person_id != person.pk and (found := evidence(person, relative)):
                pairs.append(Pair(person, relative, found))
    return pairs


def duplicates_for(user: Any, org: Any) -> list[Pair]:
    """The candidate pairs among the persons and relatives `user` may see under `org`."""
    persons = visible_persons(user, under=org.path)
    relatives = Relative.objects.visible_to(user).filter(
        person__member__org_path__startswith=org.path
    )
    return duplicates_in(persons, relatives)
