"""Case types, edited by administrators of a root node (each edit is a new version)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.vetting import actions
from hoso.vetting.forms import CaseTypeForm
from hoso.vetting.models import CaseType


def _editor(request: HttpRequest) -> bool:
    return policy.national(request.user, policy.Action.CONFIG_MANAGE)


def case_types(request: HttpRequest) -> HttpResponse:
    editor = _editor(request)
    if not editor and not policy.scope_paths(request.user, policy.Action.CASE_VIEW):
        raise Http404
    types = CaseType.objects.select_related("current").prefetch_related("versions")
    return render(request, "vetting/case_types.html", {"types": types, "editor": editor})


def case_type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not _editor(request):
        raise Http404
    case_type = get_object_or_404(CaseType.objects.select_related("current"), pk=pk)
    form = CaseTypeForm(request.POST or None, initial=actions.catalogue.initial(case_type))
    if request.method == "POST" and form.is_valid():
        try:
            version = actions.catalogue.new_version(
                request.user,  # type: ignore[arg-type]
                case_type,
                form.cleaned_data,
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved as version %(n)s.") % {"n": version.number})
            return redirect("case-types")
    return render(request, "vetting/case_type_edit.html", {"case_type": case_type, "form": form})
