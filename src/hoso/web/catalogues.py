"""Installation-wide catalogues edited by administrators of a root node: the dossier's
document types, the resume's relationships, the addressees of verification requests, the time
to answer requests for verification help, the time limits of petitions and trips, the cadres'
management categories, post kinds and reminders. Each app keeps its catalogue's form; this
page, above them all, lists them. Every change is an audit event."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.cadres.forms import CadreRuleForm, CategoryForm, ListRuleForm, PostKindForm
from hoso.cadres.models import CadreRule, ListRule, ManagementCategory, PostKind
from hoso.people.forms import DocumentTypeForm, RelationshipForm
from hoso.people.models import DocumentType, Relationship
from hoso.petitions.forms import PetitionRuleForm
from hoso.petitions.models import PetitionRule
from hoso.travel.forms import TravelRuleForm
from hoso.travel.models import TravelRule
from hoso.vetting.forms import AddresseeForm, HelpRuleForm
from hoso.vetting.models import Addressee, HelpRule
from hoso.web import actions

CATALOGUES: dict[str, tuple[Any, type[forms.ModelForm], Any]] = {  # type: ignore[type-arg]
    "document-types": (DocumentType, DocumentTypeForm, _("Dossier document types")),
    "relationships": (Relationship, RelationshipForm, _("Relationships of relatives")),
    "addressees": (Addressee, AddresseeForm, _("Addressees of verification requests")),
    "help-limits": (
        HelpRule,
        HelpRuleForm,
        _("Time to answer requests for verification help from other bodies"),
    ),
    "petition-limits": (PetitionRule, PetitionRuleForm, _("Petition time limits")),
    "travel-limits": (TravelRule, TravelRuleForm, _("Time limits after a trip abroad")),
    "cadre-categories": (ManagementCategory, CategoryForm, _("Management categories of cadres")),
    "post-kinds": (PostKind, PostKindForm, _("Post kinds of cadres")),
    "list-case-types": (ListRule, ListRuleForm, _("Case types serving each kind of list")),
    "cadre-reminders": (CadreRule, CadreRuleForm, _("Reminders before a conclusion expires")),
}


def catalogue(request: HttpRequest, name: str, pk: int | None = None) -> HttpResponse:
    if name not in CATALOGUES or not policy.national(request.user, policy.Action.CONFIG_MANAGE):
        raise Http404
    model, form_class, title = CATALOGUES[name]
    instance = get_object_or_404(model, pk=pk) if pk is not None else None
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        actions.save_catalogue_item(acting_user(request), name, form)
        return redirect("catalogue", name=name)
    return render(
        request,
        "web/catalogue.html",
        {
            "name": name,
            "title": title,
            "items": model.objects.all(),
            "form": form,
            "editing": instance,
        },
    )
