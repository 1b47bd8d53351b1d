"""Accounts, grants and login attempts."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoso.access.querysets import Scope, ScopedQuerySet
from hoso.access.roles import Clearance, Role
from hoso.lib.encrypted import EncryptedTextField


class UserQuerySet(ScopedQuerySet["User"]):
    """Accounts, scoped to those an account manager manages."""


class HosoUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    """Django's user manager with `visible_to`."""


class User(AbstractUser):
    """An account. What it may see comes only from its grants, never from is_superuser."""

    scope = Scope("account.manage")

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("home organization"),
        help_text=_("The organization the account belongs to; administrators above it manage it."),
    )
    clearance = models.PositiveSmallIntegerField(
        _("clearance"), choices=Clearance.choices, default=Clearance.NONE
    )
    # Encrypted at rest (lib/encrypted.py).
    totp_secret = EncryptedTextField(_("TOTP secret"), blank=True, editable=False)
    totp_confirmed_at = models.DateTimeField(_("second factor enrolled at"), null=True, blank=True)
    must_change_password = models.BooleanField(
        _("must change password at next sign-in"), default=False
    )
    # The last TOTP time step accepted: a code is never accepted twice.
    totp_last_step = models.BigIntegerField(default=0, editable=False)

    objects: ClassVar[HosoUserManager] = HosoUserManager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def totp_required(self) -> bool:
        return self.clearance >= Clearance.SECRET

    @property
    def totp_enrolled(self) -> bool:
        return self.totp_confirmed_at is not None and bool(self.totp_secret)


class Grant(models.Model):
    """A role on an organization node, covering that node's whole subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="grants",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="grant_unique_user_org_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} @ {self.organization}"


class LoginAttempt(models.Model):
    """Every login try, kept to enforce lockout per account and per address."""

    class Outcome(models.TextChoices):
        FAILURE = "failure", _("failure")
        SUCCESS = "success", _("success")
        UNLOCK = "unlock", _("unlocked by an administrator")

    username = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"], name="login_attempt_user_at"),
            models.Index(fields=["ip", "at"], name="login_attempt_ip_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.outcome} {self.at:%Y-%m-%d %H:%M}"


class AccessRequestQuerySet(ScopedQuerySet["AccessRequest"]):
    def waiting_for(self, user: object) -> AccessRequestQuerySet:
        """Requests this user may see: as an account manager or as an approver above them."""
        managed = self.visible_to(user, "account.manage").values("pk")
        approvable = self.visible_to(user, "access.approve").values("pk")
        return self.filter(models.Q(pk__in=managed) | models.Q(pk__in=approvable))


class AccessRequest(models.Model):
    """A grant of a role that reads dossiers, or a raised clearance, waiting for a second
    person: an administrator asks, a head or leader above the organization decides."""

    scope = Scope("account.manage")

    class Kind(models.TextChoices):
        GRANT = "grant", _("grant of a role")
        CLEARANCE = "clearance", _("raised clearance")

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="access_requests", verbose_name=_("account")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # For a grant, where it applies; for a clearance, the account's home organization. An
    # approver's grant must cover it.
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    clearance = models.PositiveSmallIntegerField(
        _("clearance"), choices=Clearance.choices, null=True, blank=True
    )
    reason = models.CharField(_("reason / decision reference"), max_length=500)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note on the decision"), max_length=500, blank=True)

    objects = AccessRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "organization", "role"],
                condition=models.Q(state="pending"),
                name="access_request_pending_once",
            ),
        ]

    def __str__(self) -> str:
        what = (
            self.get_role_display()
            if self.kind == self.Kind.GRANT
            else self.get_clearance_display()
        )
        return f"{self.user} – {what} @ {self.organization}"


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    ACTIONS = "actions", _("Read and act")


class ApiToken(models.Model):
    """A key for an integration to call the API as its owner (access/tokens.py): named,
    scoped, expiring, revocable; only a hash of the secret is kept, the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)  # the public part: finds the row
    digest = models.CharField(max_length=64)  # SHA-256 of the whole token
    scope = models.CharField(_("scope"), max_length=8, choices=TokenScope.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class BreakGlassQuerySet(ScopedQuerySet["BreakGlass"]):
    def active(self, now: Any = None) -> BreakGlassQuerySet:
        return self.filter(expires_at__gt=now or timezone.now(), closed_at__isnull=True)


class BreakGlass(models.Model):
    """Emergency access (mở khẩn cấp): one account opens one member's dossier outside its
    grants' organizations, read-only, for a few hours, with a typed reason. Every read made
    while it lasts carries its id; the heads above the dossier's organization review it
    (justified or not). The dossier is named by id, not by a foreign key: the access layer
    sits below the members' app."""

    scope = Scope("breakglass.review")

    class Review(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        JUSTIFIED = "justified", _("justified")
        UNJUSTIFIED = "unjustified", _("not justified")

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="break_glasses", verbose_name=_("account")
    )
    member_id = models.PositiveBigIntegerField()  # the dossier's member (people.Member)
    label = models.CharField(_("record"), max_length=255)  # what was opened, as shown then
    # The record's organization when opened: whose heads review it.
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("organization"),
    )  # fmt: skip
    reason = models.CharField(_("reason"), max_length=500)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    review = models.CharField(
        _("review"), max_length=16, choices=Review.choices, default=Review.PENDING
    )
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("reviewed by"),
    )  # fmt: skip
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("note on the review"), max_length=500, blank=True)

    objects = BreakGlassQuerySet.as_manager()

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["user", "expires_at"], name="breakglass_user_expires")]
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("opened_at")),
                                   name="breakglass_expires_after_opening"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.user} – {self.label}"
