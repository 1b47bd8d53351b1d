"""Yearly supplements (phiếu bổ sung hồ sơ, 3-HSĐV), the internal political matters log,
and dossier handover records (biên bản bàn giao)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.querysets import Scope, ScopedQuerySet
from hoso.access.roles import Clearance


class AnnualSupplement(models.Model):
    """What a member declared changed in a year, and the base committee's certification."""

    member = models.ForeignKey(
        "people.Member", on_delete=models.PROTECT, related_name="supplements"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    declared_on = models.DateField(_("declared on"))
    changes = models.TextField(
        _("declared changes"), help_text=_("Write “Không thay đổi” when nothing changed.")
    )
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    certified_by = models.ForeignKey(
        "access.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("annual supplement")
        verbose_name_plural = _("annual supplements")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="supplement_once_a_year")
        ]

    def __str__(self) -> str:
        return f"3-HSĐV {self.year}"


class MatterEntry(models.Model):
    """One documented matter about a person (sổ ghi chép tình hình chính trị nội bộ).
    Nothing enters the log without the document it comes from."""

    scope = Scope(policy.Action.MEMBER_VIEW, classification="classification")

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )
    member = models.ForeignKey(
        "people.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matters",
        verbose_name=_("member"),
    )
    subject = models.CharField(_("person concerned (as written)"), max_length=200)
    recorded_on = models.DateField(_("date"))
    matter = models.TextField(_("matter"))
    source = models.CharField(_("source document"), max_length=255)
    case_reference = models.CharField(_("case or petition reference"), max_length=100, blank=True)
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Clearance.choices, default=Clearance.CONFIDENTIAL
    )
    recorded_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet["MatterEntry"].as_manager()

    class Meta:
        verbose_name = _("matters log entry")
        verbose_name_plural = _("matters log entries")
        ordering = ["-recorded_on", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(source=""), name="matter_needs_source")]

    def __str__(self) -> str:
        return f"{self.recorded_on:%d/%m/%Y} {self.subject}"


class Handover(models.Model):
    """Dossiers handed from one keeper (or organization) to another, for signature."""

    scope = Scope(policy.Action.MEMBER_VIEW)

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handing organization"),
    )
    receiver = models.CharField(_("receiving organization"), max_length=255)
    from_keeper = models.CharField(_("handed over by"), max_length=150)
    to_keeper = models.CharField(_("received by"), max_length=150)
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=255)
    recorded_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet["Handover"].as_manager()

    class Meta:
        verbose_name = _("handover record")
        verbose_name_plural = _("handover records")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.organization} → {self.receiver}"


class HandoverItem(models.Model):
    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="items")
    member = models.ForeignKey(
        "people.Member", on_delete=models.PROTECT, null=True, related_name="+"
    )
    description = models.CharField(_("item"), max_length=255)
    documents = models.PositiveSmallIntegerField(_("documents"), default=0)
    pages = models.PositiveIntegerField(_("pages"), default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class ReportedCount(models.Model):
    """The member count an organization reported upward for a quarter."""

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    count = models.PositiveIntegerField(_("reported members"))
    reported_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reported count")
        verbose_name_plural = _("reported counts")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "quarter"], name="reported_count_once"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="reported_count_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} Q{self.quarter}/{self.year}: {self.count}"
