"""Lockout after repeated failed logins, per account and per client address.

Failures count inside a sliding window of LOCKOUT_MINUTES and are reset for an account by a
success or an administrator's unlock.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from hoso.access.models import LoginAttempt

Outcome = LoginAttempt.Outcome


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.LOCKOUT_MINUTES)


def _normal(username: str) -> str:
    return username.strip().lower()[:150]


def account_locked(username: str) -> bool:
    name = _normal(username)
    since = _window_start()
    reset = (
        LoginAttempt.objects.filter(username=name, at__gte=since)
        .exclude(outcome=Outcome.FAILURE)
        .aggregate(last=Max("at"))["last"]
    )
    failures = LoginAttempt.objects.filter(
        username=name, outcome=Outcome.FAILURE, at__gte=max(since, reset) if reset else since
    )
    return failures.count() >= settings.LOCKOUT_ACCOUNT_ATTEMPTS


def address_locked(ip: str | None) -> bool:
    if not ip:
        return False
    failures = LoginAttempt.objects.filter(ip=ip, outcome=Outcome.FAILURE, at__gte=_window_start())
    return failures.count() >= settings.LOCKOUT_ADDRESS_ATTEMPTS


def note(username: str, ip: str | None, outcome: str) -> None:
    LoginAttempt.objects.create(username=_normal(username), ip=ip, outcome=outcome)
