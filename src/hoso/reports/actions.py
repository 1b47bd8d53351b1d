"""Periodic reports: started and written by officers, signed and submitted upward by a head
or leader (figures frozen as a numbered, hashed snapshot), returned by the level above."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record, record_on
from hoso.documents.actions import numbering
from hoso.documents.models import DocumentKind
from hoso.lib import periods
from hoso.orgs.models import Organization
from hoso.reports import tables
from hoso.reports.models import (
    FormRow,
    FormSection,
    Report,
    ReportForm,
    ReportState,
    Submission,
)

A = policy.Action
OBJECT_TYPE = "reports.report"  # documents.owners: the outgoing document of a submission
WRITABLE = (ReportState.DRAFT, ReportState.RETURNED)


class ReportError(ValueError):
    pass


def parent_of(org: Organization) -> Organization | None:
    found: Organization | None = Organization.objects.filter(
        path=org.path[: -Organization.steplen]
    ).first()
    return found


def start(actor: User, form: ReportForm, org: Organization, period: periods.Period) -> Report:
    """The organization's report on `form` for `period` (a draft is started if none)."""
    policy.require(actor, A.REPORT_PREPARE, org)
    with transaction.atomic():
        report, created = Report.objects.get_or_create(
            form=form,
            organization=org,
            period=period.key,
            defaults={"start": period.start, "end": period.end, "created_by": actor},
        )
        if created:
            record_on(events.REPORT_DRAFTED.code, actor, report, period=period.key)
    return report


def _locked(report: Report) -> Report:
    return (
        Report.objects.select_for_update().select_related("form", "organization").get(pk=report.pk)
    )


def write(
    actor: User,
    report: Report,
    *,
    narrative: dict[str, str],
    signer_title: str,
    signer_name: str,
    classification: int,
) -> Report:
    """Keep the draft's text (one narrative per section), its signer and secrecy level."""
    policy.require(actor, A.REPORT_PREPARE, report.organization, report.classification)
    if classification > actor.clearance:
        raise ReportError(_("You cannot mark a report above your own clearance."))
    with transaction.atomic():
        report = _locked(report)
        if report.state not in WRITABLE:
            raise ReportError(_("A submitted report is not edited: the level above returns it."))
        known = {str(s.order) for s, _rows in tables.sections_of(report.form)}
        report.narrative = {k: v.strip() for k, v in narrative.items() if k in known}
        report.signer_title, report.signer_name = signer_title.strip(), signer_name.strip()
        report.classification = classification
        report.save()
        record_on(events.REPORT_WRITTEN.code, actor, report, period=report.period)
    return report


def submit(actor: User, report: Report, *, issued_on: dt.date) -> Submission:
    """Freeze the figures as the signer sees them, number the report in the outgoing register
    and send it up. The snapshot's SHA-256 is recorded with the audit event."""
    policy.require(actor, A.REPORT_SUBMIT, report.organization, report.classification)
    with transaction.atomic():
        report = _locked(report)
        if report.state not in WRITABLE:
            raise ReportError(_("This report has already been submitted."))
        if not report.signer_name:
            raise ReportError(_("Give the signer's name and title before submitting."))
        if issued_on < report.end:
            raise ReportError(_("A report cannot be dated before the end of its period."))
        period = periods.parse(report.period, cutoff=report.form.cutoff_day)
        sections = tables.fill(actor, report.form, report.organization, period)
        document = numbering.allocate(
            actor,
            report.organization,
            DocumentKind.objects.get(code="BC"),
            issued_on=issued_on,
            summary=f"{report.form.summary} {period.label}",
            signer=report.signer_name,
            recipients=report.form.recipients,
            classification=report.classification,
            # A secret report is printed copy by copy: one for each recipient of the form.
            copies=max(1, len([r for r in report.form.recipients.splitlines() if r.strip()])),
            object_type=OBJECT_TYPE,
            object_id=str(report.pk),
        )
        now = timezone.now()
        frozen = tables.snapshot(
            report, sections, submitter=actor, reference=document.reference,
            submitted_by=actor.username, submitted_at=now,
        )  # fmt: skip
        submission = Submission.objects.create(
            report=report,
            sequence=report.submissions.count() + 1,
            snapshot=frozen,
            sha256=tables.digest(frozen),
            document=document,
            submitted_by=actor,
            submitted_at=now,
        )
        report.state = ReportState.SUBMITTED
        report.save(update_fields=["state", "updated_at"])
        record_on(
            events.REPORT_SUBMITTED.code,
            actor,
            report,
            period=report.period,
            reference=document.reference,
            sha256=submission.sha256,
            sequence=submission.sequence,
        )
    return submission


def return_report(actor: User, report: Report, *, reason: str) -> Report:
    """The level above sends a submitted report back, with its reason; the snapshot stays."""
    above = parent_of(report.organization)
    if above is None or not policy.can(actor, A.REPORT_SUBMIT, above, report.classification):
        raise policy.Denied(_("Only the level above may return a report."))
    if not reason.strip():
        raise ReportError(_("Give the reason for returning the report."))
    with transaction.atomic():
        report = _locked(report)
        if report.state != ReportState.SUBMITTED:
            raise ReportError(_("Only a submitted report can be returned."))
        last = report.submissions.select_for_update().order_by("-sequence").first()
        assert last is not None  # a submitted report has its submission
        last.returned_reason, last.returned_by = reason.strip(), actor
        last.returned_at = timezone.now()
        last.save(update_fields=["returned_reason", "returned_by", "returned_at"])
        report.state = ReportState.RETURNED
        report.save(update_fields=["state", "updated_at"])
        record_on(events.REPORT_RETURNED.code, actor, report, why=reason.strip(),
                  period=report.period, sequence=last.sequence)  # fmt: skip
    return report


# ---- report forms (configuration, national administrators) --------------------------------
# A submitted report's snapshot holds its own copy of the layout and the figures, so editing a
# form changes the drafts and the reports to come, never a submitted one.


def save_layout(actor: User, part: str, form: Any) -> Any:
    """A report form, one of its sections or rows, saved from a validated form."""
    policy.require_national(actor, A.CONFIG_MANAGE)
    with transaction.atomic():
        item = form.save()
        values = {k: str(v) for k, v in form.cleaned_data.items()}
        _changed(actor, part, item.pk, values)
    return item


def delete_layout(actor: User, part: str, item: FormSection | FormRow) -> None:
    """A row, or a section without rows, taken out of its form."""
    policy.require_national(actor, A.CONFIG_MANAGE)
    if isinstance(item, FormSection) and item.rows.exists():
        raise ReportError(_("Take the section's rows out first."))
    with transaction.atomic():
        pk, label = item.pk, str(item)
        item.delete()
        _changed(actor, part, pk, {"deleted": label})


def _changed(actor: User, part: str, pk: int, values: dict[str, str]) -> None:
    details = {"catalogue": f"report-{part}", "id": pk, "values": values}
    record(events.CATALOGUE_CHANGED.code, actor=actor, details=details)
