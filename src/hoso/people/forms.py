from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.forms import (
    ClassificationField,
    DateField,
    DateInput,
    bound_number,
    bounded_dates,
    limit_classification,
    set_range,
)
from hoso.access.roles import Clearance
from hoso.lib.bounds import MAX_PAGES
from hoso.orgs.forms import OrgPickerField, limit_orgs
from hoso.orgs.models import Organization
from hoso.people.models import (
    AdminUnit,
    BiographyEntry,
    DocumentType,
    DossierDocument,
    LeftForm,
    Member,
    MemberStatus,
    Passport,
    Person,
    Relationship,
    Relative,
    Sex,
    TransferKind,
)
from hoso.people.transitions import NEEDS_DECISION, Move

# How far ahead an end date may be: a temporary transfer, a passport's validity.
LONG_STAY = dt.timedelta(days=11 * 366)


class MoveForm(forms.Form):
    date = DateField(label=_("Date"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=64, required=False)
    decision_date = DateField(label=_("Decision date"), required=False)
    detail = forms.CharField(label=_("Cause, reason or note"), max_length=255, required=False)
    left_form = forms.ChoiceField(
        label=_("Form of leaving"), choices=LeftForm.choices, required=False
    )

    def __init__(self, *args: Any, move: Move, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision_number"].required = move in NEEDS_DECISION
        if move is not Move.LEAVE:
            del self.fields["left_form"]


class TransferForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TransferKind.choices)
    to_code = forms.CharField(
        label=_("Receiving organization code (in hoso)"),
        max_length=32,
        required=False,
        help_text=_("The code printed on the receiving organization's documents."),
    )
    to_text = forms.CharField(
        label=_("Or: receiving organization outside hoso"), max_length=255, required=False
    )
    letter_number = forms.CharField(label=_("Introduction letter number"), max_length=64)
    introduced_on = DateField(label=_("Introduced on"))
    until = DateField(label=_("Temporary until"), required=False, future=LONG_STAY)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = (data.get("to_code") or "").strip().upper()
        data["to_org"] = None
        if code:
            # Looked up by exact code: the tree outside the user's scope is not browsable.
            data["to_org"] = Organization.objects.filter(code=code, valid_to__isnull=True).first()
            if data["to_org"] is None:
                self.add_error("to_code", _("No open organization has this code."))
        elif not (data.get("to_text") or "").strip():
            self.add_error("to_text", _("Give the receiving organization."))
        return data


class AcceptForm(forms.Form):
    received_on = DateField(label=_("Received on"))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class UnitSelect(forms.Select):
    """A select holding only the chosen unit; a search box beside it loads matches (htmx),
    instead of sending all 3,355 units with every form."""

    template_name = "people/widgets/unit_select.html"


UNIT_FIELDS = ("birth_place_unit", "home_town_unit", "residence_unit")


class PersonForm(forms.ModelForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, masked: bool = False, **kwargs: Any) -> None:
        """`masked`: the record's sensitive fields (ethnicity, religion) are not shown, as
        on the member page until revealed; a value typed replaces the recorded one, a blank
        keeps it (`changes`)."""
        super().__init__(*args, **kwargs)
        self.masked = masked
        if masked:
            for name in Person.sensitive_fields:
                self.initial[name] = ""
                self.fields[name].required = False
                self.fields[name].help_text = _("Hidden. Type a new value to replace it.")
        set_range(self, "birth_date", future=dt.timedelta(0))
        for name in UNIT_FIELDS:
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            chosen = self.data.get(self.add_prefix(name)) or getattr(self.instance, f"{name}_id")
            units = AdminUnit.objects.filter(pk=chosen) if str(chosen or "").isdigit() else []
            field.widget.choices = [("", "—"), *((u.pk, str(u)) for u in units)]

    class Meta:
        model = Person
        formfield_callback = bounded_dates
        # fmt: off
        fields = [
            "family_name", "middle_name", "given_name", "birth_name", "other_names", "sex",
            "birth_date", "birth_date_precision", "birth_place", "birth_place_unit",
            "home_town", "home_town_unit", "residence", "residence_unit", "ethnicity",
            "religion", "nationality", "education", "political_theory", "profession",
            "foreign_language", "occupation_before", "occupation", "citizen_id",
            "citizen_id_issued_on", "citizen_id_issued_by", "old_id",
        ]
        # fmt: on
        widgets = {
            "birth_date": DateInput,
            "citizen_id_issued_on": DateInput,
            **{name: UnitSelect for name in UNIT_FIELDS},
        }

    def changes(self, fields: frozenset[str]) -> dict[str, Any]:
        """The cleaned values of `fields`; a masked sensitive field left blank is no change."""
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if k in fields and not (self.masked and k in Person.sensitive_fields and not v)
        }


