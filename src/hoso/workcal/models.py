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
