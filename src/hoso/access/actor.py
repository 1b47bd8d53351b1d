"""The acting user of a request, typed: views call actions with it."""

from __future__ import annotations

from django.http import HttpRequest

from hoso.access.models import User


def acting_user(request: HttpRequest) -> User:
    """The signed-in user. Every view but the public ones runs behind the login middleware."""
    user = request.user
    assert isinstance(user, User), "views reached without a signed-in user"
    return user
