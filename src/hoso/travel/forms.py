from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.forms import DateField, DateInput, bound_number, bounded_dates, set_range
from hoso.lib import bounds, vntext
from hoso.orgs.forms import OrgPickerField
from hoso.orgs.models import Organization
from hoso.travel.models import (
    Relation,
    Stay,
    StayKind,
    StayState,
    TravelRule,
    Trip,
    stays_overdue,
)

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


STAY_FIELDS = [
    "kind",
    "country",
    "place",
    "decision_number",
    "decision_date",
    "decision_issuer",
    "since",
    "planned_return",
    "managing_body",
    "managing_org",
]


class StayForm(forms.ModelForm):  # type: ignore[type-arg]
    """A long stay abroad as recorded, and as corrected (`returned` adds the return)."""

    managing_org = OrgPickerField(
        label=_("or a Party organization of our tree"),
        required=False,
        help_text=_("Only when the body that manages the member abroad is one of ours."),
    )

    class Meta:
        model = Stay
        formfield_callback = bounded_dates
        fields = STAY_FIELDS
        widgets = {
            "decision_date": DateInput,
            "since": DateInput,
            "planned_return": DateInput,
            "returned_on": DateInput,
            "return_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A node the user may see: naming one is no way to learn of the others.
        choice = self.fields["managing_org"]
        assert isinstance(choice, OrgPickerField)
        choice.limit_to(user)
        set_range(self, "planned_return", future=LONG_TRIP)


class StayCorrectForm(StayForm):
    reason = forms.CharField(
        label=_("Reason for the correction (or the decision extending the stay)"),
        max_length=500,
    )

    class Meta(StayForm.Meta):
        fields = [*STAY_FIELDS, "returned_on", "return_note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.state != StayState.RETURNED:
            del self.fields["returned_on"], self.fields["return_note"]

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "reason"}


class StayReturnForm(forms.Form):
    on = DateField(label=_("Returned on"))
    note = forms.CharField(
        label=_("Note on the return"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StayCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (recorded by mistake)"), max_length=500)


class StayFilterForm(forms.Form):
    """The list's filters, shared by the page, its Excel export and the API."""

    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Abroad or returned")), *StayState.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind of stay"), required=False, choices=[("", _("All")), *StayKind.choices]
    )
    country = forms.CharField(
        label=_("Country"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"list": "stay-countries"}),
    )
    org = forms.CharField(
        label=_("Organization code (with its units)"), required=False, max_length=32
    )
    overdue = forms.BooleanField(label=_("Return overdue"), required=False)
    member = forms.IntegerField(
        required=False, min_value=1, max_value=bounds.MAX_ID, widget=forms.HiddenInput
    )

    def apply(self, qs: QuerySet[Stay], user: Any, today: dt.date) -> QuerySet[Stay]:
        """Narrow an already scoped queryset; an unknown or foreign code matches nothing."""
        if not self.is_valid():
            return qs.none()
        data = self.cleaned_data
        if data["state"]:
            qs = qs.filter(state=data["state"])
        else:
            qs = qs.exclude(state=StayState.CANCELLED)
        if data["kind"]:
            qs = qs.filter(kind=data["kind"])
        if data["country"].strip():
            # However it was typed ("Nhật Bản", "nhat ban"): the few distinct names compared
            # folded, then matched exactly, so the query stays on the table's own columns.
            wanted = vntext.fold(data["country"])
            names = qs.values_list("country", flat=True).distinct().order_by()
            qs = qs.filter(country__in=[n for n in names if vntext.fold(n) == wanted])
        if data["org"]:
            node = (
                Organization.objects.visible_to(user, policy.Action.TRAVEL_VIEW)
                .filter(code=data["org"].strip().upper())
                .first()
            )
            qs = qs.filter(organization__path__startswith=node.path) if node else qs.none()
        if data["overdue"]:
            qs = stays_overdue(qs, today)
        if data["member"]:
            qs = qs.filter(member_id=data["member"])
        return qs
