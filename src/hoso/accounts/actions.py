"""Account actions: each checks the policy, runs in a transaction and writes its audit event."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.access import lockout, policy, tokens, totp
from hoso.access.models import AccessRequest, ApiToken, Grant, LoginAttempt, TokenScope, User
from hoso.access.roles import Clearance
from hoso.audit import events
from hoso.audit.chain import record

if TYPE_CHECKING:
    from hoso.orgs.models import Organization

MANAGE = policy.Action.ACCOUNT_MANAGE
PENDING = AccessRequest.State.PENDING


def create_account(
    actor: User,
    *,
    username: str,
    full_name: str,
    organization: Organization,
    password: str,
    clearance: int = 0,
    reason: str = "",
) -> User:
    """A new account, with no clearance until a second person approves the one asked for."""
    policy.require(actor, MANAGE, organization)
    # The administrator knows the initial password, so its owner must replace it.
    user = User(
        username=username,
        full_name=full_name,
        organization=organization,
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
            details={"username": username, "clearance_asked": clearance},
        )
        if clearance:
            _ask(actor, user, AccessRequest.Kind.CLEARANCE, organization, reason,
                 clearance=clearance)  # fmt: skip
    return user


def update_account(actor: User, user: User, *, reason: str, **changes: Any) -> User:
    """Change full name, active flag or clearance. A clearance change needs a reason; a lower
    clearance applies at once, a higher one waits for a second person's approval."""
    if not policy.may_change_access(actor, user, None):
        raise policy.Denied(MANAGE)
    allowed = {"full_name", "clearance", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    if "clearance" in changes and changes["clearance"] != user.clearance and not reason:
        raise ValueError("a clearance change needs a reason (the decision that grants it)")
    # A raise is asked for, not applied; unchanged values are not written (nor audited).
    asked = changes.pop("clearance") if changes.get("clearance", 0) > user.clearance else None
    changes = {key: value for key, value in changes.items() if getattr(user, key) != value}
    with transaction.atomic():
        if changes:
            before = {key: getattr(user, key) for key in changes}
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
            )
        if asked is not None:
            _ask(actor, user, AccessRequest.Kind.CLEARANCE, _home(user), reason,
                 clearance=asked)  # fmt: skip
    return user


def add_grant(
    actor: User,
    user: User,
    organization: Organization,
    role: str,
    reason: str = "",
) -> Grant | AccessRequest:
    """Grant a role on an organization. A role that reads dossiers is only asked for: the
    grant exists once a head or leader above the organization approves it."""
    if not policy.may_change_access(actor, user, organization):
        raise policy.Denied(MANAGE)
    if role in policy.DOSSIER_ROLES:
        with transaction.atomic():
            return _ask(actor, user, AccessRequest.Kind.GRANT, organization, reason,
                        role=role)  # fmt: skip
    with transaction.atomic():
        grant, _ = Grant.objects.get_or_create(
            user=user, organization=organization, role=role, defaults={"created_by": actor}
        )
        record(
            events.GRANT_ADDED.code,
            actor=actor,
            obj=user,
            organization=organization,
            reason=reason,
            details={"role": role, "organization": organization.code},
        )
    policy.forget(user)
    return grant


def remove_grant(actor: User, grant: Grant) -> None:
    if not policy.may_change_access(actor, grant.user, grant.organization):
        raise policy.Denied(MANAGE)
    with transaction.atomic():
        record(
            events.GRANT_REMOVED.code,
            actor=actor,
            obj=grant.user,
            organization=grant.organization,
            details={"role": grant.role, "organization": grant.organization.code},
        )
        grant.delete()
    policy.forget(grant.user)


# ---- grants and clearances that wait for a second person ----------------------------------


class AccessError(ValueError):
    """The request cannot be decided as asked; the message says why."""


def _home(user: User) -> Organization:
    if user.organization is None:
        raise AccessError(_("The account has no home organization."))
    return user.organization


