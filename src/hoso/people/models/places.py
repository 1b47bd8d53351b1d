"""Administrative units, versioned: records keep places as written, plus a reference here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoso.lib import vntext


class AdminUnit(models.Model):
    """A province or commune (or, for old records, a district) valid over a period.

    Since 01/07/2025 there are 34 provinces and 3,321 communes and no district level; units
    that existed before keep their rows with `valid_to` set and, where known, a successor.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        DISTRICT = "district", _("District (before 07/2025)")
        COMMUNE = "commune", _("Commune")

    code = models.CharField(_("official code"), max_length=16)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("type"), max_length=32, blank=True)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("merged into"),
    )
    name_folded = models.CharField(max_length=300, editable=False, db_index=True)

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "valid_from"], name="adminunit_code"),
        ]

    def __str__(self) -> str:
        if self.parent_id and self.level == self.Level.COMMUNE:
            return f"{self.name}, {self.parent}"
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        parent = f" {self.parent.name}" if self.parent is not None else ""
        self.name_folded = vntext.fold(self.name + parent)
        super().save(*args, **kwargs)  # type: ignore[arg-type]
