from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.forms import (
    ClassificationField,
    DateField,
    bound_number,
    limit_classification,
)
from hoso.access.models import User
from hoso.access.roles import Clearance
from hoso.documents.models import Authority
from hoso.lib import bounds
from hoso.lib.bounds import EARLIEST_DOCUMENT
from hoso.orgs.forms import OrgPickerField, limit_orgs
from hoso.orgs.models import Organization
from hoso.people.models import Relationship, Sex, Side
from hoso.vetting import plan
from hoso.vetting.models import (
    Addressee,
    CaseType,
    FileKind,
    HelpKind,
    HelpRule,
    Step,
    Verdict,
)

A = policy.Action
# Until when a conclusion serves may be years ahead (the end of a five-year term).
VALIDITY_AHEAD = dt.timedelta(days=11 * 366)


def _text(label: Any, rows: int = 3, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class CaseForm(forms.Form):
    case_type = forms.ModelChoiceField(
        label=_("Type of case"),
        queryset=CaseType.objects.filter(active=True, current__isnull=False).select_related(
            "current"
        ),
    )
    organization = OrgPickerField(label=_("Handling office"))
    # The user's scope and the committees above it (a competent committee is often higher).
    competent_committee = OrgPickerField(
        label=_("Competent committee"), action=A.CASE_MANAGE, above=True
    )
    purpose = forms.CharField(label=_("Target post or purpose"), max_length=255)
    request_number = forms.CharField(label=_("Requesting document number"), max_length=64)
    request_date = DateField(label=_("Requesting document date"))
    request_issuer = forms.CharField(label=_("Issued by"), max_length=255)
    received_on = DateField(label=_("Received on"))
    handed_over_by = forms.CharField(label=_("Handed over by"), max_length=150)
    handover_items = _text(_("Papers received (handover record)"))
    classification = ClassificationField(
        label=_("Classification"),
        required=False,
        empty_value=None,
        choices=[("", _("The type's default")), *Clearance.choices],
    )
    restricted = forms.BooleanField(
        label=_("Restricted: only the team and the heads above see it"), required=False
    )

    def __init__(
        self, *args: Any, actor: Any, proposed: Organization | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_orgs(self, "organization", actor, A.CASE_MANAGE)
        limit_classification(self, "classification", actor)
        field = self.fields["competent_committee"]
        assert isinstance(field, OrgPickerField) and field.queryset is not None
        field.limit_to(actor)
        # A committee proposed for the subject (vetting.hooks, e.g. from the cadre's
        # management category) is preselected only if it is one this form offers; the
        # officer may choose another.
        if proposed is not None and field.queryset.filter(pk=proposed.pk).exists():
            field.initial = proposed.pk
            field.help_text = _(
                "Proposed from the management of this person: %(name)s. Choose another if needed."
            ) % {"name": proposed.name}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        case_type, level = data.get("case_type"), data.get("classification")
        ceiling = self.fields["classification"]
        assert isinstance(ceiling, ClassificationField)
        if (
            level is None
            and case_type
            and case_type.current.default_classification > ceiling.ceiling
        ):
            # The type's default would be refused after the form: say so on the form.
            self.add_error(
                "classification",
                _("The type's default classification is above your clearance: choose one."),
            )
        return data


class NewPersonForm(forms.Form):
    """A subject who is not (yet) a member: identified by name, birth date and home town."""

    family_name = forms.CharField(label=_("Family name"), max_length=64)
    middle_name = forms.CharField(label=_("Middle name(s)"), max_length=64, required=False)
    given_name = forms.CharField(label=_("Given name"), max_length=64)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = DateField(label=_("Date of birth"), future=dt.timedelta(0))
    home_town = forms.CharField(label=_("Home town"), max_length=255)
    citizen_id = forms.RegexField(
        label=_("Citizen ID (CCCD)"),
        regex=r"^\d{12}$",
        required=False,
        error_messages={"invalid": _("A citizen ID (CCCD) has exactly 12 digits.")},
    )


class MoveForm(forms.Form):
    move = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note or reason"), required=False, max_length=1000)
    decision_number = forms.CharField(label=_("Decision number"), required=False, max_length=64)
    decision_date = DateField(label=_("Decision date"), required=False)


class TextForm(forms.Form):
    field = forms.ChoiceField(choices=[("plan", "plan"), ("proposal", "proposal")])
    text = _text(_("Text"), rows=8)


class TeamForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Team members"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    leader = forms.ModelChoiceField(label=_("Team leader"), queryset=User.objects.none())

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        listed = list(candidates)  # read once for both fields' choices (each would read it)
        for name in ("members", "leader"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = candidates  # what a submitted choice is checked against
            choices = [(user.pk, field.label_from_instance(user)) for user in listed]
            empty = [("", field.empty_label)] if field.empty_label is not None else []
            field.choices = [*empty, *choices]


class ClockForm(forms.Form):
    on = DateField(label=_("Date"))
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)


class FileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FileKind.choices)
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    file = forms.FileField(label=_("File (PDF or image)"))


class RequestForm(forms.Form):
    targets = forms.MultipleChoiceField(
        label=_("Persons to verify"), widget=forms.CheckboxSelectMultiple
    )
    addressees = forms.ModelMultipleChoiceField(
        label=_("Addressees"),
        queryset=Addressee.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    questions = _text(_("Questions asked"), rows=5)
    sent_on = DateField(label=_("Sent on"))

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["targets"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


ITEM_ROWS = 5


class ReplyForm(forms.Form):
    received_on = DateField(label=_("Received on"))
    reference = forms.CharField(label=_("Reply number and reference"), max_length=64)
    summary = _text(_("Summary"))
    attachment = forms.FileField(label=_("Scanned reply (PDF or image)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(ITEM_ROWS):
            self.fields[f"topic_{i}"] = forms.CharField(
                label=_("Point"), required=False, max_length=255
            )
            self.fields[f"finding_{i}"] = forms.CharField(
                label=_("What the reply says"), required=False
            )
            self.fields[f"verdict_{i}"] = forms.ChoiceField(
                label=_("Compared with the declaration"),
                required=False,
                choices=[("", "—"), *Verdict.choices],
            )

    def items(self) -> list[tuple[str, str, str]]:
        data = self.cleaned_data
        return [
            (data[f"topic_{i}"], data[f"finding_{i}"], data[f"verdict_{i}"])
            for i in range(ITEM_ROWS)
            if data[f"topic_{i}"].strip()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(ITEM_ROWS):
            if data.get(f"topic_{i}", "").strip() and not data.get(f"verdict_{i}"):
                self.add_error(f"verdict_{i}", _("Mark the point as matching or a discrepancy."))
        return data


class ReasonForm(forms.Form):
    text = forms.CharField(label=_("Text"), max_length=2000)


class ConclusionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome (as in the signed document)"))
    text = _text(_("Full text as signed"), rows=10)
    serves = forms.CharField(
        label=_("Serves (purpose, post or list)"),
        max_length=255,
        required=False,
        help_text=_("What this conclusion is used for; empty: the case's purpose."),
    )
    number_in_hoso = forms.BooleanField(
        label=_("Number it in hoso (KL of the competent committee) and print it from here"),
        required=False,
    )
    number = forms.CharField(
        label=_("Document number"),
        max_length=64,
        required=False,
        help_text=_("The number of the signed document, unless numbered in hoso."),
    )
    signed_on = DateField(label=_("Date signed"))
    signer = forms.CharField(label=_("Signer"), max_length=150)
    authority = forms.ChoiceField(
        label=_("Authority"), choices=[c for c in Authority.choices if c[0]]
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("number_in_hoso") and not data.get("number", "").strip():
            self.add_error("number", _("Give the number of the signed document."))
        return data

    def __init__(self, *args: Any, outcomes: list[list[str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["outcome"]
        assert isinstance(field, forms.ChoiceField)
        # No outcome is preselected: hoso never proposes one.
        field.choices = [("", "—"), *((code, label) for code, label in outcomes)]


class CorrectionForm(ConclusionForm):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["number_in_hoso"]  # a correction carries the number it was signed with


class ValidityForm(forms.Form):
    valid_until = DateField(
        label=_("Serves until"),
        required=False,
        future=VALIDITY_AHEAD,
        help_text=_("Empty: without an end date."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)
    document = forms.CharField(label=_("Document number and date"), max_length=150, required=False)


class PlanSkipForm(forms.Form):
    line = forms.IntegerField(min_value=0, max_value=1000, widget=forms.HiddenInput)
    relative = forms.IntegerField(
        min_value=1, max_value=bounds.MAX_ID, required=False, widget=forms.HiddenInput
    )
    reason = forms.CharField(label=_("Reason for not verifying"), max_length=500)


class WithdrawSkipForm(forms.Form):
    skip = forms.IntegerField(min_value=1, max_value=bounds.MAX_ID, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class PaperForm(forms.Form):
    on = DateField(label=_("Date"))
    signer = forms.CharField(label=_("Signer"), max_length=150)
    authority = forms.ChoiceField(
        label=_("Authority"), choices=[c for c in Authority.choices if c[0]]
    )


class BulkForm(forms.Form):
    cases = forms.CharField(widget=forms.HiddenInput, required=False)
    action = forms.ChoiceField(choices=[("assign", "assign"), ("remind", "remind")])
    assignee = forms.ModelChoiceField(
        label=_("Officer in charge"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates


class CaseTypeForm(forms.Form):
    """Editing a type writes a new version; open cases keep theirs."""

    name = forms.CharField(label=_("Name"), max_length=150)
    period_days = forms.IntegerField(label=_("Time limit (days)"), min_value=1, max_value=3650)
    period_unit = forms.ChoiceField(
        label=_("Days counted as"),
        choices=[("working", _("working days")), ("calendar", _("calendar days"))],
    )
    pausable = forms.BooleanField(label=_("The clock may be paused"), required=False)
    default_classification = forms.TypedChoiceField(
        label=_("Default classification"), coerce=int, choices=Clearance.choices
    )
    min_team_size = forms.IntegerField(label=_("Minimum team size"), min_value=1, max_value=20)
    reply_days = forms.IntegerField(
        label=_("Time for a reply (working days)"), min_value=1, max_value=365
    )
    validity_months = forms.IntegerField(
        label=_("A conclusion serves for (months)"),
        min_value=1,
        max_value=600,
        required=False,
        help_text=_("Empty: until a new conclusion or a recorded end of validity."),
    )
    outcomes = _text(_("Outcome codes, one per line: CODE | label"), rows=5)
    plan_relations = _text(
        _("Verification plan: the persons to verify, one line per row: codes | label"),
        rows=8,
        required=False,
    )
    steps = forms.MultipleChoiceField(
        label=_("Steps that apply"),
        choices=Step.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    active = forms.BooleanField(label=_("In use"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = ", ".join(f"{c} ({n})" for c, n in Relationship.objects.values_list("code", "name"))
        self.fields["plan_relations"].widget.attrs.update({"cols": 72, "rows": 9})
        self.fields["plan_relations"].help_text = _(
            "A code is self (the subject) or a relationship code: %(codes)s. Put own: or"
            " spouse: before a code to take only that side; several codes on a row mean any"
            " of them fills the line; add 18+ to take only relatives aged 18 or more. Empty:"
            " no plan, compiling is not held."
        ) % {"codes": codes}

    def clean_plan_relations(self) -> list[dict[str, Any]]:
        names = dict(Relationship.objects.values_list("code", "name"))
        lines = []
        for row in self.cleaned_data["plan_relations"].splitlines():
            if not row.strip():
                continue
            codes_part, _sep, label = row.partition("|")
            tokens = [t.strip() for t in re.split(r"[,;]", codes_part) if t.strip()]
            adult = plan.ADULT_MARK in tokens
            codes = [t for t in tokens if t != plan.ADULT_MARK]
            if not codes:
                raise forms.ValidationError(_("Write each line as: codes | label."))
            for code in codes:
                side, _sep, relationship = code.rpartition(":")
                if code != plan.SELF and (
                    side not in ("", *plan.SIDES) or relationship not in names
                ):
                    raise forms.ValidationError(
                        _("Unknown code: %(code)s. Use self or a code of the relationships"
                          " catalogue, with own: or spouse: before it if needed.")
                        % {"code": code}
                    )  # fmt: skip
            if plan.SELF in codes and (len(codes) > 1 or adult):
                raise forms.ValidationError(_("The code self stands alone on its line."))
            label = label.strip() or _default_label(codes, names)
            lines.append({"label": label[:150], "codes": codes, "adult": adult})
        return lines

    def clean_outcomes(self) -> list[list[str]]:
        rows = []
        for line in self.cleaned_data["outcomes"].splitlines():
            if not line.strip():
                continue
            code, sep, label = line.partition("|")
            if not sep or not code.strip() or not label.strip():
                raise forms.ValidationError(_("Write each outcome as CODE | label."))
            rows.append([code.strip().upper(), label.strip()])
        if len({code for code, _label in rows}) != len(rows):
            raise forms.ValidationError(_("Each outcome code may appear once."))
        if not rows:
            raise forms.ValidationError(_("List at least one outcome."))
        return rows


def _default_label(codes: list[str], names: dict[str, str]) -> str:
    if codes == [plan.SELF]:
        return str(_("The subject"))
    sides = {"own": Side.OWN.label, "spouse": Side.SPOUSE.label}
    parts = []
    for code in codes:
        side, _sep, relationship = code.rpartition(":")
        parts.append(f"{names[relationship]} ({sides[side]})" if side else names[relationship])
    return " / ".join(parts)


class AddresseeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Addressee
        fields = ["name", "kind", "address", "active"]


class HelpForm(forms.Form):
    """A request for verification help from another body. Taking over a document already in the
    incoming register (`incoming` given), the register's fields are not asked again."""

    organization = OrgPickerField(label=_("Handling office"))
    received_on = DateField(label=_("Received on"), earliest=EARLIEST_DOCUMENT)
    requester_addressee = forms.ModelChoiceField(
        label=_("Requesting body in the directory"),
        queryset=Addressee.objects.filter(active=True),
        required=False,
        empty_label=_("— not in the directory —"),
    )
    requester = forms.CharField(
        label=_("Requesting body (as written)"),
        max_length=255,
        required=False,
        help_text=_("Empty: the name in the directory."),
    )
    sender_reference = forms.CharField(label=_("Their number and reference"), max_length=64)
    sender_date = DateField(
        label=_("Date of their document"), earliest=EARLIEST_DOCUMENT, required=False
    )
    kind = forms.ChoiceField(label=_("What is asked for"), choices=HelpKind.choices)
    subject_name = forms.CharField(label=_("Person asked about (full name)"), max_length=150)
    subject_birth_year = forms.IntegerField(label=_("Year of birth"), required=False)
    subject_home_town = forms.CharField(label=_("Home town"), max_length=255, required=False)
    asked = _text(_("What is asked"), rows=4)
    classification = ClassificationField(label=_("Classification"), initial=Clearance.CONFIDENTIAL)

    REGISTER_FIELDS = ("organization", "received_on", "sender_reference", "sender_date")

    def __init__(self, *args: Any, actor: Any, incoming: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_orgs(self, "organization", actor, A.CASE_MANAGE)
        limit_classification(self, "classification", actor)
        bound_number(self, "subject_birth_year", 1850, timezone.localdate().year)
        self.taking_over = incoming is not None
        if self.taking_over:
            for name in self.REGISTER_FIELDS:
                del self.fields[name]
            self.fields["requester"].help_text = _("Empty: the sender in the incoming register.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = data.get("requester", "").strip() or data.get("requester_addressee")
        if not named and not self.taking_over:
            self.add_error("requester", _("Choose the body in the directory or write its name."))
        return data


class HelpAssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Officer in charge"), queryset=User.objects.none())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates


class HelpAnswerForm(forms.Form):
    answered_on = DateField(label=_("Date of the answer"))
    summary = _text(_("What the answer says"), rows=6)
    signer = forms.CharField(label=_("Signer"), max_length=150, required=False)
    authority = forms.ChoiceField(label=_("Authority"), choices=Authority.choices, required=False)


class HelpDueForm(forms.Form):
    due_on = DateField(label=_("New due date"))
    reason = forms.CharField(label=_("Reason"), max_length=500)


class HelpPersonForm(forms.Form):
    person = forms.IntegerField(
        min_value=1, max_value=bounds.MAX_ID, required=False, widget=forms.HiddenInput
    )


class HelpRuleForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = HelpRule
        fields = ["kind", "days"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_number(self, "days", 1, 365)