def _ask(
    actor: User,
    user: User,
    kind: str,
    organization: Organization,
    reason: str,
    *,
    role: str = "",
    clearance: int | None = None,
) -> AccessRequest:
    if not reason.strip():
        raise AccessError(_("Give the reason or the decision that grants this access."))
    if AccessRequest.objects.filter(
        user=user, kind=kind, organization=organization, role=role, state=PENDING
    ).exists():
        raise AccessError(_("The same request is already waiting for approval."))
    asked = AccessRequest.objects.create(
        user=user,
        kind=kind,
        organization=organization,
        role=role,
        clearance=clearance,
        reason=reason.strip(),
        requested_by=actor,
    )
    record(
        events.ACCESS_REQUESTED.code,
        actor=actor,
        obj=user,
        organization=organization,
        reason=asked.reason,
        details=_describe(asked),
    )
    return asked


def _describe(asked: AccessRequest) -> dict[str, Any]:
    return {
        "request": asked.pk,
        "kind": asked.kind,
        "role": asked.role,
        "clearance": asked.clearance,
        "organization": asked.organization.code,
        "account": asked.user.username,
    }


def _decidable(approver: User, asked: AccessRequest) -> AccessRequest:
    """The request, locked, if `approver` may decide it now."""
    locked = AccessRequest.objects.select_for_update().select_related("user", "organization")
    current = locked.get(pk=asked.pk)
    if current.state != PENDING:
        raise AccessError(_("This request has already been decided."))
    if not policy.may_decide_access(
        approver,
        current.user_id,
        current.requested_by_id,
        current.organization,
        current.clearance or 0,
    ):
        raise policy.Denied(policy.Action.ACCESS_APPROVE)
    return current


def approve_access(
    approver: User,
    asked: AccessRequest,
    *,
    note: str = "",
    code: str = "",
) -> AccessRequest:
    """Apply a pending grant or clearance. Raising a clearance to Tối mật or above also takes
    the approver's second factor, typed now."""
    with transaction.atomic():
        current = _decidable(approver, asked)
        second_factor = approver.totp_enrolled and totp.verify_user(approver, code)
        if (current.clearance or 0) >= Clearance.SECRET and not second_factor:
            raise AccessError(_("Type the current code of your authenticator app to approve."))
        before = current.user.clearance
        if current.kind == AccessRequest.Kind.GRANT:
            Grant.objects.get_or_create(
                user=current.user,
                organization=current.organization,
                role=current.role,
                defaults={"created_by": current.requested_by},
            )
        else:
            current.user.clearance = current.clearance or 0
            current.user.save(update_fields=["clearance"])
        _decide(current, approver, AccessRequest.State.APPROVED, note)
        record(
            events.ACCESS_APPROVED.code,
            actor=approver,
            obj=current.user,
            organization=current.organization,
            reason=note,
            details={**_describe(current), "clearance_before": before},
        )
    policy.forget(current.user)
    return current


def refuse_access(approver: User, asked: AccessRequest, *, note: str) -> AccessRequest:
    if not note.strip():
        raise AccessError(_("Say why the request is refused."))
    with transaction.atomic():
        current = _decidable(approver, asked)
        _decide(current, approver, AccessRequest.State.REFUSED, note)
        record(
            events.ACCESS_REFUSED.code,
            actor=approver,
            obj=current.user,
            organization=current.organization,
            reason=note,
            details=_describe(current),
        )
    return current


def withdraw_access_request(actor: User, asked: AccessRequest) -> AccessRequest:
    """The administrator who asked (or another above the organization) takes it back."""
    with transaction.atomic():
        current = AccessRequest.objects.select_for_update().get(pk=asked.pk)
        if current.state != PENDING:
            raise AccessError(_("This request has already been decided."))
        if not policy.can(actor, MANAGE, current.organization):
            raise policy.Denied(MANAGE)
        _decide(current, actor, AccessRequest.State.WITHDRAWN, "")
        record(
            events.ACCESS_WITHDRAWN.code,
            actor=actor,
            obj=current.user,
            organization=current.organization,
            details=_describe(current),
        )
    return current


