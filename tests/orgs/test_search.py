"""The organization picker's search (orgs/search.py): folded words in any order, the user's
scope for an action, closed organizations, order and limit, ancestors' names; the folded
name kept by the tree actions and filled by the migration."""

from __future__ import annotations

import datetime as dt
import importlib
import unicodedata
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from hoso.access import policy
from hoso.lib import vntext
from hoso.orgs import actions, search
from hoso.orgs.models import Level, Organization
from tests.conftest import FOREIGN_MARKER, Personas, World

A = policy.Action


def codes(hits: list[search.Hit]) -> list[str]:
    return [hit.org.code for hit in hits]


@pytest.fixture(params=["scope read whole", "through the index"])
def either_way(request: Any, monkeypatch: Any) -> None:
    """Run a test both ways a scope is searched (on PostgreSQL: LIKE over the scope, or the
    GIN index; SQLite always reads the scope)."""
    if request.param == "through the index":
        monkeypatch.setattr(search, "SMALL_SCOPE", 1)


def test_folded_words_in_any_order(world: World, personas: Personas, either_way: None) -> None:
    head = personas.head_p
    assert codes(search.find(head, A.ORG_VIEW, "dang uy xa")) == ["DUA"]
    assert codes(search.find(head, A.ORG_VIEW, "an binh dang")) == ["DUA"]
    assert codes(search.find(head, A.ORG_VIEW, "ĐẢNG ỦY XÃ An Bình")) == ["DUA"]
    nfd = unicodedata.normalize("NFD", "Đảng ủy xã")
    assert codes(search.find(head, A.ORG_VIEW, nfd)) == ["DUA"]
    # Every word begins a word of the name (typing is under way); all must match.
    assert codes(search.find(head, A.ORG_VIEW, "chi b")) == ["CBA1", "ZZB1"]
    assert codes(search.find(head, A.ORG_VIEW, "chi bo thon dong")) == ["CBA1"]
    assert search.find(head, A.ORG_VIEW, "chi bo tay") == []
    assert search.find(head, A.ORG_VIEW, "inh") == []  # inside a word is not a match
    # Words before the last are whole; a trailing space makes the last one whole too.
    assert search.find(head, A.ORG_VIEW, "dan uy xa") == []
    assert codes(search.find(head, A.ORG_VIEW, "chi bo thon dong ")) == ["CBA1"]
    assert search.find(head, A.ORG_VIEW, "chi bo tho ") == []
    assert codes(search.find(head, A.ORG_VIEW, "ha no")) == []  # no Hà Nội in this tree
    assert codes(search.find(head, A.ORG_VIEW, "thu ng")) == ["TUP"]


def test_a_code_comes_first(world: World, personas: Personas, either_way: None) -> None:
    assert codes(search.find(personas.head_p, A.ORG_VIEW, "cba1")) == ["CBA1"]
    Organization.objects.add_child(
        world.commune_a, create_kwargs={"name": "Chi bộ Dua", "code": "CBD", "level": "cell"}
    )
    # "dua" is a word of a cell's name and the code of a commune: the code first.
    assert codes(search.find(personas.head_p, A.ORG_VIEW, "dua")) == ["DUA", "CBD"]


def test_shallower_first_then_vietnamese_name_order(
    world: World, personas: Personas, either_way: None
) -> None:
    names = ["Chi bộ Ánh", "Chi bộ Anh", "Chi bộ Đông", "Chi bộ Dung", "Chi bộ Ấp"]
    for i, name in enumerate(names):
        Organization.objects.add_child(
            world.commune_a, create_kwargs={"name": name, "code": f"S{i}", "level": Level.CELL}
        )
    hits = search.find(personas.head_p, A.ORG_VIEW, "chi bo")
    cells = [h.org.name for h in hits if h.org.depth == 4]
    assert cells == sorted(cells, key=vntext.text_key)
    assert cells.index("Chi bộ Anh") < cells.index("Chi bộ Ánh") < cells.index("Chi bộ Ấp")
    assert cells.index("Chi bộ Dung") < cells.index("Chi bộ Đông")  # đ after d
    dang = search.find(personas.head_p, A.ORG_VIEW, "dang")
    assert [h.org.depth for h in dang] == sorted(h.org.depth for h in dang)


