from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hoso.access.forms import DateField, DateInput, bound_number, bounded_dates, set_range
from hoso.travel.models import Relation, TravelRule, Trip

# A trip abroad (studies) may last years: its planned return may be that far ahead.
LONG_TRIP = dt.timedelta(days=11 * 366)


class TripForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Trip
        formfield_callback = bounded_dates
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_range(self, "planned_to", future=LONG_TRIP)


class MoveForm(forms.Form):
    move = forms.CharField(widget=forms.HiddenInput)
    on = DateField(label=_("Date"))
    text = forms.CharField(label=_("Text"), required=False, max_length=4000)
    number = forms.CharField(label=_("Decision number"), required=False, max_length=64)


class RelationForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Relation
        formfield_callback = bounded_dates
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_number(self, "since", 1900, dt.date.today().year)


class DecideForm(forms.Form):
    approved = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Approved")), ("no", _("Refused"))],
    )
    number = forms.CharField(label=_("Decision number"), max_length=64)
    on = DateField(label=_("Decision date"))


class TravelRuleForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = TravelRule
        fields = ["report_days", "passport_days"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_number(self, "report_days", 1, 365)
        bound_number(self, "passport_days", 1, 365)
