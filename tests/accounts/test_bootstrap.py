from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hoso.access import policy
from hoso.access.models import User
from hoso.audit.models import AuditEvent
from hoso.orgs.models import Organization


def test_bootstrap_creates_root_and_admin(db: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSO_BOOTSTRAP_PASSWORD", "Khởi-tạo-2026!")
    call_command("bootstrap", root_name="Tỉnh ủy Hà Tĩnh", root_code="TU", admin="quantri")
    root = Organization.objects.get(code="TU")
    admin = User.objects.get(username="quantri")
    assert admin.check_password("Khởi-tạo-2026!")
    assert policy.can(admin, policy.Action.ACCOUNT_MANAGE, root)
    assert not policy.can(admin, policy.Action.MEMBER_VIEW, root)
    event = AuditEvent.objects.get(event_type="system.bootstrap")
    assert event.details["account"] == "quantri" and event.organization == root
    with pytest.raises(CommandError, match="already exists"):
        call_command("bootstrap", root_name="x", root_code="X", admin="other")


def test_bootstrap_refuses_a_weak_password(db: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSO_BOOTSTRAP_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("bootstrap", root_name="Tỉnh ủy", root_code="TU", admin="quantri")
    assert not Organization.objects.exists()
