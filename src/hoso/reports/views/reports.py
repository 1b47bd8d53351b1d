"""Periodic report pages: the report of an organization for a period (its tables filled by
hoso, the narrative written in the page and kept as a draft), its submission upward, its
return by the level above, its downloads, and the level above's view of who has submitted.

?org=<id> (default: the viewer's first scope), ?period=<key> (default: the current quarter),
periods closing on the form's cut-off day."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.access.models import User
from hoso.access.roles import Clearance
from hoso.documents.actions.copies import CopyError
from hoso.documents.actions.numbering import NumberingError
from hoso.documents.render import PdfUnavailable
from hoso.jobs.views import start_and_show
from hoso.lib import periods, query, replica
from hoso.lib.periods import Period
from hoso.orgs.models import Organization
from hoso.reports import actions, jobs, reads, tables
from hoso.reports.actions import ReportError
from hoso.reports.models import Report, ReportForm, ReportState

A = policy.Action
FORMATS = {"xlsx", "pdf", "docx"}


def _form(code: str) -> ReportForm:
    return get_object_or_404(ReportForm, code=code, active=True)


def _org(user: User, params: Any) -> Organization:
    """?org=<id> inside the viewer's report scope, else their first; else 404."""
    paths = policy.scope_paths(user, A.REPORT_VIEW)
    if not paths:
        raise Http404
    pk = query.record_id(params, "org")
    lookup: dict[str, Any] = {"pk": pk} if pk else {"path": paths[0]}
    found = Organization.objects.filter(**lookup).first()
    if found is None or not any(found.path.startswith(p) for p in paths):
        raise Http404
    return found  # type: ignore[no-any-return]


def _period(form: ReportForm, params: Any) -> Period:
    first, last = params.get("from", ""), params.get("to", "")
    if first and last:
        return periods.parse(f"{first}..{last}", name="from")
    return periods.from_params(params, timezone.localdate(), cutoff=form.cutoff_day)


def _here(code: str, org: Organization, period: Period) -> str:
    query_string = urlencode({"org": org.pk, "period": period.key})
    return f"{reverse('report-document', args=[code])}?{query_string}"


@replica.served
def report_document(request: HttpRequest, code: str) -> HttpResponse:
    user = acting_user(request)
    form = _form(code)
    org, period = _org(user, request.GET), _period(form, request.GET)
    report = (
        Report.objects.visible_to(user).filter(form=form, organization=org, period=period.key)
    ).first()
    live = reads.report_tables(user, form, org, period)
    last = report.submissions.order_by("-sequence").first() if report else None
    submitted = report is not None and report.state == ReportState.SUBMITTED
    writable = report is None or report.state != ReportState.SUBMITTED
    above = actions.parent_of(org)
    classification = report.classification if report else Clearance.CONFIDENTIAL
    context = {
        "form": form,
        "org": org,
        "period": period,
        "report": report,
        "last": last,
        "sections": _with_change(
            last.snapshot["sections"] if submitted and last else _live(live, report)
        ),
        "live": live,
        "differences": tables.differences(last.snapshot, live) if submitted and last else [],
        "history": list(report.submissions.order_by("sequence")) if report else [],
        "may_write": writable and policy.can(user, A.REPORT_PREPARE, org, classification),
        "may_submit": writable and report is not None and policy.can(user, A.REPORT_SUBMIT, org),
        "may_return": submitted and above is not None and policy.can(user, A.REPORT_SUBMIT, above),
        "clearances": [(v, label) for v, label in Clearance.choices if v <= user.clearance],
        "choices": _choices(form, period),
        "today": timezone.localdate(),
    }
    return render(request, "reports/document.html", context)


