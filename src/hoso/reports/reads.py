"""Reading report figures and the records behind them, with each read recorded: which
indicators, organization and period (how many records, never who)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.access.models import User
from hoso.audit import events, reasons
from hoso.audit.chain import record, record_on
from hoso.documents import render
from hoso.documents.actions import copies
from hoso.lib import excel, periods, query
from hoso.lib.periods import Period
from hoso.orgs.models import Organization
from hoso.reports import compute, indicators, printing, tables
from hoso.reports.indicators import Indicator
from hoso.reports.models import Report, ReportForm, ReportState, Submission

DRILL_LIMIT = 500  # rows shown on a drill-down page; the count above it is exact


def figures(
    actor: User,
    org: Organization,
    period: Period,
    indicators: list[Indicator],
    *,
    parts: bool = False,
    via: str = "",
) -> list[compute.Figure]:
    found = [compute.compute(actor, ind, org, period, parts=parts) for ind in indicators]
    details: dict[str, Any] = {"period": period.key, "indicators": [i.code for i in indicators]}
    sensitive = [i.code for i in indicators if i.sensitive]
    if sensitive:
        details["sensitive"] = sensitive
    if via:
        details["via"] = via
    record(events.REPORT_VIEWED.code, actor=actor, organization=org, details=details)
    return found


def many(
    actor: User,
    org: Organization,
    asked: list[tuple[Period, list[Indicator]]],
    *,
    via: str = "",
) -> list[list[compute.Figure]]:
    """The figures of several periods (each with its indicators), one read recorded for them
    all: a page that shows a trend reads once, not once a period."""
    found = [[compute.compute(actor, ind, org, period) for ind in inds] for period, inds in asked]
    codes = list(dict.fromkeys(i.code for _, inds in asked for i in inds))
    details: dict[str, Any] = {"periods": [p.key for p, _ in asked], "indicators": codes}
    sensitive = [i.code for _, inds in asked for i in inds if i.sensitive]
    if sensitive:
        details["sensitive"] = list(dict.fromkeys(sensitive))
    if via:
        details["via"] = via
    record(events.REPORT_VIEWED.code, actor=actor, organization=org, details=details)
    return found


def trend(
    actor: User, indicator: Indicator, org: Organization, quarters: list[Period]
) -> list[int]:
    """The indicator's total for each quarter, with one read recorded for them all."""
    return [found[0].total for found in many(actor, org, [(q, [indicator]) for q in quarters])]


def drill(
    actor: User,
    indicator: Indicator,
    org: Organization,
    period: Period,
    *,
    value: str | None = None,
    here: bool = False,
    via: str = "",
) -> tuple[int, list[Any]]:
    """The records that make one figure (of one category, or kept at `org` itself rather than
    below it): their exact number and the first DRILL_LIMIT of them."""
    qs = narrowed(actor, indicator, org, period, value=value, here=here)
    count = qs.count()
    rows = list(qs.order_by("pk")[:DRILL_LIMIT])
    details: dict[str, Any] = {"period": period.key, "indicator": indicator.code, "count": count}
    if value is not None:
        details["value"] = value
    if here:
        details["here"] = True
    if via:
        details["via"] = via
    record(events.REPORT_RECORDS_LISTED.code, actor=actor, organization=org, details=details)
    return count, rows


EXPORT_LIMIT = 100_000


def drill_export(
    actor: User,
    indicator: Indicator,
    org: Organization,
    period: Period,
    *,
    value: str | None = None,
    here: bool = False,
    reason: str,
) -> bytes:
    """The records behind a figure as Excel, only with a typed reason, kept in the audit event
    with how many rows left (a list of persons by recorded outcome is sensitive)."""
    try:
        why = reasons.required(reason)
    except reasons.ReasonError:
        raise reasons.ReasonError(
            _(
                "Type the reason for exporting (at least %(min)d characters): it is kept in the"
                " audit trail. Nothing was exported."
            )
            % {"min": reasons.MIN_LENGTH}
        ) from None
    qs = narrowed(actor, indicator, org, period, value=value, here=here).order_by("pk")
    rows = list(qs[:EXPORT_LIMIT])
    content = excel.write_table(str(indicator.label), indicator.columns, rows)  # type: ignore[arg-type]
    details: dict[str, Any] = {
        "period": period.key,
        "indicator": indicator.code,
        "count": len(rows),
    }
    if value is not None:
        details["value"] = value
    if here:
        details["here"] = True
    record(
        events.REPORT_RECORDS_EXPORTED.code,
        actor=actor,
        organization=org,
        reason=why,
        details=details,
    )
    return content


def narrowed(
    actor: User,
    indicator: Indicator,
    org: Organization,
    period: Period,
    *,
    value: str | None,
    here: bool,
) -> QuerySet[Any]:
    qs = compute.records(actor, indicator, org, period)
    if here:
        qs = qs.filter(**{indicator.path: org.path})
    if value is None or not indicator.by:
        return qs
    missing = Q(**{f"{indicator.by}__isnull": True})
    try:
        if value == "":
            return qs.filter(missing | Q(**{indicator.by: ""}))
        return qs.filter(**{indicator.by: value})
    except (ValueError, TypeError, ValidationError):  # a number expected: blank means none
        if value == "":
            return qs.filter(missing)
        raise query.BadParameter("value", _("“value” is not a category of this figure.")) from None


