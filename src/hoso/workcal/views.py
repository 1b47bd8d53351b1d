"""The calendar page: everyone reads it; installation-wide administrators edit it."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.lib import excel, query
from hoso.workcal import actions, importer, service
from hoso.workcal.forms import DayForm, ImportForm
from hoso.workcal.models import CoveredYear, SpecialDay


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
    covered = CoveredYear.objects.all()
    context: dict[str, Any] = {
        "year": year,
        "days": SpecialDay.objects.filter(date__year=year),
        "form": form,
        "editor": editor,
        "title": _("Working-day calendar"),
        "covered": covered,
        "year_covered": next((c for c in covered if c.year == year), None),
        "gap": service.coverage_gap(timezone.localdate()),
        "horizon": service.horizon_days(),
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


def _next_year(today: dt.date) -> int:
    """The year an administrator most likely imports: the first one not covered from today."""
    last = service.last_covered_year()
    return max(today.year, (last or today.year - 1) + 1)


def calendar_import(request: HttpRequest) -> HttpResponse:
    """A year's holidays and substituted days from a file: checked whole, written whole."""
    if not _editor(request):
        raise Http404
    today = timezone.localdate()
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        today=today,
        initial={"year": min(_next_year(today), today.year + 2)},
    )
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read()  # read once: the digest and the rows come from the same bytes
        try:
            report = importer.read(io.BytesIO(raw), upload.name, form.cleaned_data["year"])
        except importer.Refused as exc:
            form.add_error("file", str(exc))
        except Exception as exc:  # a damaged file is reported, not a crash of the page
            if isinstance(exc, policy.Denied):
                raise
            form.add_error("file", _("The file cannot be read as CSV or as an Excel workbook."))
        if report is not None and not report.errors:
            actions.import_year(
                acting_user(request), report, upload.name, hashlib.sha256(raw).hexdigest()
            )
            messages.success(
                request,
                _(
                    "Calendar of %(year)d imported: %(holidays)d days off, %(working)d "
                    "substituted working days (%(replaced)d days recorded before replaced). "
                    "The year counts as covered."
                )
                % {
                    "year": report.year,
                    "holidays": report.holidays,
                    "working": report.working,
                    "replaced": report.replaced,
                },
            )
            return redirect(f"/calendar/?year={report.year}")
    context = {"form": form, "report": report, "title": _("Import a year of the calendar")}
    return render(request, "workcal/import.html", context)


def calendar_import_template(request: HttpRequest) -> HttpResponse:
    if not _editor(request):
        raise Http404
    today = timezone.localdate()
    year = query.year(request.GET, default=_next_year(today))
    if request.GET.get("format") == "csv":
        response = HttpResponse(importer.template_csv(year), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="lich-ngay-lam-viec-{year}.csv"'
        return response
    response = HttpResponse(importer.template(year), content_type=excel.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="lich-ngay-lam-viec-{year}.xlsx"'
    return response
