"""A report form filled with figures: each section's rows with this period's value, the same
period last year's and the change; and the snapshot a submission freezes.

The snapshot is self-contained and serialisable (figures, the definitions and versions of the
indicators used, period, scope, narrative, number, signer), hashed over its canonical JSON, so
that a level running its own installation can check what it receives (the exchange issue).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from hoso.access import policy
from hoso.lib.periods import Period
from hoso.orgs.models import Organization
from hoso.people import reconcile
from hoso.reports import compute, indicators
from hoso.reports.models import FormRow, FormSection, Report, ReportForm

FORMAT = "hoso.report-snapshot/1"


@dataclass
class Row:
    order: int
    label: str
    indicator: str
    value: str
    indent: int
    now: int | None  # None: the viewer may not see this indicator here
    before: int | None  # None: no comparison (a stock as it stands now, or not visible)

    @property
    def change(self) -> int | None:
        return None if self.now is None or self.before is None else self.now - self.before


@dataclass
class Section:
    order: int
    heading: str
    guidance: str
    rows: list[Row]
    # The section's first figure by the organizations directly below: (name, now, before),
    # for the chart printed with the table.
    parts: list[tuple[str, int, int | None]] = field(default_factory=list)


def sections_of(form: ReportForm) -> list[tuple[FormSection, list[FormRow]]]:
    found = list(FormSection.objects.filter(form=form).prefetch_related("rows"))
    return [(s, list(s.rows.all())) for s in found]


def fill(user: Any, form: ReportForm, org: Organization, period: Period) -> list[Section]:
    """Every row's figures as `user` sees them, each indicator computed once per period; the
    first row of each table also by the organizations directly below."""
    layout = sections_of(form)
    codes = {row.indicator for _, rows in layout for row in rows}
    leads = {rows[0].indicator for _, rows in layout if rows and not rows[0].value}
    now = _figures(user, codes, org, period, leads)
    dated = {c for c in codes if (ind := indicators.get(c)) is not None and ind.dated}
    before = _figures(user, dated, org, period.previous_year(), leads)
    return [
        Section(
            section.order,
            section.heading,
            section.guidance,
            [_row(row, now.get(row.indicator), before.get(row.indicator)) for row in rows],
            _parts(now.get(rows[0].indicator), before.get(rows[0].indicator)) if rows else [],
        )
        for section, rows in layout
    ]


def _figures(
    user: Any, codes: set[str], org: Organization, period: Period, leads: set[str]
) -> dict[str, compute.Figure]:
    found = {}
    for code in sorted(codes):
        indicator = indicators.get(code)
        if indicator is not None and compute.may_see(user, indicator, org):
            parts = code in leads
            found[code] = compute.compute(user, indicator, org, period, parts=parts)
    return found


def _parts(
    now: compute.Figure | None, before: compute.Figure | None
) -> list[tuple[str, int, int | None]]:
    if now is None or not now.parts:
        return []
    earlier = {p.org.pk if p.org else None: p.n for p in before.parts or []} if before else {}
    return [
        (
            p.org.name if p.org else now.org.name,
            p.n,
            earlier.get(p.org.pk if p.org else None, 0) if before else None,
        )
        for p in now.parts
    ]


def value_of(figure: compute.Figure | None, value: str) -> int | None:
    if figure is None:
        return None
    if not value:
        return figure.total
    return next((c.n for c in figure.categories if _key(c.value) == value), 0)


def _key(value: Any) -> str:
    return "" if value is None else str(value)


def _row(row: FormRow, now: compute.Figure | None, before: compute.Figure | None) -> Row:
    return Row(
        row.order,
        row.label,
        row.indicator,
        row.value,
        row.indent,
        value_of(now, row.value),
        value_of(before, row.value),
    )


def members_at_end(user: Any, org: Organization, day: dt.date) -> int | None:
    """The subtree's member count on the period's last day (the quarterly reconciliation's
    reported count), for a signer who sees the members; else None."""
    if not policy.can(user, policy.Action.MEMBER_VIEW, org):
        return None
    return reconcile.count_at(org, day)


def snapshot(
    report: Report,
    sections: list[Section],
    *,
    submitter: Any,
    reference: str,
    submitted_by: str,
    submitted_at: dt.datetime,
) -> dict[str, Any]:
    org, form = report.organization, report.form
    codes = sorted({row.indicator for s in sections for row in s.rows})
    return {
        "format": FORMAT,
        "form": {"code": form.code, "title": form.title, "cutoff_day": form.cutoff_day},
        "organization": {"code": org.code, "name": org.name, "path": org.path},
        "period": {"key": report.period, "start": str(report.start), "end": str(report.end)},
        "indicators": {code: _definition(code) for code in codes},
        "sections": plain(sections, report.narrative),
        "members_at_end": members_at_end(submitter, org, report.end),
        "reference": reference,
        "classification": report.classification,
        "signer": {"title": report.signer_title, "name": report.signer_name},
        "submitted_by": submitted_by,
        "submitted_at": submitted_at.isoformat(),
    }


def plain(sections: list[Section], narrative: dict[str, str]) -> list[dict[str, Any]]:
    """The sections as plain data: what a snapshot freezes and what printing reads."""
    return [
        {
            "order": s.order,
            "heading": s.heading,
            "narrative": narrative.get(str(s.order), ""),
            "parts": [list(part) for part in s.parts],
            "rows": [
                {
                    "label": r.label,
                    "indicator": r.indicator,
                    "value": r.value,
                    "indent": r.indent,
                    "now": r.now,
                    "before": r.before,
                }
                for r in s.rows
            ],
        }
        for s in sections
    ]


def _definition(code: str) -> dict[str, Any]:
    indicator = indicators.get(code)
    if indicator is None:
        return {"missing": True}
    return {
        "version": indicator.version,
        "label": str(indicator.label),
        "definition": str(indicator.definition),
        "additive": indicator.additive,
    }


def digest(snapshot: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def differences(frozen: dict[str, Any], sections: list[Section]) -> list[tuple[str, Any, Any]]:
    """Rows whose figure today differs from the submitted one: (label, submitted, now)."""
    submitted = {(s["order"], r["label"]): r["now"] for s in frozen["sections"] for r in s["rows"]}
    return [
        (row.label, submitted[(s.order, row.label)], row.now)
        for s in sections
        for row in s.rows
        if (s.order, row.label) in submitted and submitted[(s.order, row.label)] != row.now
    ]
