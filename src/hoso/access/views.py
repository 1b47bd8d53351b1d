"""Sign-in (password, then the second factor), sign-out, and account administration."""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoso.access import actions, lockout, policy, totp
from hoso.access.forms import (
    AccountForm,
    ClearanceForm,
    CodeForm,
    GrantForm,
    LoginForm,
    PasswordChangeForm,
)
from hoso.access.models import Grant, LoginAttempt, User
from hoso.audit import events
from hoso.audit.chain import client_ip, record

PENDING = "hoso_pending_login"
PENDING_SECONDS = 300
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
            request=request,
        )
        if lockout.account_locked(username) or lockout.address_locked(ip):
            record(
                events.LOCKOUT.code,
                obj=user,
                organization=user.organization if user else None,
                details={"username": username},
                request=request,
            )


def _locked_message(request: HttpRequest, username: str) -> str | None:
    if lockout.account_locked(username) or lockout.address_locked(client_ip(request)):
        return _("Too many failed attempts. Try again in a few minutes or ask an administrator.")
    return None


def _finish_login(request: HttpRequest, user: User) -> HttpResponse:
    request.session.pop(PENDING, None)
    with transaction.atomic():
        lockout.note(user.username, client_ip(request), Outcome.SUCCESS)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        record(
            events.LOGIN.code, actor=user, obj=user, organization=user.organization, request=request
        )
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
    return render(request, "access/login.html", {"form": form, "error": error})


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
    return render(request, "access/login_otp.html", {"form": form, "error": error})


@login_not_required
def totp_enroll(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: while signing in (required) or later from the profile."""
    signed_in = request.user.is_authenticated
    user = request.user if signed_in else _pending_user(request)
    if user is None:
        return redirect("login")
    assert isinstance(user, User)
    secret = request.session.get("hoso_totp_secret") or totp.new_secret()
    request.session["hoso_totp_secret"] = secret
    form = CodeForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        step = totp.matching_step(secret, form.cleaned_data["code"])
        if step:
            from django.utils import timezone

            with transaction.atomic():
                user.totp_secret = secret
                user.totp_confirmed_at = timezone.now()
                user.totp_last_step = step
                user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
                record(
                    events.OTP_ENROLLED.code,
                    actor=user,
                    obj=user,
                    organization=user.organization,
                    request=request,
                )
            request.session.pop("hoso_totp_secret", None)
            if signed_in:
                messages.success(request, _("The second factor is now on for your account."))
                return redirect("profile")
            return _finish_login(request, user)
        error = _("The code does not match. Check the time on your phone and try again.")
    uri = totp.provisioning_uri(secret, user.username)
    return render(
        request,
        "access/totp_enroll.html",
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
        record(
            events.LOGOUT.code,
            actor=user,
            obj=user,
            organization=user.organization,
            request=request,
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
                actions.change_password(user, form.cleaned_data["new_password"], request)
            except ValidationError as exc:
                form.add_error("new_password", exc)
            else:
                from django.contrib.auth import update_session_auth_hash

                update_session_auth_hash(request, user)
                messages.success(request, _("Password changed."))
                return redirect("profile")
    grants = user.grants.select_related("organization")
    return render(request, "access/profile.html", {"form": form, "grants": grants})


# ---- account administration ---------------------------------------------------------------


def account_list(request: HttpRequest) -> HttpResponse:
    accounts = (
        User.objects.visible_to(request.user)
        .select_related("organization")
        .order_by("username")[:500]
    )
    return render(request, "access/account_list.html", {"accounts": accounts})


def account_new(request: HttpRequest) -> HttpResponse:
    if not policy.scope_paths(request.user, policy.Action.ACCOUNT_MANAGE):
        from django.http import Http404

        raise Http404
    form = AccountForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if User.objects.filter(username=data["username"]).exists():
            form.add_error("username", _("This username is taken."))
        else:
            try:
                user = actions.create_account(request.user, request=request, **data)  # type: ignore[arg-type]
            except ValidationError as exc:
                form.add_error("password", exc)
            else:
                return redirect("account-detail", pk=user.pk)
    return render(request, "access/account_form.html", {"form": form})


def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    actor: Any = request.user
    grant_form = GrantForm(actor=actor)
    clearance_form = ClearanceForm(
        initial={"clearance": account.clearance, "is_active": account.is_active}
    )
    if request.method == "POST":
        op = request.POST.get("op")
        if op == "grant":
            grant_form = GrantForm(request.POST, actor=actor)
            if grant_form.is_valid():
                actions.add_grant(
                    actor,
                    account,
                    grant_form.cleaned_data["organization"],
                    grant_form.cleaned_data["role"],
                    request,
                )
                return redirect("account-detail", pk=pk)
        elif op == "revoke":
            grant = get_object_or_404(Grant, pk=request.POST.get("grant"), user=account)
            actions.remove_grant(actor, grant, request)
            return redirect("account-detail", pk=pk)
        elif op == "unlock":
            actions.unlock(actor, account, request)
            messages.success(request, _("Account unlocked."))
            return redirect("account-detail", pk=pk)
        elif op == "update":
            clearance_form = ClearanceForm(request.POST)
            if clearance_form.is_valid():
                data = clearance_form.cleaned_data
                actions.update_account(
                    actor,
                    account,
                    reason=data["reason"],
                    request=request,
                    clearance=data["clearance"],
                    is_active=data["is_active"],
                )
                return redirect("account-detail", pk=pk)
    return render(
        request,
        "access/account_detail.html",
        {
            "account": account,
            "grants": account.grants.select_related("organization"),
            "grant_form": grant_form,
            "clearance_form": clearance_form,
            "locked": lockout.account_locked(account.username),
        },
    )
