from __future__ import annotations

import unicodedata

import pytest

from hoso.people.models import Member, Person
from hoso.people.search import page, parse, search_members
from tests.conftest import World

PEOPLE = [
    ("Nguyễn", "Văn", "An", "001080000001"),
    ("Nguyễn", "Văn", "Anh", "001080000002"),
    ("Trần", "Thị", "Hòa", "001080000003"),
    ("Lê", "Thị Ngọc", "Thúy", "001080000004"),
    ("Đặng", "Minh", "Khoẻ", "001080000005"),
    ("Phạm", "Đức", "An", "001080000006"),
]


@pytest.fixture
def members(world: World) -> dict[str, Member]:
    made = {}
    for family, middle, given, cid in PEOPLE:
        person = Person.objects.create(
            family_name=family, middle_name=middle, given_name=given, sex="M", citizen_id=cid
        )
        made[person.full_name] = Member.objects.create(
            person=person, organization=world.cell_a, status="official", card_number=f"TD{cid[-4:]}"
        )
    return made


def names(query: str) -> set[str]:
    return {m.person.full_name for m in search_members(Member.objects.all(), query)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Nguyễn Văn An ", {"Nguyễn Văn An"}),  # a finished word matches exactly
        ("nguyen van an", {"Nguyễn Văn An", "Nguyễn Văn Anh"}),  # last word is a prefix
        ("an nguyen ", {"Nguyễn Văn An"}),  # words in any order
        ("hoà", {"Trần Thị Hòa"}),  # old tone placement
        ("thuý", {"Lê Thị Ngọc Thúy"}),
        ("KHỎE", {"Đặng Minh Khoẻ"}),  # new placement, capitals
        ("dang minh", {"Đặng Minh Khoẻ"}),  # đ typed as d, no tone marks
        (unicodedata.normalize("NFD", "Đặng"), {"Đặng Minh Khoẻ"}),  # NFD input
        ("an ", {"Nguyễn Văn An", "Phạm Đức An"}),
        ("ngoc thu", {"Lê Thị Ngọc Thúy"}),
        ("xyz", set()),
    ],
)
def test_name_search(members: dict[str, Member], query: str, expected: set[str]) -> None:
    assert names(query) == expected


def test_identifier_search(members: dict[str, Member]) -> None:
    assert names("001080000003") == {"Trần Thị Hòa"}
    assert names("TD0005") == {"Đặng Minh Khoẻ"}
    assert names("00108") == set()  # identifiers match whole


def test_parse_keeps_the_last_word_open() -> None:
    assert parse("Nguyễn Văn A").prefix == "a"
    assert parse("Nguyễn Văn A ").prefix is None
    assert parse("  ").empty
    assert parse("'; DROP TABLE x; --").words == ("drop", "table")


def test_pages_follow_vietnamese_order(members: dict[str, Member]) -> None:
    first, cursor = page(Member.objects.all(), size=4)
    assert [m.person.given_name for m in first] == ["An", "An", "Anh", "Hòa"]
    assert [m.person.family_name for m in first[:2]] == ["Phạm", "Nguyễn"]  # Đức < Văn
    second, last = page(Member.objects.all(), cursor, size=4)
    assert [m.person.given_name for m in second] == ["Khoẻ", "Thúy"] and last == ""
    assert page(Member.objects.all(), "garbage", size=4)[0] == first


def test_renaming_a_person_updates_search(members: dict[str, Member]) -> None:
    person = members["Trần Thị Hòa"].person
    person.given_name = "Hương"
    person.save()
    assert names("huong") == {"Trần Thị Hương"} and names("hoa") == set()


INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]


@pytest.mark.parametrize("mark", INVISIBLE)
def test_an_invisible_character_in_a_name_does_not_hide_the_member(world: World, mark: str) -> None:
    """Issue 10: "Ngu\\u200byễn", pasted from a document, was not found by "nguyen"."""
    person = Person.objects.create(
        family_name=f"Ngu{mark}yễn", middle_name=f"{mark}Văn", given_name=f"Bì{mark}nh", sex="M"
    )
    Member.objects.create(person=person, organization=world.cell_a, status="official")
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Văn Bình"  # stored without it
    assert names("nguyen van binh") == {"Nguyễn Văn Bình"}
    assert names(f"ngu{mark}yen") == {"Nguyễn Văn Bình"}  # typed with it, too
