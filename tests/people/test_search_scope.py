"""Scope-first search and lists (issue 15, item 1): a search within a scope asks the index for
that scope's words only, and finds exactly what a national search finds there; a small scope's
list is read path first, in the same order. The scope a queryset is known to be limited to
travels with it (`paths_of`) and is forgotten when the queryset is widened."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoso.access.querysets import paths_of, within
from hoso.access.roles import Clearance, Role
from hoso.orgs import actions as org_actions
from hoso.people.filters import MemberFilterForm
from hoso.people.models import Member, Person
from hoso.people.search import page, search_members
from tests.conftest import Personas, World, make_user

NAMES = [  # (family, middle, given, where)
    ("Nguyễn", "Văn", "Hùng", "cell_a"),
    ("Nguyễn", "Văn", "Huy", "commune_a"),
    ("Nguyễn", "Văn", "Hùng", "cell_b"),
    ("Nguyễn", "Thị", "Hương", "province"),
    ("Trần", "Văn", "Hùng", "cell_a"),
]


@pytest.fixture
def members(world: World) -> list[Member]:
    made = []
    for family, middle, given, where in NAMES:
        person = Person.objects.create(
            family_name=family, middle_name=middle, given_name=given, sex="M"
        )
        made.append(
            Member.objects.create(
                person=person, organization=getattr(world, where), status="official"
            )
        )
    return made


def _found(user: object, text: str, org: str = "") -> list[int]:
    form = MemberFilterForm({"q": text, "org": org, "status": ""})
    rows, _ = page(form.apply(Member.objects.visible_to(user), user))
    return [m.pk for m in rows]


def _national(text: str, under: str) -> list[int]:
    """The same search over every member, cut to a scope afterwards, in name order."""
    rows, _ = page(search_members(Member.objects.all(), text), size=1000)
    return [m.pk for m in rows if m.org_path.startswith(under)]


@pytest.mark.parametrize("text", ["nguyen van hu", "hung ", "hu", "van nguyen ", "huong"])
def test_a_scoped_search_finds_what_the_national_search_finds_there(
    members: list[Member], personas: Personas, world: World, text: str
) -> None:
    central = make_user("head_tw", world.root, Role.HEAD, Clearance.CONFIDENTIAL)
    for user, scope in (
        (personas.officer_a, world.commune_a),  # depth 3: the commune's own words
        (personas.head_p, world.province),  # depth 2: the province's
        (central, world.root),  # no qualifier: the nation's words
    ):
        assert _found(user, text) == _national(text, scope.path), (user, text)
    # An organization filter narrows the scope the words are looked up in.
    assert _found(personas.head_p, text, org="CBA1") == _national(text, world.cell_a.path)


def test_the_words_asked_for_are_the_scopes_own(
    members: list[Member], personas: Personas, world: World
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the qualified words are PostgreSQL's index; SQLite matches with LIKE")
    with CaptureQueriesContext(connection) as seen:
        _found(personas.officer_a, "nguyen van hu")
    searched = [q["sql"] for q in seen if "member_search_words" in q["sql"]]
    assert searched and f"q{world.commune_a.path}nguyen" in searched[0]
    assert "'nguyen & van" not in searched[0]


@pytest.mark.django_db
def test_a_path_that_looks_like_a_number_still_qualifies_one_word() -> None:
    """`0001000E0003` alone reads as 1000e3 to the text parser; the `q` before it keeps the
    qualified word whole."""
    if connection.vendor != "postgresql":
        pytest.skip("the index's function is PostgreSQL's")
    with connection.cursor() as cur:
        cur.execute(
            "SELECT to_tsvector('simple', member_search_words(' van ', '0001000E0003'))::text"
        )
        words = cur.fetchone()[0]
    assert "'q0001000e0003van'" in words and "'q0001000evan'" in words and "'van'" in words


def test_a_moved_unit_is_found_in_its_new_scope(
    members: list[Member], personas: Personas, world: World
) -> None:
    """The qualified words follow the member's path: moving cell A under commune B moves its
    members' words with it (the index is over the path itself)."""
    org_actions.move_organization(
        personas.admin_root, world.cell_a, world.commune_b, reason="sáp nhập"
    )
    world.commune_b.refresh_from_db()
    moved = [m.pk for m in members if m.organization_id == world.cell_a.pk]
    assert _found(personas.officer_b, "hung ") == _national("hung ", world.commune_b.path)
    assert set(moved) <= set(_found(personas.officer_b, "hung "))
    assert not set(moved) & set(_found(personas.officer_a, "hung "))


