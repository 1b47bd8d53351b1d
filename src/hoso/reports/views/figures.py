"""Report pages: the figures of an organization for a period (with the same period of the
previous year), one indicator broken down by the organizations below, and the records behind
any figure. ?org=<id> (default: the viewer's first scope), ?period=<key> (lib/periods.py,
default: the current quarter)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.access.models import User
from hoso.audit import reasons
from hoso.lib import charts, excel, periods, query, replica
from hoso.lib.periods import Period
from hoso.orgs.models import Organization
from hoso.reports import compute, indicators, reads
from hoso.reports.indicators import Indicator
from hoso.reports.models import ReportForm

REPORT = policy.Action.REPORT_VIEW


def _report_paths(user: User) -> list[str]:
    """Where the viewer may read some indicator (each indicator has its own action)."""
    actions = {ind.action for ind in indicators.REGISTRY.values()}
    return sorted({p for a in actions for p in policy.scope_paths(user, a)})


def scope_of(user: User, params: Any) -> Organization:
    """The organization a report is about: ?org=<id> if the viewer may see some figure of its
    whole subtree, else their first scope. Anything else answers 404, as if missing."""
    paths = _report_paths(user)
    if not paths:
        raise Http404
    pk = query.record_id(params, "org")
    org: Organization | None
    if pk is None:
        org = Organization.objects.filter(path=paths[0]).first()
    else:
        org = Organization.objects.filter(pk=pk).first()
    if org is None or not any(org.path.startswith(p) for p in paths):
        raise Http404
    return org


def period_of(params: Any) -> Period:
    today = timezone.localdate()
    first, last = params.get("from", ""), params.get("to", "")
    if first and last:  # a range typed in the form's two date fields
        return periods.parse(f"{first}..{last}", name="from")
    return periods.from_params(params, today, cutoff=settings.HOSO_REPORT_CUTOFF_DAY)


def period_choices(today: Any) -> list[Period]:
    """The periods offered in the form: this year's and the two before."""
    cutoff = settings.HOSO_REPORT_CUTOFF_DAY
    current = periods.containing(today, periods.YEAR, cutoff=cutoff).year
    found: list[Period] = []
    for year in range(current, current - 3, -1):
        found += [Period(periods.QUARTER, year, n, cutoff) for n in (1, 2, 3, 4)]
        found += [
            Period(periods.HALF, year, 1, cutoff),
            Period(periods.NINE, year, 0, cutoff),
            Period(periods.YEAR, year, 0, cutoff),
        ]
    return found


def indicator_for(user: User, code: str, org: Organization) -> Indicator:
    found = indicators.get(code)
    if found is None or not compute.may_see(user, found, org):
        raise Http404
    return found


def _context(user: User, org: Organization, period: Period) -> dict[str, Any]:
    parent = Organization.objects.filter(path=org.path[: -Organization.steplen]).first()
    paths = _report_paths(user)
    return {
        "org": org,
        "period": period,
        "previous": period.previous_year(),
        "choices": period_choices(timezone.localdate()),
        "parent": parent if parent and any(parent.path.startswith(p) for p in paths) else None,
    }


def _shown(value: Any) -> Any:
    return f"{value:%d/%m/%Y}" if isinstance(value, dt.date) else value


@replica.served
def report_home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    org, period = scope_of(user, request.GET), period_of(request.GET)
    shown = compute.visible(user, org)
    now = reads.figures(user, org, period, shown)
    dated = [i for i in shown if i.dated]  # a stock as it stands now has no "last year"
    before = reads.figures(user, org, period.previous_year(), dated, via="comparison")
    earlier = {f.indicator.code: f for f in before}
    figures = {f.indicator.code: _lines(f, earlier.get(f.indicator.code)) for f in now}
    sections = [
        (section, [figures[i.code] for i in members])
        for section, members in indicators.by_section(figures)
    ]
    forms = ReportForm.objects.filter(active=True) if policy.scope_paths(user, REPORT) else []
    context = _context(user, org, period) | {"sections": sections, "forms": forms}
    return render(request, "reports/home.html", context)


@dataclass
class Line:
    """One line of the report's table: a figure, or one category of it, now and a year before."""

    label: Any
    now: int
    before: int | None  # None: the figure has no comparison (a stock as it stands now)
    value: Any = None  # the category drilled into (None: the whole figure)

    @property
    def total(self) -> bool:
        return self.value is None

    @property
    def change(self) -> int | None:
        return None if self.before is None else self.now - self.before


