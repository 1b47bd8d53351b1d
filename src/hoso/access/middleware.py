"""The acting context of every request; and sending a user whose password was set by an
administrator to change it, and a user whose clearance now needs a second factor to enrol
one, before anything else."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from hoso.lib import context

ALLOWED_PREFIXES = ("/me/", "/logout/", "/static/", "/i18n/", "/login/totp/")
SEEN = "hoso_seen"  # the minute (since the epoch) the session was last saved


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class ActingContextMiddleware:
    """Opens `hoso.lib.context` for the request: the signed-in user (the API uses the same
    session), the client's address and the channel, for the audit rows the request writes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        signed_in = user if user is not None and user.is_authenticated else None
        channel = "api" if request.path.startswith("/api/") else "web"
        with context.acting(signed_in, address=client_ip(request), channel=channel):
            return self.get_response(request)


def current_minute() -> int:
    return int(time.time() // 60)


class IdleExpiryMiddleware:
    """The idle timeout without a session write per request: a signed-in session is saved,
    which moves its expiry (SESSION_COOKIE_AGE from the save), at most once a minute. A session
    idle for the timeout has expired, give or take that minute."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key:  # none after a logout's flush
            minute = current_minute()
            if session.get(SEEN) != minute:
                session[SEEN] = minute  # modified: SessionMiddleware saves it
        return response


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(ALLOWED_PREFIXES):
            return self.get_response(request)
        if getattr(user, "must_change_password", False):
            return redirect(reverse("profile"))
        # A clearance raised to Tối mật while signed in: the session goes no further without
        # the second factor.
        if getattr(user, "totp_required", False) and not user.totp_enrolled:
            return redirect(reverse("totp-enroll"))
        return self.get_response(request)
