"""Recording a conclusion as signed, and correcting one by a superseding conclusion."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.vetting import actions, transitions
from hoso.vetting.forms import ConclusionForm, CorrectionForm
from hoso.vetting.models import Conclusion
from hoso.vetting.views.common import visible_case


def conclude(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    user = acting_user(request)
    if not transitions.CASES.allowed(case, transitions.Move.CONCLUDE, user):
        raise Http404
    form = ConclusionForm(request.POST or None, outcomes=case.version.outcomes)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if data.pop("number_in_hoso"):
                data.pop("number")
                actions.papers.conclude_numbered(user, case, **data)
            else:
                actions.cases.conclude(user, case, **data)
        except (ValueError, policy.Denied) as exc:
            message = str(exc) if isinstance(exc, ValueError) else _("Not allowed.")
            form.add_error(None, message)
        else:
            messages.success(request, _("Conclusion recorded. It can no longer be edited."))
            return redirect("case-detail", pk=case.pk)
    return render(request, "vetting/conclude.html", {"case": case, "form": form, "old": None})


def correct(request: HttpRequest, pk: int) -> HttpResponse:
    old = get_object_or_404(Conclusion, pk=pk)
    case = visible_case(request, old.case_id)
    user = acting_user(request)
    if not policy.can(user, policy.Action.CASE_CONCLUDE, case.organization, case.classification):
        raise Http404
    form = CorrectionForm(request.POST or None, outcomes=case.version.outcomes)
    if request.method == "POST" and form.is_valid():
        try:
            actions.cases.correct_conclusion(user, old, **form.cleaned_data)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Correction recorded; the earlier conclusion is kept."))
            return redirect("case-detail", pk=case.pk)
    return render(request, "vetting/conclude.html", {"case": case, "form": form, "old": old})
