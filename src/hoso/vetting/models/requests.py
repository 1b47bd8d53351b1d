"""Verification requests (phiếu yêu cầu xác minh), their replies and reminders."""

from __future__ import annotations

from typing import Any, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoso.vetting.models.cases import Case


class RequestState(models.TextChoices):
    OPEN = "open", _("Awaiting reply")
    ANSWERED = "answered", _("Answered")
    CANCELLED = "cancelled", _("Cancelled")


class RequestQuerySet(models.QuerySet["VerificationRequest"]):
    def visible_to(self, user: Any) -> Self:
        """A request is visible exactly when its case is."""
        return self.filter(case__in=Case.objects.visible_to(user).values("pk"))


class VerificationRequest(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="requests")
    document = models.OneToOneField(
        "documents.OutgoingDocument", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    relative = models.ForeignKey(
        "people.Relative", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # "p<id>" or "r<id>": counts of distinct persons concerned use it.
    person_key = models.CharField(max_length=24, db_index=True)
    person_label = models.CharField(_("person verified"), max_length=255)
    addressee = models.ForeignKey(
        "vetting.Addressee", on_delete=models.PROTECT, related_name="+", verbose_name=_("addressee")
    )
    questions = models.TextField(_("questions asked"))
    sent_on = models.DateField(_("sent on"), db_index=True)
    due_on = models.DateField(_("reply due by"), db_index=True)
    state = models.CharField(
        _("state"), max_length=10, choices=RequestState.choices, default=RequestState.OPEN
    )
    alert_version = models.PositiveIntegerField(default=0)
    alert_stage = models.PositiveSmallIntegerField(default=0)
    alert_claim = models.CharField(max_length=32, blank=True)
    created_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("verification request")
        verbose_name_plural = _("verification requests")
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"Số {self.document.reference}"


class Reply(models.Model):
    request = models.ForeignKey(
        VerificationRequest, on_delete=models.PROTECT, related_name="replies"
    )
    incoming = models.OneToOneField(
        "documents.IncomingDocument", on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("reply number and reference"), max_length=64)
    summary = models.TextField(_("summary"))
    recorded_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "id"]
        indexes = [models.Index(fields=["received_on"], name="reply_received_on")]

    def __str__(self) -> str:
        return self.reference


class Verdict(models.TextChoices):
    MATCH = "match", _("Matches the declaration")
    DISCREPANCY = "discrepancy", _("Discrepancy to resolve")


class ReplyItem(models.Model):
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="items")
    topic = models.CharField(_("point"), max_length=255)
    finding = models.TextField(_("what the reply says"))
    verdict = models.CharField(
        _("compared with the declaration"), max_length=12, choices=Verdict.choices
    )
    resolution = models.TextField(_("how the discrepancy was resolved"), blank=True)
    resolved_by = models.ForeignKey(
        "access.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.topic

    @property
    def unresolved(self) -> bool:
        return self.verdict == Verdict.DISCREPANCY and not self.resolution


class Reminder(models.Model):
    request = models.ForeignKey(
        VerificationRequest, on_delete=models.CASCADE, related_name="reminders"
    )
    sent_on = models.DateField(_("reminded on"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return str(self.sent_on)
