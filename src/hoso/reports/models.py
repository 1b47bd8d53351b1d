"""Report forms (configuration: the tables of a periodic report and the indicator behind each
row) and the reports organizations keep and submit upward, with their frozen snapshots."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.querysets import Scope, ScopedQuerySet, ScopedRecord
from hoso.access.roles import Clearance


class ReportForm(models.Model):
    """A kind of periodic report (e.g. the BVCTNB work report): its sections and rows are
    configuration, so that the official forms can be followed without changing code."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=255)
    summary = models.CharField(
        _("summary line"),
        max_length=255,
        help_text=_("Printed under the document type; the period is added after it."),
    )
    cutoff_day = models.PositiveSmallIntegerField(
        _("cut-off day"),
        default=0,
        help_text=_("The day of the month periods close on (0: the month's last day)."),
    )
    due_days = models.PositiveSmallIntegerField(
        _("days to submit"), default=5, help_text=_("Calendar days after the period's end.")
    )
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("One per line."))
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("report form")
        verbose_name_plural = _("report forms")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title


class FormSection(models.Model):
    """A numbered part of the report: a narrative the officer writes, and a table of figures
    when it has rows."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"))
    heading = models.CharField(_("heading"), max_length=255)
    guidance = models.TextField(_("what to write"), blank=True)

    class Meta:
        ordering = ["form", "order"]
        constraints = [
            models.UniqueConstraint(fields=["form", "order"], name="report_section_order")
        ]

    def __str__(self) -> str:
        return self.heading


class FormRow(models.Model):
    """One row of a section's table: an indicator, or one category of it (`value`)."""

    section = models.ForeignKey(FormSection, on_delete=models.CASCADE, related_name="rows")
    order = models.PositiveSmallIntegerField(_("order"))
    label = models.CharField(_("label"), max_length=255)
    indicator = models.CharField(_("indicator"), max_length=64)
    value = models.CharField(
        _("category"), max_length=64, blank=True, help_text=_("Blank: the whole figure.")
    )
    indent = models.PositiveSmallIntegerField(_("indent"), default=0)

    class Meta:
        ordering = ["section", "order"]
        constraints = [
            models.UniqueConstraint(fields=["section", "order"], name="report_row_order")
        ]

    def __str__(self) -> str:
        return self.label


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")


class Report(ScopedRecord):
    """One organization's report on one form for one period: a draft narrative, then each
    submission frozen as a `Submission`."""

    scope = Scope(policy.Action.REPORT_VIEW, classification="classification")
    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("office")
    )
    period = models.CharField(_("period"), max_length=32)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT
    )
    narrative = models.JSONField(_("narrative"), default=dict)  # section order -> text
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Clearance.choices, default=Clearance.CONFIDENTIAL
    )
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True)
    signer_name = models.CharField(_("signer"), max_length=150, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet["Report"].as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-end", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "organization", "period"], name="report_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.form.code} {self.period} {self.organization}"


class Submission(models.Model):
    """A report as submitted: the figures frozen with their definitions, the narrative, the
    number and signer, and the SHA-256 of that snapshot. Never edited; a return by the level
    above is recorded on it once, with its reason."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="submissions")
    sequence = models.PositiveSmallIntegerField()
    snapshot = models.JSONField()
    sha256 = models.CharField(max_length=64)
    document = models.OneToOneField(
        "documents.OutgoingDocument", on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    returned_reason = models.CharField(_("reason for returning"), max_length=500, blank=True)
    returned_by = models.ForeignKey(
        "access.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["report", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["report", "sequence"], name="submission_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.report} #{self.sequence}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and kwargs.get("update_fields") is None:
            raise ValueError("a submission is never edited; only its return is recorded")
        super().save(*args, **kwargs)


class IndicatorCount(models.Model):
    """Exact casework counters (reports/counters.py keeps, reads, rebuilds and checks them):
    how many of an indicator's points fall in one month (span "m") or one year ("y") under
    `organization`'s whole subtree, for one category, secrecy level and restriction.

    A point is an event (+1 on its day: a case received, a reply arrived) or the beginning
    (+1) or the end (-1) of a state (a case open, a request overdue): a state's figure at a
    month's end is the sum of its points up to that day."""

    pk = models.CompositePrimaryKey(
        "indicator", "organization", "span", "day", "category", "classification", "restricted"
    )
    indicator = models.CharField(max_length=48)
    # No constraint in the database, as for the member counts: the rebuild writes millions of
    # rows and nodes are never deleted.
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    span = models.CharField(max_length=1)  # "m": the month starting on `day`; "y": the year
    day = models.DateField()
    category = models.CharField(max_length=160, blank=True)
    classification = models.PositiveSmallIntegerField(default=0)
    restricted = models.BooleanField(default=False)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("indicator count")
        verbose_name_plural = _("indicator counts")

    def __str__(self) -> str:
        return f"{self.indicator} {self.organization_id} {self.span}{self.day}: {self.n}"


class RequestPerson(models.Model):
    """Who each verification request concerns, as one human being (the person, through a
    merge; a declared relative linked to nobody: minus the relative's id), with where the
    request's case is kept: the narrow rows "persons concerned by the requests issued" counts
    distinct values of, kept in step by reports/persons.py."""

    request = models.OneToOneField(
        "vetting.VerificationRequest",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    org_path = models.CharField(max_length=255)  # the case's organization's path (a copy)
    sent_on = models.DateField()
    addressee = models.ForeignKey(
        "vetting.Addressee", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    who = models.BigIntegerField()
    classification = models.PositiveSmallIntegerField(default=0)
    restricted = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("person concerned by a request")
        verbose_name_plural = _("persons concerned by requests")
        indexes = [
            # A path prefix (LIKE 'x%') walks the index on PostgreSQL only with the pattern
            # operator class (the database's collation is not C).
            models.Index(
                fields=["org_path", "sent_on"],
                name="request_person_scope",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            models.Index(fields=["sent_on"], name="request_person_sent"),
        ]

    def __str__(self) -> str:
        return f"request {self.request_id}: {self.who}"
