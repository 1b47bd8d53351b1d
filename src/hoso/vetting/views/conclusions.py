"""Recording a conclusion as signed, correcting one by a superseding conclusion, and stating
until when one serves."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.lib import query
from hoso.vetting import actions, reads, transitions, validity
from hoso.vetting.forms import ConclusionForm, CorrectionForm, ValidityForm
from hoso.vetting.models import Case, Conclusion
from hoso.vetting.views.common import done, visible_case


def _preview(request: HttpRequest, case: Case, form: ConclusionForm, url: str) -> dict[str, Any]:
    """Until when the conclusion will serve by its type's rule, for the date being typed: the
    date field asks again on change (htmx), so it is seen before saving."""
    form.fields["signed_on"].widget.attrs.update(
        {"hx-get": f"{url}?preview=1", "hx-trigger": "change", "hx-target": "#validity-preview"}
    )
    day: dt.date | None = None
    if request.method == "GET" and request.GET.get("signed_on"):
        day = query.day(request.GET, "signed_on", timezone.localdate())
    if form.is_bound and form.is_valid():
        day = form.cleaned_data["signed_on"]
    return {
        "months": case.version.validity_months,
        "until": validity.valid_until_for(case.version, day) if day else None,
    }


def _form_page(
    request: HttpRequest, case: Case, form: ConclusionForm, old: Conclusion | None, url: str
) -> HttpResponse:
    preview = _preview(request, case, form, url)
    if request.GET.get("preview"):
        return render(request, "vetting/_validity_preview.html", preview)
    context = {"case": case, "form": form, "old": old, **preview}
    reads.note_case(acting_user(request), case, "correct" if old else "conclude")
    return render(request, "vetting/conclude.html", context)


def conclude(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    user = acting_user(request)
    if not transitions.CASES.allowed(case, transitions.Move.CONCLUDE, user):
        raise Http404
    form = ConclusionForm(
        request.POST or None, outcomes=case.version.outcomes, initial={"serves": case.purpose}
    )
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
    return _form_page(request, case, form, None, reverse("case-conclude", args=[case.pk]))


def correct(request: HttpRequest, pk: int) -> HttpResponse:
    old = get_object_or_404(Conclusion, pk=pk)
    case = visible_case(request, old.case_id)
    user = acting_user(request)
    if not policy.can(user, policy.Action.CASE_CONCLUDE, case.organization, case.classification):
        raise Http404
    form = CorrectionForm(
        request.POST or None, outcomes=case.version.outcomes, initial={"serves": old.serves}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.cases.correct_conclusion(user, old, **form.cleaned_data)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Correction recorded; the earlier conclusion is kept."))
            return redirect("case-detail", pk=case.pk)
    return _form_page(request, case, form, old, reverse("conclusion-correct", args=[old.pk]))


@require_POST
def record_validity(request: HttpRequest, pk: int) -> HttpResponse:
    conclusion = get_object_or_404(Conclusion, pk=pk)
    case = visible_case(request, conclusion.case_id)
    form = ValidityForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, errors)
        return redirect("case-detail", pk=case.pk)
    data = form.cleaned_data
    return done(
        request,
        case,
        lambda: actions.cases.record_validity(acting_user(request), conclusion, **data),
        _("Recorded until when the conclusion serves."),
    )
