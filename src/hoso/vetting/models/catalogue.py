"""Case types (versioned) and the directory of addressees of verification requests."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoso.access.roles import Clearance
from hoso.lib.workdays import Period, Unit


class Step(models.TextChoices):
    """The optional steps of a case; receiving, concluding and archiving always apply."""

    REVIEW = "review", _("First review")
    VERIFICATION = "verification", _("Decision to verify, plan and verification")
    COMPILING = "compiling", _("Compiling and appraisal")
    PROPOSAL = "proposal", _("Proposal to the competent committee")


class CaseType(models.Model):
    """A purpose of vetting. Its rules live in versions; a case keeps the one it opened under."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    active = models.BooleanField(_("in use"), default=True)
    current = models.ForeignKey(
        "vetting.CaseTypeVersion",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("current version"),
    )

    class Meta:
        verbose_name = _("case type")
        verbose_name_plural = _("case types")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.current.name if self.current else self.code


class CaseTypeVersion(models.Model):
    """Immutable once saved: editing a type writes a new version."""

    case_type = models.ForeignKey(CaseType, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=150)
    period_days = models.PositiveSmallIntegerField(_("time limit (days)"))
    period_unit = models.CharField(
        _("days counted as"), max_length=8, choices=[(u.value, u.value) for u in Unit]
    )
    pausable = models.BooleanField(_("the clock may be paused"), default=True)
    default_classification = models.PositiveSmallIntegerField(
        _("default classification"), choices=Clearance.choices, default=Clearance.CONFIDENTIAL
    )
    min_team_size = models.PositiveSmallIntegerField(_("minimum team size"), default=3)
    reply_days = models.PositiveSmallIntegerField(
        _("time for a reply to a verification request (working days)"), default=15
    )
    validity_months = models.PositiveSmallIntegerField(
        _("a conclusion serves for (months)"),
        null=True,
        blank=True,
        help_text=_("Empty: until a new conclusion or a recorded end of validity."),
    )
    # The verification plan: the lines of relations to verify, each {"label", "codes",
    # "adult"} (vetting/plan.py reads them); empty: the type has no plan, nothing is blocked.
    plan_relations = models.JSONField(
        _("verification plan: the persons to verify"), default=list, blank=True
    )
    outcomes = models.JSONField(_("outcome codes a conclusion may use"), default=list)
    steps = models.JSONField(_("steps that apply"), default=list)
    created_by = models.ForeignKey(
        "access.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case type version")
        verbose_name_plural = _("case type versions")
        ordering = ["case_type", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["case_type", "number"], name="case_type_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("a case type version is immutable: write a new version")
        super().save(*args, **kwargs)

    @property
    def period(self) -> Period:
        return Period(self.period_days, Unit(self.period_unit))

    def has(self, step: str) -> bool:
        return step in self.steps

    @property
    def step_labels(self) -> list[str]:
        return [str(Step(s).label) for s in self.steps if s in Step.values]

    def outcome_label(self, code: str) -> str | None:
        return next((label for c, label in self.outcomes if c == code), None)


class AddresseeKind(models.TextChoices):
    POLICE = "police", _("Police records unit")
    COMMITTEE = "committee", _("Party committee")
    AGENCY = "agency", _("Other agency")


class Addressee(models.Model):
    """Directory of bodies verification requests are sent to (configurable)."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=AddresseeKind.choices)
    address = models.CharField(_("address"), max_length=255, blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("addressee")
        verbose_name_plural = _("addressees")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name
