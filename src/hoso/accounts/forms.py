"""Forms of the sign-in and accounts pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from hoso.access import policy, tokens
from hoso.access.models import TokenScope
from hoso.access.roles import Clearance, Role
from hoso.orgs.forms import OrgPickerField, limit_orgs


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code from the authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class AccountForm(forms.Form):
    username = forms.SlugField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    organization = OrgPickerField(label=_("Home organization"))
    clearance = forms.TypedChoiceField(
        label=_("Clearance"), choices=Clearance.choices, coerce=int, initial=0
    )
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput,
        help_text=password_validators_help_text_html,
    )
    reason = forms.CharField(label=_("Reason / decision reference"), required=False, max_length=500)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_orgs(self, "organization", actor, policy.Action.ACCOUNT_MANAGE)


class GrantForm(forms.Form):
    organization = OrgPickerField(label=_("Organization"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    reason = forms.CharField(
        label=_("Reason / decision reference"),
        max_length=500,
        required=False,
        help_text=_("Roles that read dossiers wait for the approval of a head or leader."),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_orgs(self, "organization", actor, policy.Action.ACCOUNT_MANAGE)


class ClearanceForm(forms.Form):
    clearance = forms.TypedChoiceField(
        label=_("Clearance"),
        choices=Clearance.choices,
        coerce=int,
        help_text=_("A higher clearance waits for the approval of a head or leader."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False)
    reason = forms.CharField(label=_("Reason / decision reference"), max_length=500)


class DecisionForm(forms.Form):
    """Approve, refuse or withdraw a pending grant or clearance."""

    op = forms.ChoiceField(
        choices=[("approve", "approve"), ("refuse", "refuse"), ("withdraw", "withdraw")]
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput)
    new_password = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput,
        help_text=password_validators_help_text_html,
    )


class TokenForm(forms.Form):
    """A new API token of one's own (access/tokens.py)."""

    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What uses it, e.g. the province's HR system.")
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=TokenScope.choices)
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=tokens.MAX_DAYS,
        initial=tokens.DEFAULT_DAYS,
    )
