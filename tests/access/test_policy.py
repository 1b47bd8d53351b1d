from __future__ import annotations

import pytest

from hoso.access import policy
from hoso.access.models import User
from hoso.access.roles import Clearance, Role
from hoso.orgs.models import Organization
from hoso.people.models import Member, Person
from tests.conftest import Personas, World, make_user


def test_no_grant_sees_nothing(world: World, personas: Personas) -> None:
    """Default deny, tested first: an account without grants sees no organization at all."""
    assert not Organization.objects.visible_to(personas.nobody).exists()
    assert policy.scope_paths(personas.nobody, policy.Action.ORG_VIEW) == ()
    assert not policy.can(personas.nobody, policy.Action.ORG_VIEW, world.commune_a)


def test_superuser_flag_gives_nothing(world: World) -> None:
    boss = make_user("boss", world.root, None)
    boss.is_superuser = boss.is_staff = True
    boss.save()
    assert not Organization.objects.visible_to(boss).exists()


def test_grant_covers_the_subtree_only(world: World, personas: Personas) -> None:
    codes = set(Organization.objects.visible_to(personas.clerk_a).values_list("code", flat=True))
    assert codes == {"DUA", "CBA1"}
    head_codes = set(
        Organization.objects.visible_to(personas.head_p).values_list("code", flat=True)
    )
    assert head_codes == {"TUP", "DUA", "CBA1", "ZZB", "ZZB1"}


def test_administrator_does_not_see_members(world: World, personas: Personas) -> None:
    person = Person.objects.create(family_name="Lê", middle_name="Văn", given_name="Tám", sex="M")
    Member.objects.create(person=person, organization=world.cell_a, status="official")
    assert Member.objects.visible_to(personas.clerk_a).count() == 1
    assert not Member.objects.visible_to(personas.admin_root).exists()
    assert not Member.objects.visible_to(personas.auditor_p).exists()
    assert not Member.objects.visible_to(personas.officer_b).exists()


def test_overlapping_grants_reduce_to_the_widest(world: World, personas: Personas) -> None:
    from hoso.access.models import Grant

    Grant.objects.create(user=personas.clerk_a, organization=world.province, role=Role.CLERK)
    policy.forget(personas.clerk_a)
    assert policy.scope_paths(personas.clerk_a, policy.Action.MEMBER_VIEW) == (world.province.path,)


def test_clearance_limits_classified_records(world: World, personas: Personas) -> None:
    assert policy.can(personas.clerk_a, "member.view", world.cell_a, Clearance.CONFIDENTIAL)
    assert not policy.can(personas.clerk_a, "member.view", world.cell_a, Clearance.SECRET)


def test_role_decides_the_action(world: World, personas: Personas) -> None:
    assert not policy.can(personas.clerk_a, policy.Action.ORG_MANAGE, world.commune_a)
    assert policy.can(personas.head_p, policy.Action.ORG_MANAGE, world.commune_b)
    assert not policy.can(personas.head_p, policy.Action.ORG_MANAGE, world.root)
    with pytest.raises(policy.Denied):
        policy.require(personas.clerk_a, policy.Action.ACCOUNT_MANAGE)


def test_inactive_account_has_no_scope(world: World, personas: Personas) -> None:
    personas.head_p.is_active = False
    assert policy.scope_paths(personas.head_p, policy.Action.ORG_VIEW) == ()


def test_users_who_may_asks_can_from_the_other_side(world: World, personas: Personas) -> None:
    """The accounts listed for an organization are exactly those `can()` allows there."""
    secret = make_user("officer_cell", world.cell_a, Role.OFFICER, Clearance.SECRET)
    action = policy.Action.CASE_MANAGE
    listed = set(policy.users_who_may(action, world.cell_a).values_list("username", flat=True))
    assert listed == {"officer_dua", "head_p", "officer_cell"}
    everyone = [personas.clerk_a, personas.officer_b, personas.officer_a, personas.head_p, secret]
    assert listed == {u.username for u in everyone if policy.can(u, action, world.cell_a)}
    # A classification above an account's clearance leaves it out, as can() does.
    top = policy.users_who_may(action, world.cell_a, Clearance.SECRET)
    assert set(top.values_list("username", flat=True)) == {"officer_cell"}
    # `under`: granted somewhere below the given paths (an assignee picker's candidates).
    below = policy.users_who_may(action, under=(world.commune_a.path,))
    assert set(below.values_list("username", flat=True)) == {"officer_dua", "officer_cell"}
    secret.is_active = False
    secret.save()
    assert "officer_cell" not in set(
        policy.users_who_may(action, world.cell_a).values_list("username", flat=True)
    )


def test_restricted_clause_spares_the_heads_of_the_whole_scope(
    world: World, personas: Personas
) -> None:
    from django.db.models import Q

    involved = Q(assignee=personas.officer_a.pk)
    assert (
        policy.restricted_clause(personas.head_p, policy.Action.CASE_VIEW, involved=involved)
        is None
    )
    clause = policy.restricted_clause(
        personas.officer_a, policy.Action.CASE_VIEW, involved=involved
    )
    assert clause is not None and "restricted" in str(clause) and "assignee" in str(clause)


def test_every_scoped_model_declares_its_scope_and_denies_by_default(
    world: World, personas: Personas
) -> None:
    """Each model scoped by the shared queryset says who sees it (`scope`), and an account
    without grants sees none of the rows of any model with `visible_to`."""
    from django.apps import apps

    from hoso.access.querysets import Scope, ScopedQuerySetMixin

    scoped = [m for m in apps.get_models() if hasattr(m._default_manager, "visible_to")]
    assert len(scoped) >= 15
    for model in scoped:
        if isinstance(model._default_manager.all(), ScopedQuerySetMixin):
            assert isinstance(getattr(model, "scope", None), Scope), model
        assert not model._default_manager.visible_to(personas.nobody).exists(), model


def test_responsible_are_those_who_may_act_nearest_first(world: World, personas: Personas) -> None:
    """Told of an item: who may act on it, on its own node if anyone there may, else on the
    closest ancestor; cleared for its level; active."""
    action = policy.Action.PETITION_MANAGE
    officer_p = make_user("officer_p", world.province, Role.OFFICER, Clearance.SECRET)
    items = {
        "cell_a": (world.cell_a.path, Clearance.CONFIDENTIAL),  # no account: its commune
        "secret_a": (world.commune_a.path, Clearance.SECRET),  # nobody cleared: the province
        "province": (world.province.path, Clearance.NONE),
        "cell_b": (world.cell_b.path, Clearance.NONE),
        "root": (world.root.path, Clearance.NONE),  # the administrator may not: nobody
    }
    told = policy.responsible(action, items)
    assert told == {
        "cell_a": {personas.clerk_a.pk, personas.officer_a.pk},
        "secret_a": {officer_p.pk},
        "province": {personas.head_p.pk, officer_p.pk},
        "cell_b": {personas.officer_b.pk},
        "root": set(),
    }
    orgs = {node.path: node for node in Organization.objects.all()}
    for key, users in told.items():
        path, level = items[key]
        for user in User.objects.filter(pk__in=users):
            assert policy.can(user, action, orgs[path], level)
            assert user in policy.users_who_may(action, orgs[path], level)
    personas.officer_a.is_active = False
    personas.officer_a.save()
    assert policy.responsible(action, {"a": items["cell_a"]}) == {"a": {personas.clerk_a.pk}}