def test_at_most_twenty(world: World, personas: Personas) -> None:
    for i in range(25):
        Organization.objects.add_child(
            world.commune_a,
            create_kwargs={"name": f"Chi bộ số {i}", "code": f"N{i}", "level": Level.CELL},
        )
    assert len(search.find(personas.head_p, A.ORG_VIEW, "chi bo so")) == search.LIMIT == 20


@pytest.mark.parametrize("caller", ["clerk_a", "officer_a", "admin_a", "auditor_a", "nobody"])
def test_a_foreign_commune_never_appears(
    world: World, personas: Personas, caller: str, either_way: None
) -> None:
    user = getattr(personas, caller)
    texts = ("", "zzb", "dang uy", "chi bo", "phuong ben kia", "ZZB1", str(world.cell_b.pk))
    for action in A:
        for text in texts:
            for closed in (False, True):
                hits = search.find(user, action, text, closed=closed)
                shown = " ".join(f"{h.org.name} {h.org.code} {' '.join(h.trail)}" for h in hits)
                assert FOREIGN_MARKER not in shown, (caller, action, text)


def test_the_scope_of_the_action(world: World, personas: Personas) -> None:
    # A clerk holds no case.view; an officer does, on their commune only.
    assert search.find(personas.clerk_a, A.CASE_VIEW, "an binh") == []
    assert codes(search.find(personas.officer_a, A.CASE_VIEW, "an binh")) == ["DUA"]
    assert search.find(personas.officer_a, A.CASE_VIEW, "tinh uy") == []
    assert search.find(personas.nobody, A.ORG_VIEW, "") == []


def test_an_empty_query_offers_the_scope_and_its_units(world: World, personas: Personas) -> None:
    assert codes(search.find(personas.clerk_a, A.MEMBER_VIEW, "")) == ["DUA", "CBA1"]
    assert codes(search.find(personas.head_p, A.ORG_VIEW, " ")) == ["TUP", "ZZB", "DUA"]


def test_the_path_shows_the_ancestors_the_user_may_see(world: World, personas: Personas) -> None:
    (hit,) = search.find(personas.head_p, A.ORG_VIEW, "thon dong")
    assert hit.trail == ("Tỉnh ủy Thử Nghiệm", "Đảng ủy xã An Bình")  # the root left out
    assert hit.label == "Chi bộ thôn Đông (CBA1)"
    (hit,) = search.find(personas.clerk_a, A.ORG_VIEW, "thon dong")
    assert hit.trail == ("Đảng ủy xã An Bình",)  # the province is outside the clerk's scope


def test_closed_organizations_only_when_asked_and_after_open_ones(
    world: World, personas: Personas
) -> None:
    actions.close_organization(
        personas.head_p, world.cell_a, closed_on=dt.date.today(), reason="Giải thể"
    )
    head = personas.head_p
    assert codes(search.find(head, A.ORG_VIEW, "chi bo")) == ["ZZB1"]
    # By name the closed "thôn Đông" comes before "ZZB Một"; open ones come first.
    assert codes(search.find(head, A.ORG_VIEW, "chi bo", closed=True)) == ["ZZB1", "CBA1"]
    assert search.scoped(head, A.ORG_VIEW).filter(code="CBA1").count() == 0
    assert search.scoped(head, A.ORG_VIEW, closed=True).filter(code="CBA1").count() == 1


