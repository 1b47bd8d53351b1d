from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.forms import ClassificationField, DateField, limit_classification
from hoso.documents.models import Authority, DocumentKind
from hoso.lib.bounds import EARLIEST_DOCUMENT, MAX_COPIES
from hoso.orgs.forms import OrgPickerField, limit_orgs


class _Scoped(forms.Form):
    organization = OrgPickerField(label=_("Organization"))
    classification = ClassificationField(label=_("Classification"), initial=0)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_orgs(self, "organization", actor, policy.Action.DOCUMENT_MANAGE)
        limit_classification(self, "classification", actor)


class OutgoingForm(_Scoped):
    kind = forms.ModelChoiceField(
        label=_("Type"), queryset=DocumentKind.objects.filter(active=True)
    )
    issued_on = DateField(label=_("Date"), earliest=EARLIEST_DOCUMENT)
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
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=MAX_COPIES, initial=1)


class IncomingForm(_Scoped):
    received_on = DateField(label=_("Received on"), earliest=EARLIEST_DOCUMENT)
    sender = forms.CharField(label=_("Sender"), max_length=255)
    sender_reference = forms.CharField(label=_("Sender's number and reference"), max_length=64)
    sender_date = DateField(
        label=_("Date of the document"), earliest=EARLIEST_DOCUMENT, required=False
    )
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
