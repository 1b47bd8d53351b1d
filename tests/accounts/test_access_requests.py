"""Nobody grants themselves access; a grant that reads dossiers, or a higher clearance, waits
for a second person: a head or leader above the organization, never the one who asked."""

from __future__ import annotations

import pyotp
import pytest
from django.urls import reverse
from django.utils import timezone

from hoso.access import policy
from hoso.access.models import AccessRequest, Grant, User
from hoso.access.roles import Clearance, Role
from hoso.accounts import actions
from hoso.audit import events
from hoso.audit.models import AuditEvent
from tests.conftest import Personas, World, client_for, make_user

A = policy.Action
PENDING = AccessRequest.State.PENDING


def enrolled(user: User) -> pyotp.TOTP:
    user.totp_secret = pyotp.random_base32()
    user.totp_confirmed_at = timezone.now()
    user.save()
    return pyotp.TOTP(user.totp_secret)


def test_an_administrator_cannot_give_itself_a_head_grant_or_clearance(
    world: World, personas: Personas
) -> None:
    """The finding: quantri, on its own account, added a head grant on the root and raised
    its clearance to 3."""
    admin = personas.admin_root
    client = client_for(admin)
    url = reverse("account-detail", args=[admin.pk])
    grant = client.post(url, {"op": "grant", "organization": world.root.pk, "role": "head"})
    raise_ = client.post(
        url, {"op": "update", "clearance": 3, "is_active": "on", "reason": "tự cấp"}
    )
    assert grant.status_code == 403 and raise_.status_code == 403
    admin.refresh_from_db()
    assert admin.clearance == Clearance.NONE
    assert list(admin.grants.values_list("role", flat=True)) == ["admin"]
    assert not AccessRequest.objects.exists()
    assert not policy.can(admin, A.MEMBER_VIEW, world.root)
    with pytest.raises(policy.Denied):
        actions.add_grant(admin, admin, world.root, Role.HEAD, reason="x")
    with pytest.raises(policy.Denied):
        actions.update_account(admin, admin, reason="x", clearance=Clearance.TOP_SECRET)
    own_grant = admin.grants.get()
    with pytest.raises(policy.Denied):
        actions.remove_grant(admin, own_grant)
    # The page offers no form to change one's own access.
    assert 'op" value="grant"' not in client.get(url).content.decode()


def test_a_grant_that_reads_dossiers_waits_for_a_head_above(
    world: World, personas: Personas
) -> None:
    officer = make_user("moi", world.commune_a, None)
    asked = actions.add_grant(
        personas.admin_a, officer, world.commune_a, Role.OFFICER, reason="QĐ 12-QĐ/ĐU"
    )
    assert isinstance(asked, AccessRequest) and asked.state == PENDING
    assert not Grant.objects.filter(user=officer).exists()
    assert not policy.can(officer, A.MEMBER_VIEW, world.commune_a)
    event = AuditEvent.objects.get(event_type=events.ACCESS_REQUESTED.code)
    assert event.organization == world.commune_a and event.reason == "QĐ 12-QĐ/ĐU"
    assert event.details["role"] == "officer" and event.details["account"] == "moi"
    # Filed under the organization concerned: its auditor sees it.
    assert AuditEvent.objects.visible_to(personas.auditor_a).filter(pk=event.pk).exists()

    actions.approve_access(personas.head_p, asked, note="Đồng ý")
    assert policy.can(User.objects.get(pk=officer.pk), A.MEMBER_VIEW, world.commune_a)
    approved = AuditEvent.objects.get(event_type=events.ACCESS_APPROVED.code)
    assert approved.actor == personas.head_p and approved.organization == world.commune_a
    asked.refresh_from_db()
    assert asked.state == AccessRequest.State.APPROVED and asked.decided_by == personas.head_p
    with pytest.raises(actions.AccessError):
        actions.approve_access(personas.head_p, asked)


