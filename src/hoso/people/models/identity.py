"""Decisions about identity: that a relative is a person hoso holds, that two person records
are one human being (a merge), that a proposed pair is not, and the undoing of each.

Append-only: the current state is in Relative.identity and Person.merged_into; these rows
are why it is so, who decided and when. hoso only proposes candidates (people/identity.py).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionKind(models.TextChoices):
    LINK = "link", _("Relative linked to a person")
    UNLINK = "unlink", _("Link of a relative undone")
    MERGE = "merge", _("Two records merged as one person")
    UNMERGE = "unmerge", _("Merge undone")
    DISTINCT = "distinct", _("Not the same person")


class IdentityDecision(models.Model):
    kind = models.CharField(_("decision"), max_length=8, choices=DecisionKind.choices)
    # link/unlink: the relative and the person; merge/unmerge: `person` is the record kept,
    # `other` the one merged into it; distinct: the pair (person, other) or (relative, person).
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="identity_decisions"
    )
    other = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    relative = models.ForeignKey(
        "people.Relative", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500)
    by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("identity decision")
        verbose_name_plural = _("identity decisions")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["other"], name="identity_decision_other")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person_id} {self.other_id or self.relative_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("an identity decision is never edited: record a new one")
        super().save(*args, **kwargs)
