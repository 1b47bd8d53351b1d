"""Sign-in (password, then the second factor), sign-out, and account administration."""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoso.access import lockout, policy, totp
from hoso.access.middleware import client_ip
from hoso.access.models import AccessRequest, ApiToken, Grant, LoginAttempt, User
from hoso.access.roles import Clearance
from hoso.accounts import actions
from hoso.accounts.forms import (
    AccountForm,
    ClearanceForm,
    CodeForm,
    DecisionForm,
    GrantForm,
    LoginForm,
    PasswordChangeForm,
    TokenForm,
)
from hoso.audit import events
from hoso.audit.chain import record
from hoso.lib import query, vault

PENDING = "hoso_pending_login"
PENDING_SECONDS = 300
PENDING_SECRET = "session.hoso_totp_secret"  # noqa: S105 # the encryption context, not a secret
Outcome = LoginAttempt.Outcome


def _fail(request: HttpRequest, username: str, event: str, user: User | None = None) -> None:
    ip = client_ip(request)
    with transaction.atomic():
        lockout.note(username, ip, Outcome.FAILURE)
        record(
            event,
            actor=None,
            obj=user,
            organization=user.organization if user else None,
            details={"username": username},
        )
        if lockout.account_locked(username) or lockout.address_locked(ip):
            record(
                events.LOCKOUT.code,
                obj=user,
                organization=user.organization if user else None,
                details={"username": username},
            )


def _locked_message(request: HttpRequest, username: str) -> str | None:
    if lockout.account_locked(username) or lockout.address_locked(client_ip(request)):
        return _("Too many failed attempts. Try again in a few minutes or ask an administrator.")
    return None


def _finish_login(request: HttpRequest, user: User) -> HttpResponse:
    request.session.pop(PENDING, None)
    with transaction.atomic():
        lockout.note(user.username, client_ip(request), Outcome.SUCCESS)
        login(request, user, backend="hoso.access.backends.Backend")
        record(events.LOGIN.code, actor=user, obj=user, organization=user.organization)
    return redirect("home")


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    user: User | None = User.objects.filter(pk=pending["user"], is_active=True).first()
    return user


@login_not_required
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        error = _locked_message(request, username)
        if error is None:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                known = User.objects.filter(username=username).first()
                _fail(request, username, events.LOGIN_FAILED.code, known)
                error = _locked_message(request, username) or _("Wrong username or password.")
            else:
                assert isinstance(user, User)
                if not user.totp_enrolled and not user.totp_required:
                    return _finish_login(request, user)
                request.session.cycle_key()
                request.session[PENDING] = {"user": user.pk, "at": time.time()}
                return redirect("login-otp" if user.totp_enrolled else "totp-enroll")
    return render(request, "accounts/login.html", {"form": form, "error": error})


