from __future__ import annotations

import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hoso.lib import vntext
from hoso.orgs.models import Level, Organization
from hoso.people import synth
from hoso.people.models import Member, Person


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
