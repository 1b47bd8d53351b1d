from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.forms import DateField
from hoso.orgs.models import Level, Organization


class OrgChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * (obj.depth - 1)}{obj.name} ({obj.code})"


def scoped_orgs(user: Any, action: str) -> Any:
    return Organization.objects.visible_to(user, action).filter(valid_to__isnull=True)


def limit_orgs(form: forms.BaseForm, field: str, user: Any, action: str) -> None:
    """Offer only the open organizations where the user may do `action`."""
    choice = form.fields[field]
    assert isinstance(choice, forms.ModelChoiceField)
    choice.queryset = scoped_orgs(user, action)


TERM_AHEAD = dt.timedelta(days=11 * 366)  # a committee term (five years) may be entered whole


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    code = forms.CharField(
        label=_("Code"), max_length=32, help_text=_("Used in document numbers, e.g. BTCTU.")
    )
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    valid_from = DateField(label=_("Founded on"), required=False)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip().upper()
        if Organization.objects.filter(code=code).exists():
            raise forms.ValidationError(_("This code is already used by another organization."))
        return code


class RenameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    reason = forms.CharField(label=_("Reason / decision reference"), max_length=500)


class MoveForm(forms.Form):
    new_parent = OrgChoiceField(label=_("New parent"), queryset=Organization.objects.none())
    reason = forms.CharField(label=_("Reason / decision reference"), max_length=500)

    def __init__(self, *args: Any, actor: Any, node: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["new_parent"]
        assert isinstance(field, forms.ModelChoiceField)
        # Neither the node itself nor its own units can become its parent.
        targets = scoped_orgs(actor, policy.Action.ORG_MANAGE)
        field.queryset = targets.exclude(path__startswith=node.path)


class CloseForm(forms.Form):
    closed_on = DateField(label=_("Closed on"))
    reason = forms.CharField(label=_("Reason / decision reference"), max_length=500)


class TermForm(forms.Form):
    name = forms.CharField(label=_("Term"), max_length=64, help_text=_("e.g. 2025-2030"))
    starts_on = DateField(label=_("Starts on"))
    ends_on = DateField(label=_("Ends on"), required=False, future=TERM_AHEAD)
