"""What happened to a member: the life-cycle events the registers are generated from, and
transfers between organizations (chuyển sinh hoạt đảng)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hoso.access import policy
from hoso.access.querysets import Scope, ScopedQuerySet


class EventKind(models.TextChoices):
    ADMISSION = "admission", _("Admission decision")
    CEREMONY = "ceremony", _("Admission ceremony")
    OFFICIAL = "official", _("Recognised as official member")
    TRANSFER_OUT = "transfer_out", _("Transferred out")
    TRANSFER_IN = "transfer_in", _("Transferred in")
    EXEMPTION = "exemption", _("Exempted from activity")
    EXEMPTION_END = "exemption_end", _("Exemption ended")
    SUSPENSION = "suspension", _("Suspended")
    REINSTATEMENT = "reinstatement", _("Suspension lifted")
    DEATH = "death", _("Death")
    LEFT = "left", _("Left the Party")


class MemberEvent(models.Model):
    """One event, recorded by an action, never edited. The organization is where it happened
    (for a transfer out: the organization the member left)."""

    scope = Scope(policy.Action.MEMBER_VIEW, glass="member_id")

    member = models.ForeignKey("people.Member", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=16, choices=EventKind.choices)
    date = models.DateField(_("date"))
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    counterpart = models.CharField(_("from / to (as written)"), max_length=255, blank=True)
    detail = models.CharField(_("cause, form or reason"), max_length=255, blank=True)
    # A temporary transfer moves activity, not membership: counts leave it out.
    temporary = models.BooleanField(_("temporary"), default=False)
    recorded_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet["MemberEvent"].as_manager()

    class Meta:
        verbose_name = _("member event")
        verbose_name_plural = _("member events")
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["kind", "date"], name="member_event_kind_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class TransferKind(models.TextChoices):
    OFFICIAL = "official", _("Official")
    TEMPORARY = "temporary", _("Temporary")


class TransferState(models.TextChoices):
    PENDING = "pending", _("Awaiting the receiving organization")
    ACCEPTED = "accepted", _("Received")
    COMPLETED = "completed", _("Left the system (destination outside hoso)")
    CANCELLED = "cancelled", _("Cancelled")


class TransferQuerySet(ScopedQuerySet["Transfer"]):
    def visible_to(self, user: object, action: str | None = None) -> TransferQuerySet:
        """Both ends see a transfer: the sending and the receiving organization."""
        paths = policy.scope_paths(user, action or self.view_action)  # type: ignore[arg-type]
        scope = Q()
        for path in paths:
            scope |= Q(from_org__path__startswith=path) | Q(to_org__path__startswith=path)
        return self.filter(scope) if paths else self.none()


class Transfer(models.Model):
    """A member introduced from one organization to another (giới thiệu sinh hoạt đảng).

    Inside the tree the receiving organization must accept; the member and the dossier move
    then. A destination outside hoso is written as text and completes at once.
    """

    scope = Scope(policy.Action.MEMBER_VIEW)

    member = models.ForeignKey("people.Member", on_delete=models.PROTECT, related_name="transfers")
    kind = models.CharField(_("kind"), max_length=10, choices=TransferKind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=TransferState.choices, default=TransferState.PENDING
    )
    from_org = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("organization", "from"),
    )
    to_org = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("organization", "to"),
    )
    to_text = models.CharField(_("to (outside hoso, as written)"), max_length=255, blank=True)
    letter_number = models.CharField(_("introduction letter number"), max_length=64)
    introduced_on = models.DateField(_("introduced on"))
    until = models.DateField(_("temporary until"), null=True, blank=True)
    present_due_on = models.DateField(_("to present by"), db_index=True)
    # Compare-and-swap token of the worker (presenting at the receiving organization):
    # see notices/due.py.
    alert_version = models.PositiveIntegerField(default=0)
    alert_stage = models.PositiveSmallIntegerField(default=0)
    alert_due_on = models.DateField(null=True, blank=True)
    alert_claim = models.CharField(max_length=32, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    created_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-introduced_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_org__isnull=False) | ~Q(to_text=""), name="transfer_has_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.destination}"

    @property
    def destination(self) -> str:
        return self.to_org.name if self.to_org_id and self.to_org else self.to_text
