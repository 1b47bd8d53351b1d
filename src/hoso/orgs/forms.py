from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.forms import DateField
from hoso.lib import query
from hoso.orgs import search
from hoso.orgs.models import ABBREVIATION, Level, Organization


class OrgChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A <select> of organizations: for short, fixed lists (a committee and the line above
    it). A list that grows with the user's scope takes `OrgPickerField`."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * (obj.depth - 1)}{obj.name} ({obj.code})"


class OrgPicker(forms.Widget):
    """A text box that searches as one types (htmx, `GET /orgs/pick/`), the results' list
    (arrow keys and Enter, `web/static/hoso/hoso.js`) and the chosen id in a hidden input.

    The hidden input stays disabled until a result is picked, so a form posted without
    JavaScript, or typed into without picking, sends only the text, which the field resolves
    (`search.resolve`: an id, a code, "Name (CODE)" or an exact name)."""

    template_name = "orgs/widgets/picker.html"
    TEXT = "-q"  # suffix of the text box's name

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.action: str = policy.Action.ORG_VIEW
        self.closed = self.above = False
        self.not_under: int | None = None
        self.choices: Any = ()  # ModelChoiceField sets its iterator, whose queryset is scoped

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name) or data.get(name + self.TEXT) or None

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and name + self.TEXT not in data

    def _text(self, value: Any) -> str:
        """The text box's value: the chosen organization's label, or what was typed. An id is
        looked up in the field's scoped queryset only: a foreign id posted shows nothing."""
        if value in (None, ""):
            return ""
        if isinstance(value, Organization):
            return search.label(value)
        queryset = getattr(self.choices, "queryset", None)
        pk = query.as_id(str(value))
        if pk is None or queryset is None:
            return str(value)
        org = queryset.filter(pk=pk).first()
        return search.label(org) if org else ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["text"] = self._text(value)
        widget["text_name"] = name + self.TEXT
        wanted = {"action": str(self.action)}
        if self.closed:
            wanted["closed"] = "1"
        if self.above:
            wanted["above"] = "1"
        if self.not_under is not None:
            wanted["not_under"] = str(self.not_under)
        widget["search_url"] = f"{reverse('org-pick')}?{urlencode(wanted)}"
        widget["list_id"] = f"{widget['attrs'].get('id') or name}-list"
        return context


class OrgPickerField(OrgChoiceField):
    """An organization of the user's scope for `action`, chosen by searching its name: the
    form's `__init__` calls `limit_orgs(self, name, user, action)` (or `limit_to(user)`).
    `closed` admits closed ones, `above` the committees above the scope. The posted value is
    the id, as with a <select>; the scope is checked again here, and an id outside it is
    refused with the message of a missing one."""

    widget = OrgPicker
    default_error_messages = {
        # Without the value: an id outside the scope reads exactly as an id never used.
        "invalid_choice": _(
            "No organization of your scope has this name, code or id: type its name or code, "
            "or pick one from the list."
        ),
        "ambiguous": _(
            "Several organizations of your scope are named “%(value)s”: pick one from the "
            "list, or type its code."
        ),
    }

    def __init__(
        self,
        *,
        action: str = policy.Action.ORG_VIEW,
        closed: bool = False,
        above: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("queryset", Organization.objects.none())
        super().__init__(**kwargs)
        self.closed, self.above = closed, above
        self.search_for(action)

    def search_for(self, action: str) -> None:
        """Search (and accept, once `limit_to` runs) where the user may do `action`."""
        self.action = policy.Action(action)
        assert isinstance(self.widget, OrgPicker)
        self.widget.action = self.action
        self.widget.closed, self.widget.above = self.closed, self.above

    def limit_to(self, user: Any, *, not_under: Organization | None = None) -> None:
        """Accept (and offer) the organizations where `user` may do the field's action,
        without the subtree of `not_under` if given."""
        queryset = search.scoped(user, self.action, closed=self.closed, above=self.above)
        if not_under is not None:
            queryset = queryset.exclude(path__startswith=not_under.path)
        self.queryset = queryset
        assert isinstance(self.widget, OrgPicker)
        self.widget.not_under = not_under.pk if not_under is not None else None

    def to_python(self, value: Any) -> Organization | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Organization):
            value = value.pk
        assert self.queryset is not None
        found = search.resolve(self.queryset, str(value))
        if len(found) == 1:
            return found[0]
        code = "ambiguous" if found else "invalid_choice"
        raise forms.ValidationError(
            self.error_messages[code], code=code, params={"value": str(value)[:100]}
        )


def scoped_orgs(user: Any, action: str) -> Any:
    return search.scoped(user, action)


def limit_orgs(form: forms.BaseForm, field: str, user: Any, action: str) -> None:
    """Offer only the open organizations where the user may do `action`."""
    choice = form.fields[field]
    if isinstance(choice, OrgPickerField):
        choice.search_for(action)
        choice.limit_to(user)
        return
    assert isinstance(choice, forms.ModelChoiceField)
    choice.queryset = scoped_orgs(user, action)


TERM_AHEAD = dt.timedelta(days=11 * 366)  # a committee term (five years) may be entered whole


class AbbreviationField(forms.CharField):
    """The sign after the slash in document numbers; typed in any case, kept in capitals."""

    def __init__(self) -> None:
        super().__init__(
            label=_("Abbreviation on documents"),
            max_length=20,
            required=False,
            validators=[ABBREVIATION],
            help_text=_("E.g. BTCTU in 13-KH/BTCTU; empty: the level's usual one (TU, ĐU, CB)."),
        )

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).strip().upper()


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    code = forms.CharField(
        label=_("Code"), max_length=32, help_text=_("The unit's unique code in hoso; not printed.")
    )
    abbreviation = AbbreviationField()
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
    abbreviation = AbbreviationField()
    reason = forms.CharField(label=_("Reason / decision reference"), max_length=500)


class MoveForm(forms.Form):
    new_parent = OrgPickerField(label=_("New parent"), action=policy.Action.ORG_MANAGE)
    reason = forms.CharField(label=_("Reason / decision reference"), max_length=500)

    def __init__(self, *args: Any, actor: Any, node: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["new_parent"]
        assert isinstance(field, OrgPickerField)
        field.limit_to(actor, not_under=node)  # not under itself nor its own units


class CloseForm(forms.Form):
    closed_on = DateField(label=_("Closed on"))
    reason = forms.CharField(label=_("Reason / decision reference"), max_length=500)


class TermForm(forms.Form):
    name = forms.CharField(label=_("Term"), max_length=64, help_text=_("e.g. 2025-2030"))
    starts_on = DateField(label=_("Starts on"))
    ends_on = DateField(label=_("Ends on"), required=False, future=TERM_AHEAD)