def test_the_committees_above_the_scope_when_asked(
    world: World, personas: Personas, either_way: None
) -> None:
    officer = personas.officer_a
    assert search.find(officer, A.CASE_MANAGE, "tinh uy") == []
    assert codes(search.find(officer, A.CASE_MANAGE, "tinh uy", above=True)) == ["TUP"]
    assert codes(search.find(officer, A.CASE_MANAGE, "trung uong", above=True)) == ["TW"]
    # Above, not beside: the other commune of the province stays out.
    assert search.find(officer, A.CASE_MANAGE, "zzb", above=True) == []
    assert search.find(officer, A.CASE_MANAGE, "phuong", above=True) == []
    assert codes(search.find(officer, A.CASE_MANAGE, "", above=True)) == [
        "TW",
        "TUP",
        "DUA",
        "CBA1",
    ]
    scoped = search.scoped(officer, A.CASE_MANAGE, above=True)
    assert sorted(scoped.values_list("code", flat=True)) == ["CBA1", "DUA", "TUP", "TW"]
    assert search.scoped(personas.nobody, A.CASE_MANAGE, above=True).count() == 0


def test_a_subtree_can_be_left_out(world: World, personas: Personas) -> None:
    hits = search.find(personas.head_p, A.ORG_MANAGE, "chi bo", not_under=world.commune_a.pk)
    assert codes(hits) == ["ZZB1"]
    # An organization the user cannot see leaves nothing out (and reveals nothing).
    hits = search.find(personas.clerk_a, A.ORG_VIEW, "chi bo", not_under=world.commune_b.pk)
    assert codes(hits) == ["CBA1"]


def test_created_and_renamed_organizations_are_found(world: World, personas: Personas) -> None:
    head = personas.head_p
    node = actions.create_organization(
        head, world.commune_a, name="Chi bộ Trường Tiểu học", code="CBTH", level=Level.CELL
    )
    assert codes(search.find(head, A.ORG_VIEW, "truong tieu")) == ["CBTH"]
    actions.rename_organization(
        head, node, name="Chi bộ Hòa Bình", short_name="CB HB", reason="NQ 2"
    )
    assert search.find(head, A.ORG_VIEW, "truong tieu") == []
    assert codes(search.find(head, A.ORG_VIEW, "hoa binh")) == ["CBTH"]
    assert codes(search.find(head, A.ORG_VIEW, "cb hb")) == ["CBTH"]  # the short name too
    node.refresh_from_db()
    assert node.sort_key == vntext.text_key("Chi bộ Hòa Bình")


def test_resolve_what_was_typed(world: World, personas: Personas, either_way: None) -> None:
    scoped = search.scoped(personas.clerk_a, A.MEMBER_MANAGE)
    for typed in (
        str(world.commune_a.pk),
        "DUA",
        "dua",
        "Đảng ủy xã An Bình",
        "dang uy xa an binh",
        "Đảng ủy xã An Bình (DUA)",
        "Tên cũ (DUA)",
    ):
        assert search.resolve(scoped, typed) == [world.commune_a], typed
    for typed in (str(world.commune_b.pk), "ZZB", "Đảng ủy phường ZZB Bên Kia", "dang uy", ""):
        assert search.resolve(scoped, typed) == [], typed


def test_a_name_two_organizations_share_is_ambiguous(
    world: World, personas: Personas, either_way: None
) -> None:
    for code in ("T1", "T2"):
        Organization.objects.add_child(
            world.commune_a, create_kwargs={"name": "Chi bộ 1", "code": code, "level": "cell"}
        )
    scoped = search.scoped(personas.clerk_a, A.MEMBER_MANAGE)
    assert len(search.resolve(scoped, "chi bo 1")) == 2
    assert [o.code for o in search.resolve(scoped, "Chi bộ 1 (T2)")] == ["T2"]


def test_the_migration_fills_the_existing_rows(world: World, personas: Personas) -> None:
    Organization.objects.update(search_name="", sort_key=b"")
    migration: Any = importlib.import_module("hoso.orgs.migrations.0002_search_name")
    migration.backfill(apps, SimpleNamespace(connection=connection))
    node = Organization.objects.get(code="DUA")
    assert node.search_name == " dang uy xa an binh "
    assert bytes(node.sort_key) == vntext.text_key("Đảng ủy xã An Bình")
    assert codes(search.find(personas.head_p, A.ORG_VIEW, "an binh")) == ["DUA"]