def _lines(now: compute.Figure, before: compute.Figure | None) -> tuple[Indicator, list[Line]]:
    """The figure's line, then one per category (those of last year too, at 0 now)."""
    earlier = {c.value: c.n for c in before.categories} if before else {}
    lines = [Line(now.indicator.label, now.total, before.total if before else None)]
    if now.indicator.by:
        values = {c.value for c in now.categories}
        gone = [compute.Category(c.value, c.label, 0) for c in before.categories] if before else []
        for c in [*now.categories, *(c for c in gone if c.value not in values)]:
            value = "" if c.value is None else c.value
            lines.append(Line(c.label, c.n, earlier.get(c.value, 0) if before else None, value))
    return now.indicator, lines


@replica.served
def report_indicator(request: HttpRequest, code: str) -> HttpResponse:
    user = acting_user(request)
    org, period = scope_of(user, request.GET), period_of(request.GET)
    indicator = indicator_for(user, code, org)
    (figure,) = reads.figures(user, org, period, [indicator], parts=True)
    before = None
    if indicator.dated:
        earlier = period.previous_year()
        (before,) = reads.figures(user, org, earlier, [indicator], parts=True, via="comparison")
    values = [c.value for c in figure.categories] if indicator.by else []
    parts = [
        {
            "org": part.org,
            "n": part.n,
            "cells": [("" if v is None else v, part.by.get(v, 0)) for v in values],
        }
        for part in figure.parts or []
    ]
    context = _context(user, org, period) | {
        "indicator": indicator,
        "figure": figure,
        "parts": parts,
        "chart": charts.svg(_bars(figure, before)),
        "trend": charts.svg(_by_quarter(user, indicator, org, period)) if indicator.dated else "",
    }
    return render(request, "reports/indicator.html", context)


def _bars(figure: compute.Figure, before: compute.Figure | None) -> charts.Bars:
    """The figure of each organization below, beside the same period last year's."""
    here = gettext("At %(name)s itself") % {"name": figure.org.name}
    parts = figure.parts or []
    series = [charts.Series(figure.period.label, [p.n for p in parts])]
    if before is not None:
        earlier = {p.org.pk if p.org else None: p.n for p in before.parts or []}
        values = [earlier.get(p.org.pk if p.org else None, 0) for p in parts]
        series.append(charts.Series(before.period.label, values))
    return charts.Bars(
        title=f"{figure.indicator.label}: {figure.period.label}",
        categories=[p.org.name if p.org else here for p in parts],
        series=series,
        category_header=gettext("Organization"),
    )


@replica.served
@require_POST
def report_records_export(request: HttpRequest, code: str) -> HttpResponse:
    """The records behind a figure as Excel, with the reason typed (kept in the audit)."""
    user = acting_user(request)
    org, period = scope_of(user, request.GET), period_of(request.GET)
    indicator = indicator_for(user, code, org)
    value = request.GET.get("value") if "value" in request.GET else None
    try:
        content = reads.drill_export(
            user, indicator, org, period, value=value, here=request.GET.get("here") == "1",
            reason=request.POST.get("reason", ""),
        )  # fmt: skip
    except reasons.ReasonError as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('report-records', args=[code])}?{request.GET.urlencode()}")
    response = HttpResponse(content, content_type=excel.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{code}-{period.key}.xlsx"'
    return response


def _by_quarter(
    user: User, indicator: Indicator, org: Organization, period: Period
) -> charts.Lines:
    """The indicator's total over the six quarters up to the one the period ends in."""
    cutoff = settings.HOSO_REPORT_CUTOFF_DAY
    last = periods.containing(period.end, periods.QUARTER, cutoff=cutoff)
    index = last.year * 4 + last.number - 1
    quarters = [
        Period(periods.QUARTER, i // 4, i % 4 + 1, cutoff) for i in range(index - 5, index + 1)
    ]
    totals = reads.trend(user, indicator, org, quarters)
    return charts.Lines(
        title=gettext("%(label)s by quarter") % {"label": indicator.label},
        x_labels=[f"Q{q.number}/{q.year}" for q in quarters],
        series=[charts.Series(str(indicator.label), totals)],
        category_header=gettext("Quarter"),
    )


@replica.served
def report_records(request: HttpRequest, code: str) -> HttpResponse:
    user = acting_user(request)
    org, period = scope_of(user, request.GET), period_of(request.GET)
    indicator = indicator_for(user, code, org)
    value = request.GET.get("value") if "value" in request.GET else None
    here = request.GET.get("here") == "1"
    count, rows = reads.drill(user, indicator, org, period, value=value, here=here)
    context = _context(user, org, period) | {
        "indicator": indicator,
        "count": count,
        "limit": reads.DRILL_LIMIT,
        "value_label": None if value is None else indicator.label_for(value),
        "here": here,
        "headers": [header for header, _ in indicator.columns],
        "rows": [
            (indicator.link_for(r), [_shown(cell(r)) for _, cell in indicator.columns])
            for r in rows
        ],
    }
    return render(request, "reports/records.html", context)
