from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.forms import OrgChoiceField, limit_orgs
from hoso.access.roles import Clearance
from hoso.documents.models import Authority, DocumentKind
from hoso.orgs.models import Organization


class DateInput(forms.DateInput):
    input_type = "date"


class _Scoped(forms.Form):
    organization = OrgChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    classification = forms.TypedChoiceField(
        label=_("Classification"), coerce=int, choices=Clearance.choices, initial=0
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_orgs(self, "organization", actor, policy.Action.DOCUMENT_MANAGE)


class OutgoingForm(_Scoped):
    kind = forms.ModelChoiceField(
        label=_("Type"), queryset=DocumentKind.objects.filter(active=True)
    )
    issued_on = forms.DateField(label=_("Date"), widget=DateInput)
    summary = forms.CharField(label=_("Summary"), max_length=500)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Paragraphs separated by an empty line."),
    )
    signer = forms.CharField(label=_("Signer"), max_length=150, required=False)
    authority = forms.ChoiceField(label=_("Authority"), choices=Authority.choices, required=False)
    recipients = forms.CharField(
        label=_("Recipients"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    copies = forms.IntegerField(label=_("Copies"), min_value=1, initial=1)


class IncomingForm(_Scoped):
    received_on = forms.DateField(label=_("Received on"), widget=DateInput)
    sender = forms.CharField(label=_("Sender"), max_length=255)
    sender_reference = forms.CharField(label=_("Sender's number and reference"), max_length=64)
    sender_date = forms.DateField(label=_("Date of the document"), widget=DateInput, required=False)
    summary = forms.CharField(label=_("Summary"), max_length=500)


class GenerateForm(forms.Form):
    file_format = forms.ChoiceField(
        label=_("Format"), choices=[("pdf", "PDF"), ("docx", "Word (.docx)")]
    )
    place = forms.CharField(label=_("Place in the date line"), max_length=100)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=100)
    recipient = forms.CharField(
        label=_("Recipient of this copy (secret documents)"), max_length=255, required=False
    )


class TemplateForm(forms.Form):
    template = forms.FileField(label=_("Word template (.docx)"))