def test_who_may_not_approve(world: World, personas: Personas) -> None:
    subject = make_user("moi", world.commune_a, None)
    asked = actions.add_grant(personas.admin_a, subject, world.commune_a, Role.CLERK, reason="QĐ 1")
    head_b = make_user("head_b", world.commune_b, Role.HEAD, Clearance.CONFIDENTIAL)
    # A head who is also an administrator asks; the same person may not approve.
    head_admin = make_user("head_admin", world.province, Role.HEAD, Clearance.CONFIDENTIAL)
    Grant.objects.create(user=head_admin, organization=world.province, role=Role.ADMIN)
    own = actions.add_grant(head_admin, subject, world.cell_a, Role.CLERK, reason="QĐ 2")
    for approver, request in (
        (head_b, asked),  # another commune's head: not above the organization
        (personas.officer_a, asked),  # not a head or leader
        (personas.admin_root, asked),  # administrators ask, they do not approve
        (head_admin, own),  # who asked
    ):
        with pytest.raises(policy.Denied):
            actions.approve_access(approver, request)
    assert not Grant.objects.filter(user=subject).exists()
    # The subject of a request never decides it, even as a head above it.
    Grant.objects.create(user=subject, organization=world.province, role=Role.HEAD)
    policy.forget(subject)
    with pytest.raises(policy.Denied):
        actions.approve_access(subject, asked)


def test_a_higher_clearance_waits_and_toi_mat_takes_the_approvers_second_factor(
    world: World, personas: Personas, client: object
) -> None:
    clerk = personas.clerk_a
    actions.update_account(personas.admin_a, clerk, reason="QĐ 7", clearance=Clearance.SECRET)
    clerk.refresh_from_db()
    assert clerk.clearance == Clearance.CONFIDENTIAL
    asked = AccessRequest.objects.get(user=clerk, kind=AccessRequest.Kind.CLEARANCE)
    assert asked.organization == world.commune_a and asked.clearance == Clearance.SECRET
    # The head holds only Mật: not enough to approve Tối mật.
    with pytest.raises(policy.Denied):
        actions.approve_access(personas.head_p, asked)
    leader = make_user("leader_p", world.province, Role.LEADER, Clearance.SECRET)
    totp = enrolled(leader)
    with pytest.raises(actions.AccessError, match="ứng dụng xác thực"):
        actions.approve_access(leader, asked, code="000000")
    actions.approve_access(leader, asked, code=totp.now())
    clerk.refresh_from_db()
    assert clerk.clearance == Clearance.SECRET
    event = AuditEvent.objects.get(event_type=events.ACCESS_APPROVED.code)
    assert event.details["clearance_before"] == Clearance.CONFIDENTIAL
    # A signed-in session of the clerk goes no further without enrolling a second factor.
    session = client_for(clerk, enrol=False)
    response = session.get(reverse("member-list"))
    assert response.status_code == 302 and response["Location"] == reverse("totp-enroll")


def test_a_lower_clearance_applies_at_once(world: World, personas: Personas) -> None:
    actions.update_account(personas.admin_a, personas.clerk_a, reason="QĐ 8", clearance=0)
    personas.clerk_a.refresh_from_db()
    assert personas.clerk_a.clearance == 0
    assert not AccessRequest.objects.exists()
    event = AuditEvent.objects.get(event_type=events.ACCOUNT_UPDATED.code)
    assert event.details == {"before": {"clearance": 1}, "after": {"clearance": 0}}


def test_a_new_account_gets_its_clearance_only_when_approved(
    world: World, personas: Personas
) -> None:
    with pytest.raises(actions.AccessError):
        actions.create_account(
            personas.admin_a, username="x", full_name="X", organization=world.cell_a,
            password="Mật-khẩu-Mới-2026", clearance=Clearance.CONFIDENTIAL,
        )  # fmt: skip
    assert not User.objects.filter(username="x").exists()
    user = actions.create_account(
        personas.admin_a, username="x", full_name="X", organization=world.cell_a,
        password="Mật-khẩu-Mới-2026", clearance=Clearance.CONFIDENTIAL, reason="QĐ 9",
    )  # fmt: skip
    assert user.clearance == 0
    assert AccessRequest.objects.get(user=user).clearance == Clearance.CONFIDENTIAL


