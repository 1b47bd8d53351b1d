"""A report as a document: the Hướng dẫn 36 paper (PDF, Word) and the Excel workbook (one
sheet per table, real numbers, frozen header, the period and scope in the first rows).

Both read the plain sections of `tables.plain` — live figures for a draft, the frozen snapshot
for a submitted report — so what is printed is what was submitted."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from hoso.documents import papers
from hoso.documents.paper import Paper
from hoso.lib import charts, excel
from hoso.reports.models import Report

HEADERS = ["STT", "Chỉ tiêu", "Kỳ báo cáo", "Cùng kỳ năm trước", "Tăng (+), giảm (-)"]


def _cells(row: dict[str, Any]) -> tuple[Any, Any, Any]:
    now, before = row["now"], row["before"]
    change = None if now is None or before is None else now - before
    return now, before, change


def _printed(row: dict[str, Any]) -> list[str]:
    now, before, change = _cells(row)
    shown = ["—" if v is None else str(v) for v in (now, before)]
    return [*shown, "—" if change is None else f"{change:+d}" if change else "0"]


def _charts(section: dict[str, Any], label: str) -> list[charts.Bars]:
    """The section's first figure by the organizations below, beside last year's, cut into
    page-high parts; none when there is no organization below with a figure."""
    below = section.get("parts") or []
    if len(below) < 2 or not any(now for _name, now, _before in below):
        return []
    series = [charts.Series(label, [now for _n, now, _b in below])]
    if all(before is not None for _n, _now, before in below):
        series.append(charts.Series("Cùng kỳ năm trước", [b for _n, _now, b in below]))
    chart = charts.Bars(
        title=f"{section['rows'][0]['label']}: {label}",
        categories=[name for name, _now, _b in below],
        series=series,
        category_header="Tổ chức đảng",
    )
    return charts.pages(chart)


def paper(report: Report, sections: list[dict[str, Any]], *, reference: str, label: str,
          day: dt.date, draft: bool) -> Paper:  # fmt: skip
    org = report.organization
    parts: list[list[object]] = []
    for section in sections:
        paragraphs = [p for p in section["narrative"].splitlines() if p.strip()]
        rows = [
            [str(n), ("\u00a0" * 4 * row["indent"]) + row["label"], *_printed(row)]
            for n, row in enumerate(section["rows"], start=1)
        ]
        drawn = _charts(section, label)
        svgs = [base64.b64encode(str(charts.svg(c)).encode()).decode() for c in drawn]
        pngs = [base64.b64encode(charts.png(c)).decode() for c in drawn]
        parts.append([section["heading"], paragraphs, HEADERS if rows else [], rows, svgs, pngs])
    base = papers.from_table(
        org, kind="Báo cáo", summary=f"{report.form.summary} {label}", headers=[], rows=[],
        date=day, signer_title=report.signer_title, signer_name=report.signer_name,
    )  # fmt: skip
    base.reference = reference
    base.sections = parts
    base.draft = draft
    base.secrecy = report.classification
    base.recipients = [r.strip() for r in report.form.recipients.splitlines() if r.strip()]
    return base


def workbook(
    report: Report, sections: list[dict[str, Any]], *, label: str, reference: str
) -> bytes:
    org = report.organization
    preamble = [
        [report.form.title],
        [f"{org.name} — {label} ({report.start:%d/%m/%Y} – {report.end:%d/%m/%Y})"],
        [f"Số {reference}" if reference else "DỰ THẢO (chưa gửi)"],
    ]
    sheets = [
        excel.Sheet(
            title=section["heading"].split(". ", 1)[-1],
            preamble=[*preamble, [section["heading"]]],
            headers=HEADERS,
            rows=[
                [n, row["label"], *_cells(row)] for n, row in enumerate(section["rows"], start=1)
            ],
        )
        for section in sections
        if section["rows"]
    ]
    return excel.write_sheets(sheets)