def _decide(current: AccessRequest, actor: User, state: str, note: str) -> None:
    current.state = state
    current.decided_by = actor
    current.decided_at = timezone.now()
    current.decision_note = note.strip()
    current.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])


# ---- accounts made on the host: the first installation and the demo -----------------------


def bootstrap_account(
    *,
    username: str,
    full_name: str,
    organization: Organization,
    role: str,
    clearance: int,
    password: str,
    source: str,
    must_change_password: bool = False,
) -> User:
    """An account with its grant and clearance, made by whoever holds the machine (`hoso
    bootstrap`, `hoso demo`): there is nobody yet to approve it, so it is audited as such."""
    with transaction.atomic():
        user: User = User.objects.get_or_create(username=username)[0]
        user.full_name, user.organization, user.clearance = full_name, organization, clearance
        user.must_change_password = must_change_password
        user.set_password(password)
        user.save()
        Grant.objects.get_or_create(user=user, organization=organization, role=role)
        record(
            events.BOOTSTRAP.code,
            obj=user,
            organization=organization,
            details={
                "source": source,
                "account": username,
                "role": role,
                "organization": organization.code,
                "clearance": clearance,
            },
        )
    policy.forget(user)
    return user


def unlock(actor: User, user: User) -> None:
    policy.require(actor, MANAGE, user.organization)
    with transaction.atomic():
        lockout.note(user.username, None, LoginAttempt.Outcome.UNLOCK)
        record(
            events.UNLOCK.code,
            actor=actor,
            obj=user,
            organization=user.organization,
        )


def change_password(user: User, password: str) -> None:
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
        )


def enrol_totp(user: User, secret: str, step: int) -> None:
    """The user's authenticator app, confirmed by a code (`step` is that code's time step,
    so the same code cannot be replayed to sign in)."""
    with transaction.atomic():
        user.totp_secret = secret
        user.totp_confirmed_at = timezone.now()
        user.totp_last_step = step
        user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
        record(events.OTP_ENROLLED.code, actor=user, obj=user, organization=user.organization)


# ---- API tokens (access/tokens.py) ------------------------------------------------------------


def create_token(actor: User, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """A token of the actor's own (nobody makes one for someone else), and its text, shown
    once. Named, read-only or acting, expiring after `days` (at most a year)."""
    name = name.strip()
    if not name or scope not in TokenScope.values or not 1 <= days <= tokens.MAX_DAYS:
        raise ValueError("a token needs a name, a scope and 1 to 365 days")
    with transaction.atomic():
        prefix, text, digest = tokens.new_secret()
        token = ApiToken.objects.create(
            user=actor,
            name=name,
            prefix=prefix,
            digest=digest,
            scope=scope,
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        details = {
            "token": token.pk,
            "name": name,
            "scope": scope,
            "expires": f"{token.expires_at:%Y-%m-%d}",
        }
        record(events.TOKEN_CREATED.code, actor=actor, obj=actor, organization=actor.organization,
               details=details)  # fmt: skip
    return token, text


def revoke_token(actor: User, token: ApiToken) -> ApiToken:
    """The owner revokes their token; it answers no request after this."""
    if token.user_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(events.TOKEN_REVOKED.code, actor=actor, obj=actor, organization=actor.organization,
               details={"token": token.pk, "name": token.name})  # fmt: skip
    return token


def token_used(token: ApiToken, method: str, path: str) -> None:
    """One audit event per request through a token (what was asked, not what was answered)."""
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        record(
            events.TOKEN_USED.code,
            actor=token.user,
            organization=token.user.organization,
            details={"token": token.pk, "name": token.name, "method": method, "path": path},
        )