class MemberForm(forms.ModelForm):  # type: ignore[type-arg]
    organization = OrgPickerField(label=_("Organization"))

    class Meta:
        model = Member
        formfield_callback = bounded_dates
        fields = [
            "organization",
            "status",
            "card_number",
            "resume_number",
            "badge_number",
            "admission_decision",
            "admitted_on",
            "ceremony_on",
            "official_on",
            "service",
        ]
        widgets = {"admitted_on": DateInput, "ceremony_on": DateInput, "official_on": DateInput}

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_orgs(self, "organization", actor, policy.Action.MEMBER_MANAGE)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [
            c
            for c in MemberStatus.choices
            if c[0]
            in {
                MemberStatus.CANDIDATE,
                MemberStatus.PROBATIONARY,
                MemberStatus.OFFICIAL,
                MemberStatus.EXEMPTED,
                MemberStatus.SUSPENDED,
            }
        ]


class DocumentForm(forms.ModelForm):  # type: ignore[type-arg]
    classification = ClassificationField(label=_("Classification"), initial=Clearance.CONFIDENTIAL)

    class Meta:
        model = DossierDocument
        formfield_callback = bounded_dates
        fields = [
            "doc_type",
            "number",
            "issuer",
            "issued_on",
            "pages",
            "present",
            "missing_reason",
            "classification",
        ]
        widgets = {"issued_on": DateInput}

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["doc_type"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = DocumentType.objects.filter(active=True)
        bound_number(self, "pages", 1, MAX_PAGES)
        limit_classification(self, "classification", actor)


class ApprovalForm(forms.Form):
    approval = forms.CharField(label=_("Approving document (number, date, signer)"), max_length=255)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)


class ScanForm(forms.Form):
    file = forms.FileField(label=_("Scan (PDF, JPEG, PNG or TIFF, at most 20 MB)"))


class RelativeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Relative
        formfield_callback = bounded_dates
        fields = list(Relative.declared_fields)
        widgets = {
            "political_history": forms.Textarea(attrs={"rows": 2}),
            "current_status": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = dt.date.today().year
        bound_number(self, "birth_year", 1850, this_year)
        bound_number(self, "abroad_since", 1900, this_year)


class EntryForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = BiographyEntry
        formfield_callback = bounded_dates
        fields = list(BiographyEntry.declared_fields)
        widgets = {
            "started_on": DateInput,
            "ended_on": DateInput,
            "content": forms.Textarea(attrs={"rows": 2}),
        }


class SupplementForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1930, max_value=2100)
    declared_on = DateField(label=_("Declared on"))
    changes = forms.CharField(
        label=_("Declared changes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Write “Không thay đổi” when nothing changed."),
    )


class MatterForm(forms.Form):
    organization = OrgPickerField(label=_("Organization"))
    subject = forms.CharField(label=_("Person concerned"), max_length=200)
    recorded_on = DateField(label=_("Date"))
    matter = forms.CharField(label=_("Matter"), widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.CharField(label=_("Source document"), max_length=255)
    case_reference = forms.CharField(
        label=_("Case or petition reference"), max_length=100, required=False
    )
    classification = ClassificationField(label=_("Classification"), initial=1)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_orgs(self, "organization", actor, policy.Action.MEMBER_MANAGE)
        limit_classification(self, "classification", actor)


class HandoverForm(forms.Form):
    organization = OrgPickerField(label=_("Dossiers of"))
    receiver = forms.CharField(label=_("Receiving organization"), max_length=255)
    from_keeper = forms.CharField(label=_("Handed over by"), max_length=150)
    to_keeper = forms.CharField(label=_("Received by"), max_length=150)
    date = DateField(label=_("Date"))
    reason = forms.CharField(label=_("Reason"), max_length=255)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_orgs(self, "organization", actor, policy.Action.MEMBER_MANAGE)


class ArrivalForm(forms.Form):
    """Optional: the member arrives by transfer from an organization outside hoso."""

    from_text = forms.CharField(
        label=_("Received by transfer from (outside hoso)"), max_length=255, required=False
    )
    letter_number = forms.CharField(
        label=_("Introduction letter number"), max_length=64, required=False
    )
    received_on = DateField(label=_("Received on"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("from_text") and not data.get("received_on"):
            self.add_error("received_on", _("Give the date the member was received."))
        return data


class PassportForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Passport
        formfield_callback = bounded_dates
        fields = ["number", "kind", "issued_on", "expires_on", "issued_by"]
        widgets = {"issued_on": DateInput, "expires_on": DateInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_range(self, "expires_on", future=LONG_STAY)  # passports are valid for ten years


class DocumentTypeForm(forms.ModelForm):  # type: ignore[type-arg]
    statuses = forms.MultipleChoiceField(
        label=_("Required for these statuses"),
        required=False,
        choices=MemberStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: for every member status."),
    )

    class Meta:
        model = DocumentType
        fields = ["code", "name", "required", "statuses", "order", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_number(self, "order", 0, 1000)


class RelationshipForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Relationship
        fields = ["code", "name", "order"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_number(self, "order", 0, 1000)


class DecisionForm(forms.Form):
    """The reason an officer gives for a decision about identity (kept with it)."""

    reason = forms.CharField(label=_("Reason"), min_length=5, max_length=500)


class FromRelativeForm(DecisionForm):
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    field_order = ["sex", "reason"]
