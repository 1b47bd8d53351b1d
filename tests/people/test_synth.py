from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from hoso.access.roles import Clearance, Role
from hoso.lib import vntext
from hoso.orgs.models import Level, Organization
from hoso.people import identity, synth
from hoso.people.models import Member, Person, Relationship, Relative
from hoso.vetting.models import Case
from tests.conftest import make_user
from tests.vetting.office import make_type


def test_synth_builds_a_valid_tree_and_members(db: object) -> None:
    call_command("synth", members=1500, seed=3)
    root = Organization.objects.get(code="SYN3")
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    assert Member.objects.count() == 1500
    cells = Organization.objects.filter(level=Level.CELL, path__startswith=root.path)
    assert not cells.filter(members__isnull=True).exists() or cells.count() * 30 >= 1500
    ids = list(Person.objects.values_list("citizen_id", flat=True))
    assert len(set(ids)) == 1500 and all(len(i) == 12 and i.isdigit() for i in ids)
    person = Person.objects.select_related("member__organization").first()
    assert person is not None
    member = person.member
    assert member.org_path == member.organization.path
    assert bytes(member.sort_key) == bytes(person.sort_key)
    assert member.search_text == person.search_text
    assert person.name_folded == vntext.fold(person.full_name)
    assert bytes(person.sort_key) == vntext.sort_key(
        person.family_name, person.middle_name, person.given_name
    )


def test_synth_refuses_to_load_a_seed_twice(db: object) -> None:
    call_command("synth", members=50, seed=4)
    with pytest.raises(CommandError, match="already loaded"):
        call_command("synth", members=50, seed=4)


def test_same_seed_same_people() -> None:
    plan = synth.make_plan(300, 9)
    cells = [(1, 1, "0001"), (2, 1, "0002")]
    first = [p for p, _ in synth.person_rows(plan, random.Random(9), cells, 1)]
    second = [p for p, _ in synth.person_rows(plan, random.Random(9), cells, 1)]
    assert first == second


def test_family_names_follow_the_population() -> None:
    plan = synth.make_plan(20000, 5)
    rows = synth.person_rows(plan, random.Random(5), [(1, 1, "0001")], 1)
    counts = Counter(person["family_name"] for person, _ in rows)
    share = counts["Nguyễn"] / 20000
    assert 0.36 < share < 0.40
    assert abs(sum(w for _, w in synth.FAMILY_WEIGHTS) - 100) < 0.5
    assert counts["Trần"] > counts["Lê"] > counts["Phạm"]


def test_plan_scales_with_members() -> None:
    small, large = synth.make_plan(2000, 1), synth.make_plan(1_000_000, 1)
    assert small.provinces == 2 and large.provinces == 33
    cells = large.provinces * large.upper_per_province * large.base_per_upper * large.cells_per_base
    assert 1_000_000 / cells <= synth.MEMBERS_PER_CELL


# --- hoso synth --full: residences, relatives, identity overlaps ----------------------------


def _contents() -> dict[str, list[tuple[object, ...]]]:
    """What a load wrote, by content (ids of organizations follow the sequences)."""
    return {
        "persons": sorted(
            Person.objects.values_list(
                "citizen_id", "family_name", "middle_name", "given_name", "birth_date",
                "home_town", "residence",
            ),
            key=str,
        ),
        "relatives": sorted(
            Relative.objects.values_list(
                "person__citizen_id", "relationship__code", "full_name", "birth_year",
                "residence", "party_member",
            ),
            key=str,
        ),
    }  # fmt: skip


def _load(members: int, seed: int, *, full: bool) -> dict[str, list[tuple[object, ...]]]:
    with transaction.atomic():
        synth.load(members, seed, full=full)
        found = _contents()
        transaction.set_rollback(True)
    return found


def test_full_is_deterministic_and_leaves_the_members_as_they_were(db: object) -> None:
    first, again = _load(600, 11, full=True), _load(600, 11, full=True)
    assert first == again and first["relatives"]
    plain = _load(600, 11, full=False)
    assert plain["relatives"] == []
    assert all(p[-1] == "" for p in plain["persons"])  # plain synth writes no residence
    members = [p[:-1] for p in first["persons"] if p[0] is not None]
    assert members == [p[:-1] for p in plain["persons"]]  # the same people, residence added


def _member_of(pk: int) -> Member:
    return Member.objects.select_related("person", "organization").get(person_id=pk)