def report_tables(
    actor: User, form: ReportForm, org: Organization, period: Period
) -> list[tables.Section]:
    """The form's tables filled with the figures the actor may see, the read recorded."""
    sections = tables.fill(actor, form, org, period)
    codes = sorted({row.indicator for s in sections for row in s.rows if row.now is not None})
    details = {"period": period.key, "form": form.code, "indicators": codes}
    record(events.REPORT_VIEWED.code, actor=actor, organization=org, details=details)
    return sections


def export(actor: User, report: Report, fmt: str, *, recipient: str = "") -> tuple[bytes, str]:
    """The report as Excel, PDF or Word: a submitted one as frozen, a draft as it stands
    (marked DỰ THẢO). A classified submitted report's PDF and Word files are copies of its
    numbered document, each registered with its recipient (documents' copy register)."""
    period = periods.parse(report.period, cutoff=report.form.cutoff_day)
    last = report.submissions.select_related("document").order_by("-sequence").first()
    frozen = report.state == ReportState.SUBMITTED and last is not None
    if frozen:
        assert last is not None
        sections, reference, day = (
            last.snapshot["sections"],
            last.document.reference,
            last.document.issued_on,
        )
    else:
        live = tables.fill(actor, report.form, report.organization, period)
        sections, reference, day = tables.plain(live, report.narrative), "", timezone.localdate()
    name = f"bao-cao-{report.form.code.lower()}-{report.period}.{fmt}"
    details = {"period": report.period, "format": fmt, "reference": reference}
    if fmt == "xlsx":
        content = printing.workbook(report, sections, label=period.label, reference=reference)
        record_on(events.REPORT_EXPORTED.code, actor, report, **details)
        return content, name
    paper = printing.paper(report, sections, reference=reference, label=period.label,
                           day=day, draft=not frozen)  # fmt: skip
    if frozen and report.classification:
        assert last is not None
        content, _copy = copies.generate(
            actor, last.document, paper, file_format=fmt, recipient=recipient
        )
    else:
        content = render.to_pdf(paper) if fmt == "pdf" else render.to_docx(paper)
    record_on(events.REPORT_EXPORTED.code, actor, report, **details)
    return content, name


@dataclass
class Below:
    org: Organization
    report: Report | None
    last: Submission | None
    late: bool


def below(
    actor: User, form: ReportForm, org: Organization, period: Period
) -> tuple[list[Below], dt.date]:
    """Each open organization directly below `org` with its report for the period (if the
    actor sees it), its last submission and whether it is late; and the due day."""
    children = list(
        Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1)
        .filter(valid_to__isnull=True)
        .order_by("path")
    )
    kept = {
        r.organization_id: r
        for r in Report.objects.visible_to(actor).filter(
            form=form, period=period.key, organization__in=children
        )
    }
    due = period.end + dt.timedelta(days=form.due_days)
    today = timezone.localdate()
    found = []
    for child in children:
        report = kept.get(child.pk)
        last = report.submissions.order_by("-sequence").first() if report else None
        first = report.submissions.order_by("sequence").first() if report else None
        on_time = first is not None and timezone.localdate(first.submitted_at) <= due
        late = not on_time and (first is not None or today > due)
        found.append(Below(child, report, last, late))
    return found, due


def completeness(
    actor: User, form: ReportForm, org: Organization, period: Period
) -> dict[str, Any]:
    """Who below `org` has submitted the period's report, who is late; the sum of what was
    submitted (additive rows only) beside today's figures of the whole subtree."""
    found, due = below(actor, form, org, period)
    live = report_tables(actor, form, org, period)
    submitted = [
        b.last.snapshot
        for b in found
        if b.last and b.report and b.report.state == ReportState.SUBMITTED
    ]
    return {"below": found, "due": due, "rows": _consolidated(live, submitted)}


def _consolidated(
    live: list[tables.Section], snapshots: list[dict[str, Any]]
) -> list[tuple[str, int, int | None, int | None]]:
    """(label, indent, sum of the submitted figures or None when not additive, today's)."""
    found = []
    for section in live:
        for row in section.rows:
            indicator = indicators.get(row.indicator)
            additive = indicator is not None and indicator.additive
            total = (
                sum(_frozen(s, section.order, row.label) for s in snapshots) if additive else None
            )
            found.append((row.label, row.indent, total, row.now))
    return found


def _frozen(snapshot: dict[str, Any], order: int, label: str) -> int:
    for section in snapshot["sections"]:
        if section["order"] == order:
            for row in section["rows"]:
                if row["label"] == label:
                    return int(row["now"] or 0)
    return 0


def reported_counts(units: list[Organization], year: int, quarter: int) -> dict[int, int]:
    """The member counts the units froze in a periodic report submitted for that calendar
    quarter (people's reconciliation reads them: see people.hooks.REPORTED_COUNTS)."""
    period = Period(periods.QUARTER, year, quarter)
    found: dict[int, int] = {}
    submitted = (
        Submission.objects.filter(
            report__organization__in=units,
            report__start=period.start,
            report__end=period.end,
            report__state=ReportState.SUBMITTED,
        )
        .select_related("report")
        .order_by("sequence")
    )
    for submission in submitted:  # the latest submission of each unit wins
        count = submission.snapshot.get("members_at_end")
        if count is not None:
            found[submission.report.organization_id] = count
    return found
