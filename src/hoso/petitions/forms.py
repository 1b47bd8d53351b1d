from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.forms import ClassificationField, DateField, bound_number, limit_classification
from hoso.orgs.forms import OrgPickerField, limit_orgs
from hoso.petitions.models import Channel, Kind, Naming, Outcome, PetitionRule

MAX_EXTENSION_DAYS = 365  # an extension of a time limit, in working days


class IntakeForm(forms.Form):
    organization = OrgPickerField(label=_("Receiving office"))
    received_on = DateField(label=_("Received on"))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    forwarded_by = forms.CharField(label=_("Forwarded by"), max_length=255, required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    subjects = forms.CharField(
        label=_("Persons concerned (one per line: name | post, unit)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    classification = ClassificationField(label=_("Classification"), initial=1)
    petitioner_name = forms.CharField(label=_("Petitioner's name"), max_length=150, required=False)
    petitioner_address = forms.CharField(
        label=_("Petitioner's address"), max_length=255, required=False
    )
    petitioner_contact = forms.CharField(
        label=_("Petitioner's contact"), max_length=150, required=False
    )
    scan = forms.FileField(
        label=_("Scanned letter (PDF or image)"),
        required=False,
        help_text=_("Sealed like the identity: only heads and leaders open it, with a reason."),
    )
    masked_scan = forms.FileField(
        label=_("Masked copy of the letter (PDF or image)"),
        required=False,
        help_text=_(
            "The letter scanned again with the petitioner's name, address and signature "
            "covered: the copy officers work on."
        ),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_orgs(self, "organization", actor, policy.Action.PETITION_MANAGE)
        limit_classification(self, "classification", actor)

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if data and data.get("masked_scan") and not data.get("scan"):
            self.add_error("scan", _("A masked copy goes with the scanned letter it masks."))
        return data

    def subject_rows(self) -> list[tuple[str, str]]:
        rows = []
        for line in self.cleaned_data["subjects"].splitlines():
            name, _sep, position = line.partition("|")
            if name.strip():
                rows.append((name.strip(), position.strip()))
        return rows


class ClassifyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    naming = forms.ChoiceField(label=_("Signed"), choices=Naming.choices)
    within_competence = forms.TypedChoiceField(
        label=_("Within this office's competence"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Yes")), ("no", _("No: forward it"))],
    )
    repeated = forms.BooleanField(label=_("Repeated petition"), required=False)
    new_evidence = forms.BooleanField(label=_("With new evidence"), required=False)


class MoveForm(forms.Form):
    move = forms.CharField(widget=forms.HiddenInput)
    on = DateField(label=_("Date"))
    note = forms.CharField(label=_("Note or reason"), required=False, max_length=1000)
    to = forms.CharField(label=_("Forwarded to"), required=False, max_length=255)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *Outcome.choices], required=False
    )
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea)
    reference = forms.CharField(label=_("Document number"), required=False, max_length=64)


class ClockForm(forms.Form):
    on = DateField(label=_("Date"))
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)
    days = forms.IntegerField(
        label=_("Working days added"), min_value=1, max_value=MAX_EXTENSION_DAYS, required=False
    )
    decision = forms.CharField(label=_("Deciding document"), max_length=64, required=False)


class MaskedScanForm(forms.Form):
    file = forms.FileField(label=_("Masked copy (PDF or image)"))


class PetitionRuleForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PetitionRule
        fields = ["kind", "days", "unit"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_number(self, "days", 1, 365)