def test_full_declares_families_and_realistic_overlaps(db: object) -> None:
    plan = synth.load(3000, 12, full=True)
    assert plan.full is not None
    relatives = Relative.objects.select_related("relationship")
    assert relatives.count() == plan.full.relatives
    by_code = Counter(relatives.values_list("relationship__code", flat=True))
    assert by_code["bo-de"] == by_code["me-de"] == 3000  # everyone declares both parents
    assert 0.6 < (by_code["vo"] + by_code["chong"]) / 3000 < 0.95  # most a spouse
    children = Counter(relatives.filter(relationship__code="con-de").values_list("person_id"))
    assert max(children.values()) <= 3
    assert set(Relationship.objects.values_list("code", flat=True)) >= set(synth.RELATIONSHIPS)
    for relative in relatives[:300]:  # stored as Relative.save() would
        assert relative.name_folded == vntext.fold(vntext.clean(relative.full_name))
        assert relative.residence and relative.birth_year
    assert Person.objects.filter(member__isnull=False).exclude(residence="").count() == 3000

    # Couples of members: each declares the other, as that member's person is on record.
    couples = relatives.filter(party_member=True)
    assert couples.count() == 2 * plan.full.couples
    assert 0.01 <= couples.count() / 3000 <= 0.02
    for relative in couples:
        declared_by = _member_of(relative.person_id)
        spouse = Person.objects.get(
            member__isnull=False, name_folded=relative.name_folded, birth_year=relative.birth_year,
            member__org_path__startswith=declared_by.org_path[:12],
        )  # fmt: skip
        assert spouse.sex != declared_by.person.sex
        assert identity.same_place(spouse.residence, relative.residence)

    # Second records without an ID: same name, date of birth and home town as a member's.
    twins = Person.objects.filter(member__isnull=True)
    assert twins.count() == plan.full.twins and 0.003 <= plan.full.twins / 3000 <= 0.007
    for twin in twins:
        assert twin.citizen_id is None and twin.birth_year == twin.birth_date.year
        (original,) = Person.objects.filter(
            member__isnull=False, name_folded=twin.name_folded, birth_date=twin.birth_date,
            home_town__iexact=twin.home_town,
        )  # fmt: skip
        assert original.sex == twin.sex


def test_identity_finds_the_overlaps_of_the_full_dataset(db: object) -> None:
    """A province head sees each twin (once a case makes it visible) and each spouse who is a
    member, both for one person and in the province's list."""
    plan = synth.load(2000, 13, full=True)
    assert plan.full is not None
    province = Organization.objects.filter(level=Level.PROVINCIAL).order_by("path")[0]
    head = make_user("head_full", province, Role.HEAD, Clearance.SECRET)
    case_type = make_type()
    twins = list(Person.objects.filter(member__isnull=True))
    for twin in twins:  # the vetting case each twin record was typed for
        original = Member.objects.get(
            person__name_folded=twin.name_folded, person__birth_date=twin.birth_date
        )
        commune = Organization.objects.get(path=original.org_path[:12])
        Case.objects.create(
            organization=commune, case_type=case_type, version=case_type.current, person=twin,
            purpose="Bổ nhiệm", competent_committee=commune, request_number="1-TTr",
            request_date=dt.date(2026, 3, 1), request_issuer="UBND",
            received_on=dt.date(2026, 3, 2), handed_over_by="A", handover_items="Tờ trình",
            state="received",
            due_on=dt.date(2026, 4, 1), created_by=head,
        )  # fmt: skip
    in_province = [
        t for t in twins
        if Member.objects.get(person__name_folded=t.name_folded, person__birth_date=t.birth_date)
        .org_path.startswith(province.path)
    ]  # fmt: skip
    assert in_province
    for twin in in_province:
        original = Person.objects.get(
            member__isnull=False, name_folded=twin.name_folded, birth_date=twin.birth_date
        )
        pairs = identity.candidates_for(head, original)
        assert twin in [p.other for p in pairs]
    spouses = Relative.objects.filter(
        party_member=True, person__member__org_path__startswith=province.path
    )
    assert spouses
    for relative in spouses:
        spouse = Person.objects.get(
            member__isnull=False,
            name_folded=relative.name_folded,
            birth_year=relative.birth_year,
            member__org_path__startswith=province.path,
        )
        assert relative in [p.other for p in identity.candidates_for(head, spouse)]
    listed = {(p.person.pk, p.kind, p.other.pk) for p in identity.duplicates_for(head, province)}
    assert {
        (p.pk, "p", t.pk)
        for t in in_province
        for p in Person.objects.filter(
            member__isnull=False, name_folded=t.name_folded, birth_date=t.birth_date
        )
    } <= listed
    assert {
        (
            Person.objects.get(
                member__isnull=False,
                name_folded=r.name_folded,
                birth_year=r.birth_year,
                member__org_path__startswith=province.path,
            ).pk,
            "r",
            r.pk,
        )
        for r in spouses
    } <= listed


