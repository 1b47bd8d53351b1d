"""Reports' background jobs: a draft report of a large organization printed while the user
keeps working (its figures are computed live over the whole subtree)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from hoso.jobs.runner import Run, define
from hoso.lib import excel
from hoso.people import aggregates
from hoso.reports import reads
from hoso.reports.models import Report, ReportState

TYPES = {
    "xlsx": excel.CONTENT_TYPE,
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def in_background(report: Report) -> bool:
    """Is the report printed by a job: a draft (figures computed now) of an organization with
    more than HOSO_REPORT_BACKGROUND_MEMBERS members in its subtree? A submitted report
    prints from its snapshot, at once."""
    if report.state == ReportState.SUBMITTED:
        return False
    return aggregates.in_party(report.organization) > settings.REPORT_BACKGROUND_MEMBERS


@define(sensitive=True)
def export_report(run: Run, report_id: int, fmt: str) -> None:
    """The report as its owner sees it when the job runs (a grant removed in between refuses
    it, as the page would)."""
    report = (
        Report.objects.visible_to(run.owner)
        .select_related("form", "organization")
        .filter(pk=report_id)
        .first()
    )
    if report is None or fmt not in TYPES:
        raise PermissionDenied
    run.progress(0, 1, _("Computing the figures…"))
    content, name = reads.export(run.owner, report, fmt)
    run.progress(1, 1)
    run.save(content, name, TYPES[fmt])
