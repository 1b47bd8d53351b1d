"""The declared life history (lý lịch): relatives and biography entries."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.querysets import Scope, ScopedQuerySet
from hoso.lib import vntext
from hoso.lib.encrypted import EncryptedTextField
from hoso.people.models.persons import DatePrecision


class Relationship(models.Model):
    """Configurable list: bố đẻ, mẹ đẻ, vợ, con đẻ, bố vợ ..."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Side(models.TextChoices):
    OWN = "own", _("Own side")
    SPOUSE = "spouse", _("Spouse's side")


class Relative(models.Model):
    """A family member as declared, with notes on political history and current status."""

    scope = Scope(
        policy.Action.MEMBER_VIEW, path="person__member__org_path", glass="person__member__id"
    )

    sensitive_fields: ClassVar[frozenset[str]] = frozenset({"political_history", "current_status"})
    # What an officer enters (and may later correct with an approving document).
    declared_fields: ClassVar[tuple[str, ...]] = (
        "relationship", "side", "full_name", "birth_year", "residence", "occupation",
        "party_member", "abroad_country", "abroad_since", "political_history",
        "political_history_source", "current_status", "current_status_source",
    )  # fmt: skip

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="relatives")
    relationship = models.ForeignKey(
        Relationship, on_delete=models.PROTECT, related_name="+", verbose_name=_("relationship")
    )
    side = models.CharField(_("side"), max_length=6, choices=Side.choices, default=Side.OWN)
    full_name = models.CharField(_("full name"), max_length=150)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    residence = models.CharField(_("residence"), max_length=255, blank=True)
    occupation = models.CharField(_("occupation"), max_length=150, blank=True)
    party_member = models.BooleanField(_("Party member"), default=False)
    abroad_country = models.CharField(_("abroad in (country)"), max_length=100, blank=True)
    abroad_since = models.PositiveSmallIntegerField(_("abroad since (year)"), null=True, blank=True)
    # The notes are encrypted at rest (lib/encrypted.py): they cannot be searched.
    political_history = EncryptedTextField(_("political history"), blank=True)
    political_history_source = models.CharField(
        _("source of the political history note"), max_length=255, blank=True
    )
    current_status = EncryptedTextField(_("current political status"), blank=True)
    current_status_source = models.CharField(
        _("source of the current status note"), max_length=255, blank=True
    )
    # The person hoso already holds who is this relative, once an officer confirmed it
    # (people/identity.py); None while unknown. Never set by matching alone.
    identity = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="declared_as",
        editable=False,
        verbose_name=_("same person as"),
    )
    name_folded = models.CharField(max_length=150, editable=False, default="")
    recorded_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet["Relative"].as_manager()

    class Meta:
        verbose_name = _("relative")
        verbose_name_plural = _("relatives")
        ordering = ["side", "relationship__order", "birth_year", "id"]
        indexes = [models.Index(fields=["name_folded", "birth_year"], name="relative_identity")]

    def __str__(self) -> str:
        return f"{self.relationship}: {self.full_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_folded = vntext.fold(vntext.clean(self.full_name))
        fields = kwargs.get("update_fields")
        if fields is not None:
            kwargs["update_fields"] = {*fields, "name_folded"}
        super().save(*args, **kwargs)


class EntryKind(models.TextChoices):
    HISTORY = "history", _("Personal history")
    WORK = "work", _("Work and posts")
    TRAINING = "training", _("Training")
    ABROAD = "abroad", _("Time abroad")
    REWARD = "reward", _("Rewards")
    DISCIPLINE = "discipline", _("Discipline")
    HISTORICAL = "historical", _("Historical particulars")
    FOREIGN = "foreign", _("Foreign relations")
    CRIMINAL = "criminal", _("Criminal matters")
    HEALTH = "health", _("Health")


# Kinds that the personal-data law treats as sensitive: masked, revealed with an audit event.
SENSITIVE_KINDS = frozenset(
    {EntryKind.HISTORICAL, EntryKind.CRIMINAL, EntryKind.HEALTH, EntryKind.DISCIPLINE}
)


class BiographyEntry(models.Model):
    declared_fields: ClassVar[tuple[str, ...]] = (
        "kind", "started_on", "started_precision", "ended_on", "ended_precision", "content",
        "source",
    )  # fmt: skip

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="biography")
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    started_on = models.DateField(_("from"), null=True, blank=True)
    started_precision = models.CharField(
        _("precision of the start date"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.MONTH,
    )
    ended_on = models.DateField(_("to"), null=True, blank=True, help_text=_("Empty: until now."))
    ended_precision = models.CharField(
        _("precision of the end date"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.MONTH,
    )
    content = EncryptedTextField(_("content"))  # encrypted at rest: cannot be searched
    source = models.CharField(_("source document"), max_length=255, blank=True)
    recorded_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("biography entry")
        verbose_name_plural = _("biography entries")
        ordering = ["kind", "started_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}"

    @property
    def sensitive(self) -> bool:
        return self.kind in SENSITIVE_KINDS

    @property
    def period(self) -> str:
        def show(day: object, precision: str) -> str:
            formats = {"day": "%d/%m/%Y", "month": "%m/%Y", "year": "%Y"}
            return day.strftime(formats[precision]) if day else ""  # type: ignore[attr-defined]

        start = show(self.started_on, self.started_precision)
        end = show(self.ended_on, self.ended_precision) or str(_("now"))
        return f"{start} – {end}" if start else end