# --- The query shapes the duplicate benchmark depends on (benchmarks/persons.py) -------------


def _instances(model: type, run: Callable[[], object]) -> int:
    """How many `model` rows `run` reads into objects."""
    seen = [0]

    def count(sender: type, **kwargs: object) -> None:
        seen[0] += 1

    post_init.connect(count, sender=model)
    try:
        run()
    finally:
        post_init.disconnect(count, sender=model)
    return seen[0]


def test_the_province_list_reads_only_the_rows_sharing_a_key(db: object) -> None:
    """The whole list reads in full only the relatives of the pairs it proposes, not every
    relative whose name alone a person in scope holds (tens of thousands in a province at
    5M)."""
    synth.load(2000, 14, full=True)
    province = Organization.objects.filter(level=Level.PROVINCIAL).order_by("path")[0]
    head = make_user("head_keys", province, Role.HEAD, Clearance.SECRET)
    persons = Person.objects.filter(member__org_path__startswith=province.path)
    keys = Counter(persons.values_list("name_folded", "birth_year"))
    relatives = Relative.objects.filter(person__member__org_path__startswith=province.path)
    sharing = [r for r in relatives.values_list("name_folded", "birth_year") if r in keys]
    names = {name for name, _year in keys}
    by_name = [r for r in relatives.values_list("name_folded", flat=True) if r in names]
    assert len(by_name) > 3 * len(sharing) > 0  # the name alone would read far more
    pairs: list[identity.Pair] = []
    read = _instances(Relative, lambda: pairs.extend(identity.duplicates_for(head, province)))
    assert read == len({p.other.pk for p in pairs if p.is_relative}) <= len(sharing)
    twice = sum(n for n in keys.values() if n > 1)
    held = sum(1 for p in persons.values_list("name_folded", "birth_year") if p in set(sharing))
    # The persons sharing a key, those a relative's key names, and each relative's declarer.
    read = _instances(Person, lambda: identity.duplicates_for(head, province))
    assert read <= twice + held + len(sharing)


def test_candidates_for_one_person_never_list_the_scope(db: object) -> None:
    """The candidates of one person are found by the key's index and each row found is
    checked against the scope, so that the cost follows the rows found: no query lists the
    scope's persons (a UNION of every member and case subject of a province)."""
    synth.load(600, 15, full=True)
    province = Organization.objects.filter(level=Level.PROVINCIAL).order_by("path")[0]
    head = make_user("head_one", province, Role.HEAD, Clearance.SECRET)
    in_province = Relative.objects.filter(person__member__org_path__startswith=province.path)
    relative = in_province.filter(party_member=True).select_related("person").first()
    assert relative is not None
    spouse = Person.objects.get(
        member__isnull=False, name_folded=relative.name_folded, birth_year=relative.birth_year,
        member__org_path__startswith=relative.person.member.org_path[:12],
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        pairs = identity.candidates_for(head, spouse)
        identity.persons_for_relative(head, relative)
    assert relative in [p.other for p in pairs]
    assert queries.captured_queries
    assert not [q["sql"] for q in queries.captured_queries if "UNION" in q["sql"].upper()]


def test_the_list_is_the_same_read_in_small_chunks(
    db: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scope is read by chunks of ids; a key held across two chunks still makes a pair."""
    synth.load(1500, 16, full=True)
    province = Organization.objects.filter(level=Level.PROVINCIAL).order_by("path")[0]
    head = make_user("head_chunks", province, Role.HEAD, Clearance.SECRET)

    def listed() -> list[tuple[int, str, int, tuple[str, ...]]]:
        pairs = identity.duplicates_for(head, province)
        return [(p.person.pk, p.kind, p.other.pk, tuple(p.evidence)) for p in pairs]

    whole = listed()
    assert any(kind == "r" for _p, kind, _o, _e in whole)
    monkeypatch.setattr(identity, "CHUNK", 37)
    assert listed() == whole
