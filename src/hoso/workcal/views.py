"""The calendar page: everyone reads it; installation-wide administrators edit it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.lib import query
from hoso.workcal import actions
from hoso.workcal.forms import DayForm
from hoso.workcal.models import SpecialDay


def _editor(request: HttpRequest) -> bool:
    return policy.national(request.user, policy.Action.CONFIG_MANAGE)


def calendar_year(request: HttpRequest) -> HttpResponse:
    year = query.year(request.GET, default=dt.date.today().year)
    editor = _editor(request)
    form = DayForm(request.POST or None) if editor else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            actions.save_day(acting_user(request), form, "added")
            return redirect(f"{request.path}?year={form.cleaned_data['date'].year}")
    context: dict[str, Any] = {
        "year": year,
        "days": SpecialDay.objects.filter(date__year=year),
        "form": form,
        "editor": editor,
        "title": _("Working-day calendar"),
    }
    return render(request, "workcal/year.html", context)


def calendar_day(request: HttpRequest, pk: int) -> HttpResponse:
    if not _editor(request):
        raise Http404
    day = get_object_or_404(SpecialDay, pk=pk)
    form = DayForm(request.POST or None, instance=day)
    if request.method == "POST" and request.POST.get("op") == "delete":
        actions.remove_day(acting_user(request), day)
        return redirect(f"/calendar/?year={day.date.year}")
    if request.method == "POST" and form.is_valid():
        actions.save_day(acting_user(request), form, "changed")
        return redirect(f"/calendar/?year={day.date.year}")
    return render(request, "workcal/day.html", {"day": day, "form": form})