@login_not_required
def login_otp(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None or not user.totp_enrolled:
        return redirect("login")
    form = CodeForm(request.POST or None)
    error = _locked_message(request, user.username)
    if request.method == "POST" and form.is_valid() and error is None:
        if totp.verify_user(user, form.cleaned_data["code"]):
            return _finish_login(request, user)
        _fail(request, user.username, events.OTP_FAILED.code, user)
        error = _locked_message(request, user.username) or _("Wrong or already used code.")
    return render(request, "accounts/login_otp.html", {"form": form, "error": error})


@login_not_required
def totp_enroll(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: while signing in (required) or later from the profile."""
    signed_in = request.user.is_authenticated
    user = request.user if signed_in else _pending_user(request)
    if user is None:
        return redirect("login")
    assert isinstance(user, User)
    # The sessions live in the database: the secret not yet confirmed is encrypted there too.
    pending = request.session.get("hoso_totp_secret")
    secret = vault.open_(pending, PENDING_SECRET) if pending else totp.new_secret()
    request.session["hoso_totp_secret"] = vault.seal(secret, PENDING_SECRET)
    form = CodeForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        step = totp.matching_step(secret, form.cleaned_data["code"])
        if step:
            actions.enrol_totp(user, secret, step)
            request.session.pop("hoso_totp_secret", None)
            if signed_in:
                messages.success(request, _("The second factor is now on for your account."))
                return redirect("profile")
            return _finish_login(request, user)
        error = _("The code does not match. Check the time on your phone and try again.")
    uri = totp.provisioning_uri(secret, user.username)
    return render(
        request,
        "accounts/totp_enroll.html",
        {
            "form": form,
            "error": error,
            "secret": secret,
            "qr": totp.qr_svg(uri),
            "required": user.totp_required,
        },
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if isinstance(user, User):
        with transaction.atomic():
            record(
                events.LOGOUT.code,
                actor=user,
                obj=user,
                organization=user.organization,
            )
    logout(request)
    return redirect("login")


def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not user.check_password(form.cleaned_data["old_password"]):
            form.add_error("old_password", _("The current password is wrong."))
        else:
            try:
                actions.change_password(user, form.cleaned_data["new_password"])
            except ValidationError as exc:
                form.add_error("new_password", exc)
            else:
                from django.contrib.auth import update_session_auth_hash

                update_session_auth_hash(request, user)
                messages.success(request, _("Password changed."))
                return redirect("profile")
    grants = user.grants.select_related("organization")
    return render(request, "accounts/profile.html", {"form": form, "grants": grants})


def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens: made here (the token shown once, on this answer only),
    listed, revoked."""
    user = request.user
    assert isinstance(user, User)
    form = TokenForm(request.POST or None)
    shown = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _token, shown = actions.create_token(user, data["name"], data["scope"], data["days"])
        form = TokenForm()
    listed = ApiToken.objects.filter(user=user)
    response = render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": listed, "shown": shown, "now": timezone.now()},
    )
    response["Cache-Control"] = "no-store"  # the token shown once is kept by no cache
    return response


@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    token = get_object_or_404(ApiToken, pk=pk, user=user, revoked_at__isnull=True)
    actions.revoke_token(user, token)
    messages.success(request, _("Token revoked."))
    return redirect("api-tokens")


# ---- account administration ---------------------------------------------------------------


def account_list(request: HttpRequest) -> HttpResponse:
    accounts = (
        User.objects.visible_to(request.user)
        .select_related("organization")
        .order_by("username")[:500]
    )
    return render(request, "accounts/account_list.html", {"accounts": accounts})


def account_new(request: HttpRequest) -> HttpResponse:
    if not policy.scope_paths(request.user, policy.Action.ACCOUNT_MANAGE):
        raise Http404
    form = AccountForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if User.objects.filter(username=data["username"]).exists():
            form.add_error("username", _("This username is taken."))
        else:
            try:
                user = actions.create_account(request.user, **data)  # type: ignore[arg-type]
            except ValidationError as exc:
                form.add_error("password", exc)
            except actions.AccessError as exc:
                form.add_error("reason", str(exc))
            else:
                if data["clearance"]:
                    messages.info(request, _("The clearance waits for approval."))
                return redirect("account-detail", pk=user.pk)
    return render(request, "accounts/account_form.html", {"form": form})


def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    actor: Any = request.user
    grant_form = GrantForm(actor=actor)
    clearance_form = ClearanceForm(
        initial={"clearance": account.clearance, "is_active": account.is_active}
    )
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "grant":
                grant_form = GrantForm(request.POST, actor=actor)
                if grant_form.is_valid():
                    data = grant_form.cleaned_data
                    made = actions.add_grant(
                        actor, account, data["organization"], data["role"], data["reason"]
                    )
                    _say_if_pending(request, made)
                    return redirect("account-detail", pk=pk)
            elif op == "revoke":
                grant = get_object_or_404(
                    Grant, pk=query.record_id(request.POST, "grant"), user=account
                )
                actions.remove_grant(actor, grant)
                return redirect("account-detail", pk=pk)
            elif op == "unlock":
                actions.unlock(actor, account)
                messages.success(request, _("Account unlocked."))
                return redirect("account-detail", pk=pk)
            elif op == "update":
                clearance_form = ClearanceForm(request.POST)
                if clearance_form.is_valid():
                    data = clearance_form.cleaned_data
                    asked = data["clearance"] > account.clearance
                    actions.update_account(
                        actor,
                        account,
                        reason=data["reason"],
                        clearance=data["clearance"],
                        is_active=data["is_active"],
                    )
                    if asked:
                        messages.info(request, _("The higher clearance waits for approval."))
                    return redirect("account-detail", pk=pk)
        except actions.AccessError as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "accounts/account_detail.html",
        {
            "account": account,
            "grants": account.grants.select_related("organization"),
            "grant_form": grant_form,
            "clearance_form": clearance_form,
            "locked": lockout.account_locked(account.username),
            "may_change": policy.may_change_access(actor, account, None),
            "requests": account.access_requests.select_related("organization", "requested_by")[:20],
        },
    )


def _say_if_pending(request: HttpRequest, made: object) -> None:
    if isinstance(made, AccessRequest):
        messages.info(request, _("The grant waits for the approval of a head or leader above it."))


def access_requests(request: HttpRequest) -> HttpResponse:
    """What waits for a second person: for approvers, what they may decide; for
    administrators, what they asked."""
    user: Any = request.user
    if not (
        policy.scope_paths(user, policy.Action.ACCOUNT_MANAGE)
        or policy.scope_paths(user, policy.Action.ACCESS_APPROVE)
    ):
        raise Http404
    show_all = request.GET.get("state") == "all"
    asked = AccessRequest.objects.waiting_for(user).select_related(
        "user", "organization", "requested_by", "decided_by"
    )
    if not show_all:
        asked = asked.filter(state=AccessRequest.State.PENDING)
    rows = [
        (
            item,
            policy.may_decide_access(
                user, item.user_id, item.requested_by_id, item.organization, item.clearance or 0
            ),
            policy.can(user, policy.Action.ACCOUNT_MANAGE, item.organization),
            _why_not(user, item),
        )
        for item in asked[:200]
    ]
    return render(
        request,
        "accounts/access_requests.html",
        {"rows": rows, "show_all": show_all, "needs_code": Clearance.SECRET},
    )


def _why_not(user: Any, item: AccessRequest) -> str:
    """Why this user cannot decide a pending request, in words (empty if they can or it is
    not theirs to decide at all)."""
    if user.pk in {item.user_id, item.requested_by_id}:
        return str(_("It concerns you or you asked for it: another person decides."))
    if not policy.can(user, policy.Action.ACCESS_APPROVE, item.organization):
        return ""
    if (item.clearance or 0) > user.clearance:
        return str(
            _("Needs an approver holding at least: %(level)s.")
            % {"level": item.get_clearance_display()}
        )
    return ""


@require_POST
def access_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    asked = get_object_or_404(AccessRequest.objects.waiting_for(user), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve, refuse or withdraw."))
        return redirect("access-requests")
    data = form.cleaned_data
    try:
        if data["op"] == "approve":
            actions.approve_access(user, asked, note=data["note"], code=data["code"])
            messages.success(request, _("Approved: the access now applies."))
        elif data["op"] == "refuse":
            actions.refuse_access(user, asked, note=data["note"])
            messages.success(request, _("Refused."))
        else:
            actions.withdraw_access_request(user, asked)
            messages.success(request, _("Withdrawn."))
    except actions.AccessError as exc:
        messages.error(request, str(exc))
    return redirect("access-requests")
