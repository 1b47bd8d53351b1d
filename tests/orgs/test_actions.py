from __future__ import annotations

import datetime as dt

import pytest

from hoso.access.policy import Denied
from hoso.audit.chain import verify
from hoso.audit.models import AuditEvent
from hoso.orgs import actions
from hoso.orgs.models import Level, Organization
from hoso.people.models import Member, Person
from tests.conftest import Personas, World


def test_create_child_records_audit(world: World, personas: Personas) -> None:
    node = actions.create_organization(
        personas.head_p, world.commune_a, name="Chi bộ thôn Tây", code="CBA2", level=Level.CELL
    )
    assert Organization.objects.get_parent(node) == world.commune_a
    assert node.path.startswith(world.commune_a.path)
    event = AuditEvent.objects.get(event_type="org.created")
    assert event.actor == personas.head_p and event.organization == node


def test_clerk_cannot_change_the_tree(world: World, personas: Personas) -> None:
    with pytest.raises(Denied):
        actions.create_organization(
            personas.clerk_a, world.commune_a, name="x", code="X", level=Level.CELL
        )
    assert not AuditEvent.objects.exclude(event_type="audit.key_introduced").exists()


def test_move_subtree_keeps_descendants_and_scope(world: World, personas: Personas) -> None:
    actions.move_organization(
        personas.head_p,
        world.commune_b,
        world.commune_a,
        reason="Sáp nhập theo Quyết định 12-QĐ/TU",
    )
    world.cell_b.refresh_from_db()
    world.commune_b.refresh_from_db()
    assert Organization.objects.get_parent(world.commune_b) == world.commune_a
    assert world.cell_b.path.startswith(world.commune_b.path)
    # The clerk of commune A now sees the moved subtree, through the same path rule.
    codes = set(Organization.objects.visible_to(personas.clerk_a).values_list("code", flat=True))
    assert {"ZZB", "ZZB1"} <= codes
    assert Organization.objects.find_problems() == ([], [], [], [], [])


def test_move_carries_the_members_scope(world: World, personas: Personas) -> None:
    person = Person.objects.create(family_name="Đỗ", middle_name="Văn", given_name="Bảy", sex="M")
    member = Member.objects.create(person=person, organization=world.cell_b, status="official")
    assert not Member.objects.visible_to(personas.clerk_a).exists()
    actions.move_organization(personas.head_p, world.commune_b, world.commune_a, reason="r")
    member.refresh_from_db()
    world.cell_b.refresh_from_db()
    assert member.org_path == world.cell_b.path
    assert list(Member.objects.visible_to(personas.clerk_a)) == [member]


def test_move_under_own_descendant_refused(world: World, personas: Personas) -> None:
    with pytest.raises(actions.TreeError):
        actions.move_organization(personas.head_p, world.commune_a, world.cell_a, reason="x")


def test_move_outside_scope_refused(world: World, personas: Personas) -> None:
    with pytest.raises(Denied):
        actions.move_organization(personas.head_p, world.commune_a, world.root, reason="x")


def test_close_refused_with_open_units_or_members(world: World, personas: Personas) -> None:
    today = dt.date.today()
    with pytest.raises(actions.TreeError, match="đơn vị trực thuộc"):
        actions.close_organization(personas.head_p, world.commune_a, closed_on=today, reason="r")
    person = Person.objects.create(family_name="Võ", middle_name="Thị", given_name="Sáu", sex="F")
    Member.objects.create(person=person, organization=world.cell_a, status="official")
    with pytest.raises(actions.TreeError, match="đảng viên"):
        actions.close_organization(personas.head_p, world.cell_a, closed_on=today, reason="r")


def test_close_then_no_new_units(world: World, personas: Personas) -> None:
    node = actions.close_organization(
        personas.head_p, world.cell_b, closed_on=dt.date.today(), reason="Giải thể"
    )
    assert not node.is_open
    with pytest.raises(actions.TreeError):
        actions.create_organization(personas.head_p, node, name="x", code="X", level=Level.GROUP)


def test_nodes_are_never_deleted(world: World) -> None:
    with pytest.raises(RuntimeError, match="never deleted"):
        world.cell_a.delete()


def test_terms_must_not_overlap(world: World, personas: Personas) -> None:
    actions.add_term(
        personas.head_p,
        world.province,
        name="2020-2025",
        starts_on=dt.date(2020, 10, 1),
        ends_on=dt.date(2025, 9, 30),
    )
    actions.add_term(
        personas.head_p, world.province, name="2025-2030", starts_on=dt.date(2025, 10, 1)
    )
    with pytest.raises(actions.TreeError, match="trùng"):
        actions.add_term(
            personas.head_p,
            world.province,
            name="bad",
            starts_on=dt.date(2024, 1, 1),
            ends_on=dt.date(2026, 1, 1),
        )
    assert verify()[1] is None


def test_the_policy_knows_the_length_of_a_root_path() -> None:
    """access sits below orgs, so policy keeps the tree's step length as a constant."""
    from hoso.access import policy
    from hoso.orgs.models import Organization

    assert Organization.steplen == policy.ROOT_PATH_LENGTH
