from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hoso.travel.models import Relation, Trip


class DateInput(forms.DateInput):
    input_type = "date"


class TripForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Trip
        fields = [
            "purpose",
            "countries",
            "planned_from",
            "planned_to",
            "funding",
            "passport_type",
            "host",
            "commitment",
            "requested_on",
        ]
        widgets = {
            "planned_from": DateInput,
            "planned_to": DateInput,
            "requested_on": DateInput,
            "commitment": forms.Textarea(attrs={"rows": 3}),
        }


class MoveForm(forms.Form):
    move = forms.CharField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("Date"), widget=DateInput)
    text = forms.CharField(label=_("Text"), required=False, max_length=4000)
    number = forms.CharField(label=_("Decision number"), required=False, max_length=64)


class RelationForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Relation
        fields = [
            "kind",
            "person_name",
            "relationship",
            "country",
            "since",
            "status",
            "declared_on",
        ]
        widgets = {"declared_on": DateInput}


class DecideForm(forms.Form):
    approved = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Approved")), ("no", _("Refused"))],
    )
    number = forms.CharField(label=_("Decision number"), max_length=64)
    on = forms.DateField(label=_("Decision date"), widget=DateInput)
