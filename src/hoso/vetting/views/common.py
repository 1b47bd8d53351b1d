"""Shared helpers of the case pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from hoso.access import policy
from hoso.lib.respond import attempt
from hoso.vetting.models import Case


def visible_case(request: HttpRequest, pk: int) -> Case:
    """The case if this user may see it; otherwise 404, the same as a number never used."""
    qs = Case.objects.visible_to(request.user).select_related(
        "organization", "competent_committee", "version", "case_type", "person", "assignee"
    )
    case: Case = get_object_or_404(qs, pk=pk)
    return case


def done(request: HttpRequest, case: Case, call: Any, success: Any) -> HttpResponse:
    """Run an action, say how it went, and go back to the case page."""
    attempt(request, call, success)
    return redirect("case-detail", pk=case.pk)


def officers(case: Case, action: str = policy.Action.CASE_VIEW) -> Any:
    """Active accounts that may do `action` on this case: a grant on its office or above."""
    return policy.users_who_may(action, case.organization, case.classification).order_by(
        "full_name", "username"
    )
