from __future__ import annotations

import time

import pyotp
import pytest
from django.test import Client, override_settings
from django.urls import reverse

from hoso.access import totp
from hoso.access.roles import Clearance
from hoso.audit.models import AuditEvent
from tests.conftest import PASSWORD, Personas, World, make_user


def _login(client: Client, username: str, password: str = PASSWORD) -> object:
    return client.post(reverse("login"), {"username": username, "password": password})


def test_pages_require_login(world: World) -> None:
    response = Client().get(reverse("org-tree"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert Client().get("/api/v1/orgs/").status_code == 401


def test_login_and_logout_are_audited(world: World, personas: Personas) -> None:
    client = Client()
    response = _login(client, "clerk_a")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    kinds = list(
        AuditEvent.objects.exclude(event_type="audit.key_introduced")
        .order_by("id")
        .values_list("event_type", flat=True)
    )
    assert kinds == ["auth.login", "auth.logout"]


def test_wrong_password_message_is_vietnamese(world: World, personas: Personas) -> None:
    response = _login(Client(), "clerk_a", "sai")
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.content.decode()
    event = AuditEvent.objects.exclude(event_type="audit.key_introduced").get()  # after the key's
    assert event.event_type == "auth.login_failed" and event.details == {"username": "clerk_a"}


@override_settings(LOCKOUT_ACCOUNT_ATTEMPTS=3)
def test_account_lockout_refuses_even_the_right_password(world: World, personas: Personas) -> None:
    client = Client()
    for _ in range(3):
        _login(client, "clerk_a", "wrong")
    response = _login(client, "clerk_a")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(event_type="auth.lockout").exists()
    # An administrator above the account unlocks it.
    admin = Client()
    admin.force_login(personas.admin_a)
    admin.post(reverse("account-detail", args=[personas.clerk_a.pk]), {"op": "unlock"})
    assert _login(client, "clerk_a").status_code == 302


@override_settings(LOCKOUT_ADDRESS_ATTEMPTS=4, LOCKOUT_ACCOUNT_ATTEMPTS=100)
def test_address_lockout_across_accounts(world: World, personas: Personas) -> None:
    client = Client(REMOTE_ADDR="10.9.8.7")
    for name in ("a1", "a2", "a3", "a4"):
        _login(client, name, "wrong")
    assert _login(client, "clerk_a").status_code == 200  # blocked from that address
    assert _login(Client(REMOTE_ADDR="10.9.8.8"), "clerk_a").status_code == 302


def test_top_secret_clearance_must_enrol_totp(world: World) -> None:
    make_user("secret_head", world.province, "head", Clearance.SECRET)
    client = Client()
    response = _login(client, "secret_head")
    assert response["Location"] == reverse("totp-enroll")
    assert client.get(reverse("home")).status_code == 302  # not signed in yet
    page = client.get(reverse("totp-enroll"))
    secret = page.context["secret"]
    used = pyotp.TOTP(secret).now()
    response = client.post(reverse("totp-enroll"), {"code": used})
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    # Next time the code is asked after the password, and a used code is refused (the same
    # code as the enrolment's, not one computed again: a new 30-second step may have begun).
    other = Client()
    assert _login(other, "secret_head")["Location"] == reverse("login-otp")
    response = other.post(reverse("login-otp"), {"code": used})
    assert response.status_code == 200  # the enrolment already burnt this time step
    assert "_auth_user_id" not in other.session


def test_totp_replay_refused_and_next_step_accepted() -> None:
    secret = totp.new_secret()
    now = time.time()
    code = pyotp.TOTP(secret).at(now)
    step = totp.matching_step(secret, code, 0, now)
    assert step
    assert totp.matching_step(secret, code, step, now) == 0
    later = pyotp.TOTP(secret).at(now + 30)
    assert totp.matching_step(secret, later, step, now + 30) == step + 1
    assert totp.matching_step(secret, "12345", 0, now) == 0


def test_session_expires_after_inactivity(
    settings: object, world: World, personas: Personas
) -> None:
    from django.conf import settings as dj

    assert dj.SESSION_COOKIE_AGE == dj.SESSION_IDLE_MINUTES * 60
    client = Client()
    _login(client, "clerk_a")
    session = client.session
    session.set_expiry(-1)  # as if the idle time had passed
    session.save()
    assert client.get(reverse("home")).status_code == 302


def test_a_request_moves_the_idle_expiry_at_most_once_a_minute(
    world: World, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No session write on every request (issue 15): the expiry moves once a minute."""
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hoso.access import middleware

    minute = [29_000_000]
    monkeypatch.setattr(middleware, "current_minute", lambda: minute[0])
    client = Client()
    _login(client, "clerk_a")
    client.get(reverse("home"))
    expires = Session.objects.get().expire_date

    def session_writes() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(reverse("home")).status_code == 200
        return sum("django_session" in q["sql"] and "SELECT" not in q["sql"] for q in seen)

    # The same minute: nothing written.
    assert session_writes() == 0
    assert Session.objects.get().expire_date == expires
    minute[0] += 1  # the next minute: saved, its expiry moved on
    assert session_writes() == 1
    assert Session.objects.get().expire_date > expires


def test_csp_and_security_headers(world: World, personas: Personas) -> None:
    response = Client().get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("short1A!", False),
        ("alllowercaseletters", False),
        ("Đủ-dài-và-3-loại", True),
        ("1234567890123", False),
    ],
)
def test_password_rules(db: object, password: str, ok: bool) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_csrf_enforced_on_login(world: World, personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "clerk_a", "password": PASSWORD})
    assert response.status_code == 403


def test_vietnamese_by_default_whatever_the_browser_says(world: World) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get(reverse("login"))
    assert "Đăng nhập" in response.content.decode()
    assert response["Content-Language"] == "vi"
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert "Sign in to hoso" in client.get(reverse("login")).content.decode()