def test_a_small_scope_is_listed_in_the_same_order(
    members: list[Member], personas: Personas, world: World
) -> None:
    everyone, _ = page(Member.objects.all(), size=1000)
    in_commune = [m.pk for m in everyone if m.org_path.startswith(world.commune_a.path)]
    assert _found(personas.officer_a, "") == in_commune
    first, cursor = page(Member.objects.visible_to(personas.officer_a), size=1)
    second, _ = page(Member.objects.visible_to(personas.officer_a), cursor, size=1)
    assert [first[0].pk, second[0].pk] == in_commune[:2]


def test_the_scope_travels_with_the_queryset_until_it_is_widened(
    personas: Personas, world: World
) -> None:
    scoped = Member.objects.visible_to(personas.officer_a)
    assert paths_of(scoped) == (world.commune_a.path,)
    assert paths_of(scoped.filter(status="official").order_by("id")) == (world.commune_a.path,)
    assert paths_of(scoped | Member.objects.filter(status="official")) == ()
    assert paths_of(Member.objects.all()) == ()
    assert paths_of(within(Member.objects.all(), (world.cell_a.path,))) == (world.cell_a.path,)


def _slow(qs: object) -> object:
    """Each row tested costs 5 ms: a walk of the name index outlasts a 1 ms budget."""
    from django.db.models import BooleanField
    from django.db.models.expressions import RawSQL

    slow = RawSQL("(SELECT true FROM pg_sleep(0.005))", [], output_field=BooleanField())
    return qs.filter(slow)  # type: ignore[attr-defined]


@pytest.mark.parametrize("way", ["sorted after", "walked", "walk cut short"])
def test_every_way_of_reading_a_large_scopes_search_gives_the_same_pages(
    members: list[Member], world: World, monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    """A province's or the nation's search is read one of three ways (people/search.py); each
    gives the pages the plain search gives, and leaves the connection's settings as they were."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite reads every search one way")
    from hoso.people import search

    central = make_user("head_tw", world.root, Role.HEAD, Clearance.CONFIDENTIAL)
    if way != "sorted after":
        monkeypatch.setattr(search, "SORT_AFTER_ROWS", 0)  # every search "of many matches"
    if way == "walk cut short":
        monkeypatch.setattr(search, "WALK_MS", 1)
    expected = _national("nguyen ", world.root.path)
    assert len(expected) == 4

    def scoped() -> object:
        form = MemberFilterForm({"q": "nguyen ", "org": "", "status": ""})
        qs = form.apply(Member.objects.visible_to(central), central)
        return _slow(qs) if way == "walk cut short" else qs

    settings_sql = (
        "SELECT current_setting('statement_timeout'), current_setting('work_mem'),"
        " current_setting('enable_bitmapscan')"
    )
    with connection.cursor() as cur:
        cur.execute(settings_sql)
        before = cur.fetchone()
    with CaptureQueriesContext(connection) as seen:
        first, cursor = page(scoped(), size=3)
        second, last = page(scoped(), cursor, size=3)
    assert [m.pk for m in first + second] == expected and last == ""
    sent = " ".join(q["sql"] for q in seen)
    assert ("enable_bitmapscan" in sent) == (way != "sorted after")
    assert ("work_mem" in sent) == (way != "walked")
    with connection.cursor() as cur:
        cur.execute(settings_sql)
        assert cur.fetchone() == before  # the transaction's settings put back
