"""A person: name in three parts, dates with their precision, places as written, IDs."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.validators import RegexValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from hoso.lib import vntext
from hoso.people.models import counts

CITIZEN_ID = RegexValidator(r"^\d{12}$", _("A citizen ID (CCCD) has exactly 12 digits."))
OLD_ID = RegexValidator(r"^\d{9}$", _("An old ID card (CMND) number has exactly 9 digits."))


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class DatePrecision(models.TextChoices):
    DAY = "day", _("day, month and year")
    MONTH = "month", _("month and year")
    YEAR = "year", _("year only")


def _place(label: Any) -> tuple[models.CharField[str, str], models.ForeignKey[Any, Any]]:
    """A place as written in the papers, and the administrative unit it refers to if known."""
    return (
        models.CharField(label, max_length=255, blank=True),
        models.ForeignKey(
            "people.AdminUnit",
            on_delete=models.PROTECT,
            null=True,
            blank=True,
            related_name="+",
            verbose_name=_("administrative unit"),
        ),
    )


class Person(models.Model):
    """Anyone hoso records: a member, an applicant, a relative."""

    # Fields that the personal-data law treats as sensitive: masked in lists, revealed on
    # demand to those allowed, every reveal audited.
    sensitive_fields: ClassVar[frozenset[str]] = frozenset({"ethnicity", "religion"})

    family_name = models.CharField(_("family name"), max_length=64)
    middle_name = models.CharField(_("middle name(s)"), max_length=64, blank=True)
    given_name = models.CharField(_("given name"), max_length=64)
    birth_name = models.CharField(_("birth name"), max_length=200, blank=True)
    other_names = models.CharField(_("other names, aliases"), max_length=255, blank=True)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    sort_key = models.BinaryField(editable=False, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("precision of the date of birth"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    birth_place, birth_place_unit = _place(_("place of birth (as written)"))
    home_town, home_town_unit = _place(_("home town (as written)"))
    residence, residence_unit = _place(_("permanent residence (as written)"))
    ethnicity = models.CharField(_("ethnicity"), max_length=64, blank=True)
    religion = models.CharField(_("religion"), max_length=64, blank=True)
    nationality = models.CharField(_("nationality"), max_length=64, default="Việt Nam")
    education = models.CharField(
        _("general education"), max_length=32, blank=True, help_text=_("e.g. 12/12")
    )
    political_theory = models.CharField(_("political theory"), max_length=64, blank=True)
    profession = models.CharField(_("professional qualification"), max_length=150, blank=True)
    foreign_language = models.CharField(_("foreign language"), max_length=100, blank=True)
    occupation_before = models.CharField(_("occupation before joining"), max_length=150, blank=True)
    occupation = models.CharField(_("current occupation"), max_length=150, blank=True)
    citizen_id = models.CharField(
        _("citizen ID (CCCD)"),
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        validators=[CITIZEN_ID],
    )
    citizen_id_issued_on = models.DateField(_("CCCD issued on"), null=True, blank=True)
    citizen_id_issued_by = models.CharField(_("CCCD issued by"), max_length=150, blank=True)
    old_id = models.CharField(
        _("old ID card (CMND)"), max_length=9, blank=True, db_index=True, validators=[OLD_ID]
    )
    old_id_issued_on = models.DateField(_("CMND issued on"), null=True, blank=True)
    old_id_issued_by = models.CharField(_("CMND issued by"), max_length=150, blank=True)
    # Identity (people/identity.py): the year of birth, copied for the duplicate blocking key
    # (folded name, year), and the person this record was merged into, if an officer
    # confirmed that both are one human being. A merge moves nothing: each record keeps its
    # own history, and undoing the merge clears this column.
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        editable=False,
        verbose_name=_("merged into"),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["name_folded", "birth_year"], name="person_identity")]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.family_name = vntext.clean(self.family_name)
        self.middle_name = vntext.clean(self.middle_name)
        self.given_name = vntext.clean(self.given_name)
        self.birth_name = vntext.clean(self.birth_name)
        self.other_names = vntext.clean(self.other_names)
        self.name_folded = vntext.fold(self.full_name)
        self.sort_key = vntext.sort_key(self.family_name, self.middle_name, self.given_name)
        self.birth_year = self.birth_date.year if self.birth_date else None
        fields = kwargs.get("update_fields")
        if fields is not None:
            kwargs["update_fields"] = {*fields, "name_folded", "sort_key", "birth_year"}
        if self._state.adding or not counts.counted(fields, counts.PERSON_FIELDS):
            super().save(*args, **kwargs)
        else:
            # A member's counts by sex, year of birth ... follow (models/counts.py), the
            # member's row locked first as every counted change does.
            with transaction.atomic(savepoint=False):
                member_id = counts.lock_member_of(self.pk)
                before = counts.state_of(member_id)
                super().save(*args, **kwargs)
                saved = kwargs.get("update_fields")
                counts.changed(before, counts.person_saved(before, self, saved))
        member = getattr(self, "member", None)
        if member is not None:  # keep the member's copies of the search columns in step
            member.save(update_fields=["sort_key", "search_text"])

    @classmethod
    def sensitive_labels(cls) -> list[tuple[str, str]]:
        """(field name, label) of the sensitive fields, in a stable order."""
        labels = []
        for name in sorted(cls.sensitive_fields):
            field = cls._meta.get_field(name)
            assert isinstance(field, models.Field)
            labels.append((name, str(field.verbose_name)))
        return labels

    @property
    def full_name(self) -> str:
        return vntext.Name(self.family_name, self.middle_name, self.given_name).full

    @property
    def organization(self) -> Any:
        """Where the person's record is kept, for the audit trail: the member's organization,
        or None for a person known only as a subject of other records."""
        member = getattr(self, "member", None)
        return None if member is None else member.organization

    @property
    def identity_id(self) -> int:
        """The record that stands for this human being: the one merged into, else this."""
        return self.merged_into_id or self.pk

    @property
    def display_name(self) -> str:
        """The name in use in capitals, as on the citizen ID card."""
        return vntext.upper(self.full_name)

    @property
    def search_text(self) -> str:
        """Folded names between spaces, so that ' an' finds a word starting with 'an'."""
        names = " ".join([self.full_name, self.birth_name, self.other_names.replace(",", " ")])
        return f" {vntext.fold(names)} "

    def birth_date_display(self) -> str:
        if self.birth_date is None:
            return ""
        formats = {
            DatePrecision.DAY: "%d/%m/%Y",
            DatePrecision.MONTH: "%m/%Y",
            DatePrecision.YEAR: "%Y",
        }
        return self.birth_date.strftime(formats[DatePrecision(self.birth_date_precision)])


class Passport(models.Model):
    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary")
        OFFICIAL = "official", _("Official (công vụ)")
        DIPLOMATIC = "diplomatic", _("Diplomatic")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="passports")
    number = models.CharField(_("passport number"), max_length=20)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    issued_by = models.CharField(_("issued by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("passport")
        verbose_name_plural = _("passports")
        constraints = [models.UniqueConstraint(fields=["number"], name="passport_number")]

    def __str__(self) -> str:
        return f"{self.number} ({self.get_kind_display()})"