def test_roles_that_read_no_dossier_apply_at_once(world: World, personas: Personas) -> None:
    user = make_user("kiemtra2", world.commune_a, None)
    grant = actions.add_grant(personas.admin_a, user, world.commune_a, Role.AUDITOR)
    assert isinstance(grant, Grant)
    assert policy.can(user, A.AUDIT_VIEW, world.commune_a)
    assert set(policy.DOSSIER_ROLES) == {Role.CLERK, Role.OFFICER, Role.HEAD, Role.LEADER}


def test_refuse_needs_a_note_and_withdraw_takes_it_back(world: World, personas: Personas) -> None:
    user = make_user("moi", world.commune_a, None)
    first = actions.add_grant(personas.admin_a, user, world.commune_a, Role.CLERK, reason="QĐ 1")
    assert isinstance(first, AccessRequest)
    with pytest.raises(actions.AccessError):
        actions.add_grant(personas.admin_a, user, world.commune_a, Role.CLERK, reason="QĐ 1")
    with pytest.raises(actions.AccessError):
        actions.refuse_access(personas.head_p, first, note=" ")
    actions.refuse_access(personas.head_p, first, note="Chưa đủ điều kiện")
    second = actions.add_grant(personas.admin_a, user, world.commune_a, Role.CLERK, reason="QĐ 2")
    assert isinstance(second, AccessRequest)
    actions.withdraw_access_request(personas.admin_a, second)
    second.refresh_from_db()
    assert second.state == AccessRequest.State.WITHDRAWN
    codes = list(
        AuditEvent.objects.filter(event_type__startswith="account.access").values_list(
            "event_type", flat=True
        )
    )
    assert sorted(codes) == sorted(
        [events.ACCESS_REQUESTED.code] * 2
        + [events.ACCESS_REFUSED.code, events.ACCESS_WITHDRAWN.code]
    )
    assert not Grant.objects.filter(user=user).exists()


def test_the_approvals_page(world: World, personas: Personas) -> None:
    user = make_user("moi", world.commune_a, None)
    asked = actions.add_grant(personas.admin_a, user, world.commune_a, Role.CLERK, reason="QĐ 3")
    url = reverse("access-requests")
    head = client_for(personas.head_p)
    page = head.get(url).content.decode()
    assert "moi" in page and "QĐ 3" in page and 'value="approve"' in page
    admin_page = client_for(personas.admin_a).get(url).content.decode()
    assert "moi" in admin_page and 'value="approve"' not in admin_page
    assert client_for(personas.clerk_a).get(url).status_code == 404
    head_b = make_user("head_b", world.commune_b, Role.HEAD)
    assert "moi" not in client_for(head_b).get(url).content.decode()
    decide = reverse("access-request-decide", args=[asked.pk])
    assert client_for(head_b).post(decide, {"op": "approve"}).status_code == 404
    assert head.post(decide, {"op": "approve", "note": "Đồng ý"}).status_code == 302
    assert Grant.objects.filter(user=user, role=Role.CLERK).exists()


def test_bootstrap_makes_the_first_head_directly(
    db: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    monkeypatch.setenv("HOSO_BOOTSTRAP_PASSWORD", "Khởi-tạo-2026!")
    monkeypatch.setenv("HOSO_BOOTSTRAP_HEAD_PASSWORD", "Trưởng-ban-2026!")
    call_command(
        "bootstrap", root_name="Tỉnh ủy Hà Tĩnh", root_code="TU", admin="quantri", head="truongban"
    )
    head = User.objects.get(username="truongban")
    assert head.clearance == Clearance.SECRET and head.must_change_password
    assert policy.can(head, A.ACCESS_APPROVE, head.organization)
    made = AuditEvent.objects.filter(event_type=events.BOOTSTRAP.code)
    assert {e.details["account"] for e in made} == {"quantri", "truongban"}
    assert {e.details["source"] for e in made} == {"hoso bootstrap"}
    with pytest.raises(CommandError, match="head or leader already exists"):
        call_command("bootstrap", root_name="x", root_code="TU", head="other")
