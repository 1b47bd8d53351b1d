"""People and Party members. Issue 3 extends these; the foundation needs them for scope and
synthetic data."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.querysets import ScopedQuerySetMixin
from hoso.lib import vntext


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class DatePrecision(models.TextChoices):
    DAY = "day", _("day, month and year")
    MONTH = "month", _("month and year")
    YEAR = "year", _("year only")


class Person(models.Model):
    """Anyone hoso records: a member, an applicant, a relative."""

    family_name = models.CharField(_("family name"), max_length=64)
    middle_name = models.CharField(_("middle name(s)"), max_length=64, blank=True)
    given_name = models.CharField(_("given name"), max_length=64)
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
    home_town = models.CharField(_("home town (as written)"), max_length=255, blank=True)
    citizen_id = models.CharField(
        _("citizen ID (CCCD)"), max_length=12, null=True, blank=True, unique=True
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.family_name = vntext.clean(self.family_name)
        self.middle_name = vntext.clean(self.middle_name)
        self.given_name = vntext.clean(self.given_name)
        self.name_folded = vntext.fold(self.full_name)
        self.sort_key = vntext.sort_key(self.family_name, self.middle_name, self.given_name)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return vntext.Name(self.family_name, self.middle_name, self.given_name).full


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary member")
    OFFICIAL = "official", _("Official member")
    EXEMPTED = "exempted", _("Exempted from activity")
    SUSPENDED = "suspended", _("Suspended")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    DECEASED = "deceased", _("Deceased")
    LEFT = "left", _("Left the Party")


class MemberQuerySet(ScopedQuerySetMixin, models.QuerySet["Member"]):
    scope_path_field = "organization__path"
    view_action = policy.Action.MEMBER_VIEW


class Member(models.Model):
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="member")
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organization"),
    )
    status = models.CharField(_("status"), max_length=16, choices=MemberStatus.choices)
    card_number = models.CharField(_("Party card number"), max_length=32, blank=True, db_index=True)
    admitted_on = models.DateField(_("admission decision date"), null=True, blank=True)
    official_on = models.DateField(_("official member since"), null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("Party member")
        verbose_name_plural = _("Party members")

    def __str__(self) -> str:
        return str(self.person)


ACTIVE_STATUSES = (
    MemberStatus.PROBATIONARY,
    MemberStatus.OFFICIAL,
    MemberStatus.EXEMPTED,
    MemberStatus.SUSPENDED,
)
