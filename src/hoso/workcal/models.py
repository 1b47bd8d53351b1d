"""The working-day calendar: public holidays and substituted working days, per date."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SpecialDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Day off (holiday)")
        WORKING = "working", _("Working day (substituted)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    # Seeded days follow the law and past notices; each year's notice must be checked.
    confirmed = models.BooleanField(_("confirmed against the official notice"), default=False)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class CoveredYear(models.Model):
    """A year whose holidays and substituted days are recorded in full: deadlines counted in it
    are definite. Past the covered years they are counted on weekends only, and provisional."""

    class Source(models.TextChoices):
        SHIPPED = "shipped", _("shipped with the software")
        IMPORTED = "imported", _("imported from a file")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    file = models.CharField(_("file"), max_length=255, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("covered year")
        verbose_name_plural = _("covered years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
