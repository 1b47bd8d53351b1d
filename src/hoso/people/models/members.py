"""A Party member: the person, where they belong, their numbers and their status."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.querysets import Scope, ScopedQuerySet
from hoso.people.models import counts


class MemberStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Applicant for admission")
    PROBATIONARY = "probationary", _("Probationary member")
    OFFICIAL = "official", _("Official member")
    EXEMPTED = "exempted", _("Exempted from activity")
    SUSPENDED = "suspended", _("Suspended")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    DECEASED = "deceased", _("Deceased")
    LEFT = "left", _("Left the Party")


class LeftForm(models.TextChoices):
    ASKED = "asked", _("Asked to leave")
    STRUCK_OFF = "struck_off", _("Struck off the list")
    EXPELLED = "expelled", _("Expelled")


class Service(models.TextChoices):
    NONE = "", _("—")
    ARMY = "army", _("Army")
    POLICE = "police", _("Police")
    RETIRED = "retired", _("Retired")


# Members counted in an organization's strength (sinh hoạt tại đảng bộ).
ACTIVE_STATUSES = (
    MemberStatus.PROBATIONARY,
    MemberStatus.OFFICIAL,
    MemberStatus.EXEMPTED,
    MemberStatus.SUSPENDED,
)


# The worker's columns (notices/due.py), left out of a full save().
ALERT_FIELDS = frozenset({"alert_version", "alert_stage", "alert_due_on", "alert_claim"})


class Member(models.Model):
    # The organization path is copied onto the member so that scope, search and ordering
    # are one table and one index: see Member.org_path.
    scope = Scope(policy.Action.MEMBER_VIEW, path="org_path", glass="pk")
    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="member", verbose_name=_("person")
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organization"),
    )
    status = models.CharField(_("status"), max_length=16, choices=MemberStatus.choices)
    left_form = models.CharField(
        _("form of leaving"), max_length=10, choices=LeftForm.choices, blank=True
    )
    card_number = models.CharField(_("Party card number"), max_length=32, blank=True, db_index=True)
    resume_number = models.CharField(_("resume number"), max_length=32, blank=True)
    badge_number = models.CharField(_("badge number"), max_length=32, blank=True)
    admission_decision = models.CharField(_("admission decision number"), max_length=64, blank=True)
    admitted_on = models.DateField(_("admission decision date"), null=True, blank=True)
    ceremony_on = models.DateField(_("admission ceremony date"), null=True, blank=True)
    official_on = models.DateField(_("official member since"), null=True, blank=True)
    service = models.CharField(
        _("army / police / retired"), max_length=8, choices=Service.choices, blank=True
    )
    # Deadlines of the admission steps (people/rules.py), stored so overdue lists use an index.
    ceremony_due_on = models.DateField(_("ceremony due by"), null=True, blank=True, db_index=True)
    recognition_due_on = models.DateField(
        _("official recognition due by"), null=True, blank=True, db_index=True
    )
    # Compare-and-swap token of the worker (the admission steps): see notices/due.py. A full
    # save() leaves these columns alone (ALERT_FIELDS).
    alert_version = models.PositiveIntegerField(default=0)
    alert_stage = models.PositiveSmallIntegerField(default=0)
    alert_due_on = models.DateField(null=True, blank=True)
    alert_claim = models.CharField(max_length=32, blank=True)

    # Copies kept in step by save(): the organization's path (moved with the tree by
    # orgs.actions.move_organization) and the person's collation key and folded names.
    org_path = models.CharField(max_length=255, editable=False)
    sort_key = models.BinaryField(editable=False)
    search_text = models.CharField(max_length=600, editable=False)

    objects = ScopedQuerySet["Member"].as_manager()

    class Meta:
        verbose_name = _("Party member")
        verbose_name_plural = _("Party members")
        indexes = [
            # List pages: ORDER BY sort_key, id with keyset pagination, filtered by scope.
            models.Index(fields=["sort_key", "id"], name="member_sort"),
            models.Index(
                fields=["org_path"], name="member_org_path", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.org_path = self.organization.path
        self.sort_key = self.person.sort_key
        self.search_text = self.person.search_text
        fields = kwargs.get("update_fields")
        if fields is None and not self._state.adding and not kwargs.get("force_insert"):
            # Saved from everywhere (moves, transfers, corrections) with what was read before:
            # the worker's columns are written only by the worker's claims and void_claims.
            # Deferred fields stay out too, as Django's own save() leaves them (else each
            # would be loaded by a query of its own).
            skipped = ALERT_FIELDS | self.get_deferred_fields()
            fields = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.attname not in skipped and f.name not in skipped
            ]
        if fields is not None:
            kwargs["update_fields"] = {*fields, "org_path", "sort_key", "search_text"}
        if not counts.counted(fields, counts.MEMBER_FIELDS):
            super().save(*args, **kwargs)
            return
        # The member counts follow in the same transaction (models/counts.py): the state
        # before is read under the row's lock, so a concurrent change is never counted twice.
        with transaction.atomic(savepoint=False):
            before = counts.lock_member(self.pk)
            super().save(*args, **kwargs)
            saved = kwargs.get("update_fields")
            counts.changed(before, counts.after_save(before, self, saved))

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES
