"""Petitions (đơn thư): intake with a sealed petitioner, classification, handling, deadlines."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.querysets import Scope, ScopedQuerySet, ScopedRecord
from hoso.access.roles import Clearance
from hoso.lib.encrypted import EncryptedTextField
from hoso.lib.workdays import Unit


class Channel(models.TextChoices):
    POST = "post", _("By post")
    IN_PERSON = "in_person", _("In person")
    FORWARDED = "forwarded", _("Forwarded by another body")


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    DENUNCIATION = "denunciation", _("Denunciation")
    REPORT = "report", _("Report or recommendation")


class Naming(models.TextChoices):
    NAMED = "named", _("Named")
    ANONYMOUS = "anonymous", _("Anonymous")
    FALSE_NAME = "false_name", _("False name")


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    CLASSIFIED = "classified", _("Classified")
    NOT_HANDLED = "not_handled", _("Not handled")
    FORWARDED = "forwarded", _("Forwarded")
    ACCEPTED = "accepted", _("Accepted for handling")
    VERIFYING = "verifying", _("Verifying")
    CONCLUDED = "concluded", _("Concluded")
    NOTIFIED = "notified", _("Petitioner notified")
    CLOSED = "closed", _("Closed")


class Reason(models.TextChoices):
    """Why a petition is closed without handling (recorded with it)."""

    ANONYMOUS = "anonymous", _("Anonymous or false-name complaint or denunciation")
    REPEAT = "repeat", _("Repeated, with no new evidence")
    OTHER = "other", _("Other reason (written in the note)")


class Outcome(models.TextChoices):
    TRUE = "true", _("The petition is right")
    PARTLY = "partly", _("The petition is partly right")
    FALSE = "false", _("The petition is wrong")


class PetitionRule(models.Model):
    """Time limits, configurable: to classify a petition, and to handle each kind once accepted."""

    CLASSIFY = "classify"
    kind = models.CharField(
        _("for"),
        max_length=16,
        unique=True,
        choices=[(CLASSIFY, _("Classifying a new petition")), *Kind.choices],
    )
    days = models.PositiveSmallIntegerField(_("days"))
    unit = models.CharField(
        _("days counted as"), max_length=8, choices=[(u.value, u.value) for u in Unit]
    )

    class Meta:
        verbose_name = _("petition time limit")
        verbose_name_plural = _("petition time limits")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.days}"


OPEN_STATES = (State.RECEIVED, State.CLASSIFIED, State.ACCEPTED, State.VERIFYING, State.CONCLUDED)


class PetitionQuerySet(ScopedQuerySet["Petition"]):
    def open(self) -> PetitionQuerySet:
        return self.filter(state__in=OPEN_STATES)


class Petition(ScopedRecord):
    scope = Scope(policy.Action.PETITION_VIEW, classification="classification")
    # The petitioner's identity: never listed, never exported, revealed on demand (audited).
    sealed_fields: ClassVar[tuple[str, ...]] = (
        "petitioner_name",
        "petitioner_address",
        "petitioner_contact",
    )

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving office"),
    )
    incoming = models.OneToOneField(
        "documents.IncomingDocument", on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    forwarded_by = models.CharField(_("forwarded by"), max_length=255, blank=True)
    summary = models.TextField(_("summary"))
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Clearance.choices, default=Clearance.CONFIDENTIAL
    )
    # Encrypted at rest (lib/encrypted.py): cannot be searched.
    petitioner_name = EncryptedTextField(
        _("petitioner's name"), max_length=150, blank=True, single_line=True
    )
    petitioner_address = EncryptedTextField(
        _("petitioner's address"), max_length=255, blank=True, single_line=True
    )
    petitioner_contact = EncryptedTextField(
        _("petitioner's contact"), max_length=150, blank=True, single_line=True
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, blank=True)
    naming = models.CharField(_("signed"), max_length=10, choices=Naming.choices, blank=True)
    within_competence = models.BooleanField(_("within this office's competence"), null=True)
    repeated = models.BooleanField(_("repeated"), default=False)
    new_evidence = models.BooleanField(_("with new evidence"), default=False)
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    reason = models.CharField(
        _("reason not handled"), max_length=10, choices=Reason.choices, blank=True
    )
    reason_note = models.CharField(_("note"), max_length=500, blank=True)
    forwarded_to = models.CharField(_("forwarded to"), max_length=255, blank=True)
    forward_document = models.OneToOneField(
        "documents.OutgoingDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    due_on = models.DateField(_("due by"), db_index=True)
    paused_since = models.DateField(_("clock paused since"), null=True, blank=True)
    # Compare-and-swap token of the worker (the time limit): see notices/due.py.
    alert_version = models.PositiveIntegerField(default=0)
    alert_stage = models.PositiveSmallIntegerField(default=0)
    alert_due_on = models.DateField(null=True, blank=True)
    alert_claim = models.CharField(max_length=32, blank=True)
    case = models.ForeignKey(
        "vetting.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vetting case"),
    )
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    conclusion_reference = models.CharField(_("conclusion document"), max_length=64, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    notice_reference = models.CharField(_("notice document"), max_length=64, blank=True)
    notified_on = models.DateField(_("petitioner notified on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["state", "due_on"], name="petition_state_due")]

    def __str__(self) -> str:
        return _("Petition %(n)s") % {"n": self.reference}

    @property
    def reference(self) -> str:
        return f"{self.incoming.arrival_number}/{self.incoming.year}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class Subject(models.Model):
    """A person the petition concerns: as written, and the member if known."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="subjects")
    name = models.CharField(_("name as written"), max_length=200)
    position = models.CharField(_("post, unit"), max_length=255, blank=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            # A person linked to a petition is one subject of it (actions.distinct_subjects).
            models.UniqueConstraint(
                fields=["petition", "person"],
                condition=models.Q(person__isnull=False),
                name="petition_subject_person_once",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Pause(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="pauses")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=255)
    due_before = models.DateField()
    due_after = models.DateField(null=True, blank=True)
    by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return self.reason


class Extension(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("working days added"))
    reason = models.CharField(_("reason"), max_length=255)
    decision = models.CharField(_("decision document"), max_length=64)
    due_before = models.DateField()
    due_after = models.DateField()
    by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.reason


class Step(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="steps")
    from_state = models.CharField(max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=State.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.to_state


def _scan_path(instance: Scan, filename: str) -> str:
    return f"petitions/{instance.sha256[:2]}/{instance.sha256}"


class Scan(models.Model):
    """A scanned letter. It names the petitioner, so the original is sealed like the identity
    (opened by heads and leaders only, with a reason); the intake clerk adds a masked copy
    (a scan of the letter with the identity covered, `masked`, linked to its original) that
    officers and clerks work on."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="scans")
    masked = models.BooleanField(_("identity masked"), default=False)
    original = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="masked_copies",
        verbose_name=_("masked copy of"),
    )
    file = models.FileField(upload_to=_scan_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            # A masked copy always says which original it hides; an original has none.
            models.CheckConstraint(
                condition=models.Q(masked=False, original__isnull=True)
                | models.Q(masked=True, original__isnull=False),
                name="petition_scan_masked_has_original",
            )
        ]

    def __str__(self) -> str:
        return self.original_name
