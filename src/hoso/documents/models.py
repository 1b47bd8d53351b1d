"""Numbering registry and the registers of outgoing and incoming documents (sổ văn bản đi/đến).

Numbers are `<n>-<type code>/<issuer code>` (Hướng dẫn 36-HD/VPTW), restarting at 1 for each
issuing organization, committee term and document type; secret documents share the sequence of
ordinary ones; a cancelled number stays in the register as cancelled and is never reused.
"""

from __future__ import annotations

from typing import Any, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.querysets import Scope, ScopedQuerySet, ScopedRecord
from hoso.access.roles import Clearance
from hoso.documents import owners


class DocumentKind(models.Model):
    """Configurable list of type codes: NQ, QĐ, QĐi, CT, KL, HD, KH, BC, TB, CV, TTr, CTr ..."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("in use"), default=True)
    template = models.FileField(
        _("Word template (.docx)"),
        upload_to="templates/",
        blank=True,
        help_text=_("Empty: the template shipped with hoso."),
    )
    # Recorded when the template passes the check at upload; a file on disk that no longer
    # matches it is refused at print time (someone changed it outside hoso).
    template_sha256 = models.CharField(_("template SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Sequence(models.Model):
    """The last number given for one organization, term and type (a row lock serialises use)."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    term = models.ForeignKey("orgs.Term", on_delete=models.PROTECT, related_name="+")
    kind = models.ForeignKey(DocumentKind, on_delete=models.PROTECT, related_name="+")
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "term", "kind"], name="sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind.code}/{self.organization.code} {self.term.name}: {self.last}"


class Authority(models.TextChoices):
    NONE = "", _("—")
    TM = "T/M", _("T/M (on behalf of the collective)")
    KT = "K/T", _("K/T (signing for the head)")
    TL = "T/L", _("T/L (by delegation)")


class RegisterQuerySet(ScopedQuerySet["OutgoingDocument"]):
    def visible_to(self, user: Any, action: str | None = None) -> Self:
        """Scope and clearance, and the owner's own rule for a document that belongs to a
        case, petition or trip (see owners.py)."""
        return super().visible_to(user, action).filter(owners.visible_clause(user))


class OutgoingDocument(ScopedRecord):
    scope = Scope(policy.Action.MEMBER_VIEW, classification="classification")
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issuing organization"),
    )
    term = models.ForeignKey("orgs.Term", on_delete=models.PROTECT, related_name="+")
    kind = models.ForeignKey(
        DocumentKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("type")
    )
    number = models.PositiveIntegerField(_("number"))
    reference = models.CharField(_("reference"), max_length=64, db_index=True)
    issued_on = models.DateField(_("date"))
    summary = models.CharField(_("summary"), max_length=500)
    body = models.TextField(
        _("text"), blank=True, help_text=_("Paragraphs separated by an empty line.")
    )
    signer = models.CharField(_("signer"), max_length=150, blank=True)
    authority = models.CharField(
        _("authority"), max_length=3, choices=Authority.choices, blank=True
    )
    recipients = models.TextField(_("recipients"), blank=True)
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Clearance.choices, default=Clearance.NONE
    )
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    object_type = models.CharField(_("belongs to (type)"), max_length=64, blank=True)
    object_id = models.CharField(_("belongs to (id)"), max_length=64, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)

    objects = RegisterQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing documents")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "term", "kind", "number"], name="outgoing_number_once"
            ),
        ]
        # The papers of a case, petition or trip are found by what they belong to.
        indexes = [models.Index(fields=["object_type", "object_id"], name="outgoing_object")]

    def __str__(self) -> str:
        return f"Số {self.reference}"


class IncomingDocument(ScopedRecord):
    scope = Scope(policy.Action.MEMBER_VIEW, classification="classification")
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving organization"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    arrival_number = models.PositiveIntegerField(_("arrival number"))
    received_on = models.DateField(_("received on"))
    sender = models.CharField(_("sender"), max_length=255)
    sender_reference = models.CharField(_("sender's number and reference"), max_length=64)
    sender_date = models.DateField(_("date of the document"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=500)
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Clearance.choices, default=Clearance.NONE
    )
    object_type = models.CharField(_("belongs to (type)"), max_length=64, blank=True)
    object_id = models.CharField(_("belongs to (id)"), max_length=64, blank=True)

    objects = RegisterQuerySet.as_manager()

    class Meta:
        verbose_name = _("incoming document")
        verbose_name_plural = _("incoming documents")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "arrival_number"], name="incoming_number_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.arrival_number}/{self.year} {self.sender_reference}"


class ArrivalSequence(models.Model):
    """Incoming documents are numbered on arrival, per organization and calendar year."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="arrival_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organization.code} {self.year}: {self.last}"


class Copy(models.Model):
    """The copy register (sổ theo dõi bản sao): each generated copy of a secret document."""

    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.PROTECT, related_name="copy_register"
    )
    number = models.PositiveSmallIntegerField(_("copy number"))
    recipient = models.CharField(_("recipient"), max_length=255)
    file_format = models.CharField(_("format"), max_length=4)
    generated_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    generated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("copy")
        verbose_name_plural = _("copies")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="copy_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.document} – bản số {self.number:02d}"
