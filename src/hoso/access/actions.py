"""Account actions: each checks the policy, runs in a transaction and writes its audit event."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.http import HttpRequest

from hoso.access import lockout, policy
from hoso.access.models import Grant, LoginAttempt, User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.orgs.models import Organization

MANAGE = policy.Action.ACCOUNT_MANAGE


def create_account(
    actor: User,
    *,
    username: str,
    full_name: str,
    organization: Organization,
    password: str,
    clearance: int = 0,
    reason: str = "",
    request: HttpRequest | None = None,
) -> User:
    policy.require(actor, MANAGE, organization)
    # The administrator knows the initial password, so its owner must replace it.
    user = User(
        username=username,
        full_name=full_name,
        organization=organization,
        clearance=clearance,
        must_change_password=True,
    )
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        record(
            events.ACCOUNT_CREATED.code,
            actor=actor,
            obj=user,
            organization=organization,
            reason=reason,
            details={"username": username, "clearance": clearance},
            request=request,
        )
    return user


def update_account(
    actor: User, user: User, *, reason: str, request: HttpRequest | None = None, **changes: Any
) -> User:
    """Change full name, clearance or active flag. A clearance change needs a reason."""
    policy.require(actor, MANAGE, user.organization)
    allowed = {"full_name", "clearance", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    if "clearance" in changes and changes["clearance"] != user.clearance and not reason:
        raise ValueError("a clearance change needs a reason (the decision that grants it)")
    before = {key: getattr(user, key) for key in changes}
    with transaction.atomic():
        for key, value in changes.items():
            setattr(user, key, value)
        user.save(update_fields=list(changes))
        record(
            events.ACCOUNT_UPDATED.code,
            actor=actor,
            obj=user,
            organization=user.organization,
            reason=reason,
            details={"before": before, "after": changes},
            request=request,
        )
    return user


def add_grant(
    actor: User,
    user: User,
    organization: Organization,
    role: str,
    request: HttpRequest | None = None,
) -> Grant:
    policy.require(actor, MANAGE, user.organization)
    policy.require(actor, MANAGE, organization)
    with transaction.atomic():
        grant, _ = Grant.objects.get_or_create(
            user=user, organization=organization, role=role, defaults={"created_by": actor}
        )
        record(
            events.GRANT_ADDED.code,
            actor=actor,
            obj=user,
            organization=organization,
            details={"role": role, "organization": organization.code},
            request=request,
        )
    policy.forget(user)
    return grant


def remove_grant(actor: User, grant: Grant, request: HttpRequest | None = None) -> None:
    policy.require(actor, MANAGE, grant.user.organization)
    policy.require(actor, MANAGE, grant.organization)
    with transaction.atomic():
        record(
            events.GRANT_REMOVED.code,
            actor=actor,
            obj=grant.user,
            organization=grant.organization,
            details={"role": grant.role, "organization": grant.organization.code},
            request=request,
        )
        grant.delete()
    policy.forget(grant.user)


def unlock(actor: User, user: User, request: HttpRequest | None = None) -> None:
    policy.require(actor, MANAGE, user.organization)
    with transaction.atomic():
        lockout.note(user.username, None, LoginAttempt.Outcome.UNLOCK)
        record(
            events.UNLOCK.code,
            actor=actor,
            obj=user,
            organization=user.organization,
            request=request,
        )


def change_password(user: User, password: str, request: HttpRequest | None = None) -> None:
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        record(
            events.PASSWORD_CHANGED.code,
            actor=user,
            obj=user,
            organization=user.organization,
            request=request,
        )