def _with_change(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for section in sections:
        for row in section["rows"]:
            now, before = row["now"], row["before"]
            row["change"] = None if now is None or before is None else now - before
    return sections


def _live(live: list[tables.Section], report: Report | None) -> list[dict[str, Any]]:
    return tables.plain(live, report.narrative if report else {})


def _choices(form: ReportForm, current: Period) -> list[Period]:
    """This year's and last year's quarters, six and nine months and years, and the period
    shown (a month or a range of days is not among them)."""
    today = timezone.localdate()
    year = periods.containing(today, periods.YEAR, cutoff=form.cutoff_day).year
    found = []
    for y in (year, year - 1):
        found += [Period(periods.QUARTER, y, n, form.cutoff_day) for n in (1, 2, 3, 4)]
        found += [
            Period(k, y, n, form.cutoff_day)
            for k, n in ((periods.HALF, 1), (periods.NINE, 0), (periods.YEAR, 0))
        ]
    return found if current in found else [current, *found]


@require_POST
def report_save(request: HttpRequest, code: str) -> HttpResponse:
    user = acting_user(request)
    form = _form(code)
    org, period = _org(user, request.GET), _period(form, request.GET)
    if not policy.can(user, A.REPORT_PREPARE, org):
        raise Http404
    narrative = {
        key.removeprefix("section-"): request.POST.get(key, "")
        for key in request.POST
        if key.startswith("section-")
    }
    try:
        classification = int(request.POST.get("classification", Clearance.CONFIDENTIAL))
        report = actions.start(user, form, org, period)
        actions.write(
            user,
            report,
            narrative=narrative,
            signer_title=request.POST.get("signer_title", ""),
            signer_name=request.POST.get("signer_name", ""),
            classification=classification,
        )
    except (ReportError, ValueError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The draft is saved."))
    return redirect(_here(code, org, period))


def _report(user: User, pk: int) -> Report:
    found = Report.objects.visible_to(user).select_related("form", "organization").filter(pk=pk)
    return get_object_or_404(found)


def _back(report: Report) -> str:
    period = periods.parse(report.period, cutoff=report.form.cutoff_day)
    return _here(report.form.code, report.organization, period)


@replica.served
def report_kept(request: HttpRequest, pk: int) -> HttpResponse:
    """A kept report by its id (the outgoing register links here): its page."""
    return redirect(_back(_report(acting_user(request), pk)))


@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    report = _report(user, pk)
    if not policy.can(user, A.REPORT_SUBMIT, report.organization):
        raise Http404
    try:
        issued_on = query.day(request.POST, "issued_on", timezone.localdate())
        submission = actions.submit(user, report, issued_on=issued_on)
    except (ReportError, NumberingError, policy.Denied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Submitted as Số %(ref)s.") % {"ref": submission.document.reference},
        )
    return redirect(_back(report))


@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    report = _report(user, pk)
    try:
        actions.return_report(user, report, reason=request.POST.get("reason", ""))
    except policy.Denied:
        raise Http404 from None
    except ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("The report is returned to %(org)s.") % {"org": report.organization.name}
        )
    return redirect(_back(report))


@replica.served
@require_http_methods(["GET", "POST"])
def report_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The report as Excel, PDF or Word at once; a draft of a large organization (its figures
    computed now) is offered as a background job (POST), whose page the user is sent to."""
    user = acting_user(request)
    report = _report(user, pk)
    if fmt not in FORMATS:
        raise Http404
    if jobs.in_background(report):
        if request.method != "POST":
            return render(request, "reports/export_job.html", {"report": report, "fmt": fmt})
        return start_and_show(
            request,
            jobs.export_report,
            title=f"{report.form.title} {report.period} ({fmt.upper()}) · {report.organization}",
            back=_back(report),
            classification=report.classification,  # the file's: the job's downloads
            report_id=report.pk,
            fmt=fmt,
        )
    if request.method == "POST":
        raise Http404
    try:
        content, name = reads.export(user, report, fmt, recipient=request.GET.get("recipient", ""))
    except (CopyError, PdfUnavailable, policy.Denied) as exc:
        messages.error(request, str(exc))
        return redirect(_back(report))
    response = HttpResponse(content, content_type=jobs.TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ?show= on the status page: which organizations below are listed (the home page links here).
SHOWN: dict[str, Callable[[reads.Below], bool]] = {
    "submitted": lambda b: b.report is not None and b.report.state == ReportState.SUBMITTED,
    "returned": lambda b: b.report is not None and b.report.state == ReportState.RETURNED,
    "late": lambda b: b.late,
}


def report_status(request: HttpRequest, code: str) -> HttpResponse:
    """The level above's view: which organizations directly below have submitted the report
    for the period, which are late or returned, and the consolidated figures of those
    submitted beside today's figures of the whole subtree."""
    user = acting_user(request)
    form = _form(code)
    org, period = _org(user, request.GET), _period(form, request.GET)
    status = reads.completeness(user, form, org, period)
    show = request.GET.get("show", "")
    if show in SHOWN:
        status["below"] = [b for b in status["below"] if SHOWN[show](b)]
    context = {
        "form": form,
        "org": org,
        "period": period,
        "choices": _choices(form, period),
        **status,
    }
    return render(request, "reports/status.html", context)
