from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hoso.access import policy
from hoso.access.models import Grant, User
from hoso.access.roles import Clearance, Role
from hoso.accounts import actions
from hoso.audit.models import AuditEvent
from tests.conftest import Personas, World, client_for

GOOD = "Mật-khẩu-Mới-2026"


def test_admin_creates_account_in_own_subtree_only(world: World, personas: Personas) -> None:
    user = actions.create_account(
        personas.admin_a,
        username="moi",
        full_name="Người Mới",
        organization=world.cell_a,
        password=GOOD,
    )
    assert user.check_password(GOOD)
    event = AuditEvent.objects.get(event_type="account.created")
    assert event.actor == personas.admin_a and event.organization == world.cell_a
    assert GOOD not in str(event.details)
    with pytest.raises(policy.Denied):
        actions.create_account(
            personas.admin_a,
            username="x",
            full_name="X",
            organization=world.commune_b,
            password=GOOD,
        )


def test_weak_password_refused(world: World, personas: Personas) -> None:
    with pytest.raises(ValidationError):
        actions.create_account(
            personas.admin_a,
            username="yeu",
            full_name="Yếu",
            organization=world.cell_a,
            password="12345678",
        )
    assert not User.objects.filter(username="yeu").exists()


def test_grant_outside_scope_refused(world: World, personas: Personas) -> None:
    with pytest.raises(policy.Denied):
        actions.add_grant(personas.admin_a, personas.clerk_a, world.province, Role.AUDITOR)
    actions.add_grant(personas.admin_root, personas.clerk_a, world.province, Role.AUDITOR)
    assert policy.can(personas.clerk_a, policy.Action.AUDIT_VIEW, world.commune_b)


def test_revoking_a_grant_takes_effect(world: World, personas: Personas) -> None:
    grant = Grant.objects.get(user=personas.clerk_a)
    actions.remove_grant(personas.admin_a, grant)
    assert policy.scope_paths(personas.clerk_a, policy.Action.ORG_VIEW) == ()
    assert AuditEvent.objects.filter(event_type="account.grant_removed").count() == 1


def test_clearance_change_needs_a_reason(world: World, personas: Personas) -> None:
    with pytest.raises(ValueError, match="reason"):
        actions.update_account(
            personas.admin_a, personas.clerk_a, reason="", clearance=Clearance.NONE
        )
    with pytest.raises(ValueError, match="reason"):
        actions.update_account(
            personas.admin_a, personas.clerk_a, reason="", clearance=Clearance.SECRET
        )
    personas.clerk_a.refresh_from_db()
    assert personas.clerk_a.clearance == Clearance.CONFIDENTIAL


def test_account_pages(world: World, personas: Personas) -> None:
    client = client_for(personas.admin_a)
    body = client.get(reverse("account-list")).content.decode()
    assert "clerk_a" in body and "zzb_officer" not in body
    response = client.post(
        reverse("account-new"),
        {
            "username": "vanthu2",
            "full_name": "Văn Thư Hai",
            "organization": world.cell_a.pk,
            "clearance": 0,
            "password": GOOD,
            "reason": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(username="vanthu2")
    response = client.post(
        reverse("account-detail", args=[created.pk]),
        {"op": "grant", "organization": world.cell_a.pk, "role": "clerk", "reason": "QĐ 4"},
    )
    assert response.status_code == 302
    # A clerk's grant reads dossiers: it waits for a head above the cell.
    assert not created.grants.exists()
    assert created.access_requests.get().role == "clerk"
    # The organization list offered to this administrator holds only its subtree.
    form = client.get(reverse("account-new")).context["form"]
    offered = {o.code for o in form.fields["organization"].queryset}
    assert offered == {"DUA", "CBA1"}


def test_clerk_has_no_account_pages(world: World, personas: Personas) -> None:
    client = client_for(personas.clerk_a)
    assert client.get(reverse("account-new")).status_code == 404
    assert client.get(reverse("account-detail", args=[personas.clerk_a.pk])).status_code == 404


def test_initial_password_must_be_changed(world: World, personas: Personas) -> None:
    from django.test import Client

    actions.create_account(
        personas.admin_a,
        username="moi2",
        full_name="Mới Hai",
        organization=world.cell_a,
        password=GOOD,
    )
    client = Client()
    client.post(reverse("login"), {"username": "moi2", "password": GOOD})
    response = client.get(reverse("org-tree"))
    assert response.status_code == 302 and response["Location"] == reverse("profile")
    page = client.get(reverse("profile")).content.decode()
    assert "chọn mật khẩu của riêng bạn" in page
    client.post(reverse("profile"), {"old_password": GOOD, "new_password": "Của-riêng-tôi-2026"})
    assert client.get(reverse("org-tree")).status_code == 200
    assert AuditEvent.objects.filter(event_type="auth.password_changed").count() == 1


def test_a_malformed_grant_id_is_a_bad_request(world: World, personas: Personas) -> None:
    client = client_for(personas.admin_a)
    url = reverse("account-detail", args=[personas.clerk_a.pk])
    assert client.post(url, {"op": "revoke", "grant": "x"}).status_code == 400
    assert client.post(url, {"op": "revoke"}).status_code == 404
    assert Grant.objects.filter(user=personas.clerk_a).exists()
