"""The member's dossier (hồ sơ đảng viên): documents by type, scans, and corrections.

Nothing recorded is edited silently: a change goes through a Correction that names the
approval document and keeps the earlier values readable.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.querysets import Scope, ScopedQuerySet
from hoso.access.roles import Clearance
from hoso.lib.encrypted import EncryptedJSONField


class DocumentType(models.Model):
    """The catalogue: form codes differ between guidance versions, so this is data."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    required = models.BooleanField(_("required in every dossier"), default=False)
    statuses = models.JSONField(
        _("required for these statuses"),
        default=list,
        blank=True,
        help_text=_("Empty: for every member status."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def applies_to(self, status: str) -> bool:
        return not self.statuses or status in self.statuses


class DossierDocument(models.Model):
    scope = Scope(
        policy.Action.MEMBER_VIEW,
        path="member__org_path",
        classification="classification",
        glass="member_id",
    )
    member = models.ForeignKey("people.Member", on_delete=models.PROTECT, related_name="documents")
    doc_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("document type")
    )
    number = models.CharField(_("number"), max_length=64, blank=True)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    pages = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True)
    present = models.BooleanField(_("present in the dossier"), default=True)
    missing_reason = models.CharField(_("why it is missing"), max_length=255, blank=True)
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Clearance.choices, default=Clearance.CONFIDENTIAL
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    recorded_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet["DossierDocument"].as_manager()

    class Meta:
        verbose_name = _("dossier document")
        verbose_name_plural = _("dossier documents")
        ordering = ["doc_type__order", "issued_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(present=True) | ~models.Q(missing_reason=""),
                name="document_missing_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doc_type.code} {self.number}".strip()


def _scan_path(instance: Any, filename: str) -> str:
    # The stored name is the content hash: never the officer's file name, never guessable.
    return f"dossiers/{instance.sha256[:2]}/{instance.sha256}"


class Scan(models.Model):
    document = models.ForeignKey(DossierDocument, on_delete=models.PROTECT, related_name="scans")
    file = models.FileField(upload_to=_scan_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")

    def __str__(self) -> str:
        return self.original_name


class Correction(models.Model):
    """A change to a recorded value, with the document that approved it. The values before
    and after are kept, so every earlier version stays readable."""

    object_type = models.CharField(max_length=64)
    object_id = models.PositiveBigIntegerField()
    member = models.ForeignKey(
        "people.Member", on_delete=models.PROTECT, related_name="corrections"
    )
    version = models.PositiveIntegerField()
    # Encrypted at rest (lib/encrypted.py): they may hold any corrected value, the encrypted
    # notes of a relative or a biography entry included.
    before = EncryptedJSONField()
    after = EncryptedJSONField()
    approval = models.CharField(_("approval document"), max_length=255)
    reason = models.TextField(_("reason"))
    corrected_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-corrected_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="correction_object")]

    def __str__(self) -> str:
        return f"{self.object_type}#{self.object_id} v{self.version}"
