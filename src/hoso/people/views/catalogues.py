"""Installation-wide catalogues edited by administrators of a root node: document types of
the dossier and the relationships of the resume. Every change is an audit event."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.audit import events
from hoso.audit.chain import record
from hoso.people.models import DocumentType, MemberStatus, Relationship
from hoso.petitions.models import PetitionRule
from hoso.travel.models import TravelRule
from hoso.vetting.models import Addressee


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


class AddresseeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Addressee
        fields = ["name", "kind", "address", "active"]


class PetitionRuleForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PetitionRule
        fields = ["kind", "days", "unit"]


class TravelRuleForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = TravelRule
        fields = ["report_days", "passport_days"]


class RelationshipForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Relationship
        fields = ["code", "name", "order"]


CATALOGUES: dict[str, tuple[Any, type[forms.ModelForm], Any]] = {  # type: ignore[type-arg]
    "document-types": (DocumentType, DocumentTypeForm, _("Dossier document types")),
    "relationships": (Relationship, RelationshipForm, _("Relationships of relatives")),
    "addressees": (Addressee, AddresseeForm, _("Addressees of verification requests")),
    "petition-limits": (PetitionRule, PetitionRuleForm, _("Petition time limits")),
    "travel-limits": (TravelRule, TravelRuleForm, _("Time limits after a trip abroad")),
}


def catalogue(request: HttpRequest, name: str, pk: int | None = None) -> HttpResponse:
    if name not in CATALOGUES or not policy.national(request.user, policy.Action.CONFIG_MANAGE):
        raise Http404
    model, form_class, title = CATALOGUES[name]
    instance = get_object_or_404(model, pk=pk) if pk is not None else None
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            item = form.save()
            record(
                events.CATALOGUE_CHANGED.code,
                actor=request.user,
                request=request,
                details={
                    "catalogue": name,
                    "id": item.pk,
                    "values": {k: str(v) for k, v in form.cleaned_data.items()},
                },
            )
        return redirect("catalogue", name=name)
    return render(
        request,
        "people/catalogue.html",
        {
            "name": name,
            "title": title,
            "items": model.objects.all(),
            "form": form,
            "editing": instance,
        },
    )
