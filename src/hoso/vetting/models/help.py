"""Requests received from other provinces' committees and other bodies, asking this office to
verify a person or to provide a dossier (xác minh giúp, nghiên cứu giúp): a work item of the
office, arrived as an incoming document, answered by a numbered outgoing one.

The reports read them through `HelpQuerySet`: received in a period, answered in a period, by
requesting body (`by_requester`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Self

from django.db import models
from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.querysets import Scope, ScopedQuerySet, ScopedRecord
from hoso.access.roles import Clearance


class HelpKind(models.TextChoices):
    VERIFY = "verify", _("Verify a person")
    DOSSIER = "dossier", _("Provide a dossier or a copy")


class HelpState(models.TextChoices):
    RECEIVED = "received", _("Received, not assigned")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_HELP = (HelpState.RECEIVED, HelpState.ASSIGNED, HelpState.IN_PROGRESS)


class HelpRule(models.Model):
    """The default time to answer, per kind of request (configurable, in working days)."""

    kind = models.CharField(_("kind"), max_length=10, unique=True, choices=HelpKind.choices)
    days = models.PositiveSmallIntegerField(_("time to answer (working days)"))

    class Meta:
        verbose_name = _("time to answer a request for verification help")
        verbose_name_plural = _("times to answer requests for verification help")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.days}"


# The requesting body as one key: its directory entry's name when linked, else as written.
REQUESTER = Coalesce("requester_addressee__name", "requester")


class HelpQuerySet(ScopedQuerySet["HelpRequest"]):
    def open(self) -> Self:
        return self.filter(state__in=OPEN_HELP)

    def overdue(self, today: dt.date) -> Self:
        return self.open().filter(due_on__lt=today)

    def received_in(self, start: dt.date, end: dt.date) -> Self:
        """Received from start to end, both included (whatever happened to them since)."""
        return self.filter(received_on__gte=start, received_on__lte=end)

    def answered_in(self, start: dt.date, end: dt.date) -> Self:
        """Answered (the numbered answer dated) from start to end, both included."""
        return self.filter(state=HelpState.ANSWERED, answered_on__gte=start, answered_on__lte=end)

    def by_requester(self) -> models.QuerySet[Any]:
        """{"body": name, "addressee": directory id or None, "n": count} per requesting
        body, the largest first: one grouped query."""
        return (
            self.order_by()
            .values(addressee=models.F("requester_addressee"), body=REQUESTER)
            .annotate(n=Count("id"))
            .order_by("-n", "body")
        )


class HelpRequest(ScopedRecord):
    scope = Scope(policy.Action.CASE_VIEW, classification="classification")
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handling office"),
    )
    incoming = models.OneToOneField(
        "documents.IncomingDocument",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("incoming document"),
    )
    received_on = models.DateField(_("received on"), db_index=True)
    requester = models.CharField(_("requesting body (as written)"), max_length=255)
    requester_addressee = models.ForeignKey(
        "vetting.Addressee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requesting body in the directory"),
    )
    kind = models.CharField(_("what is asked for"), max_length=10, choices=HelpKind.choices)
    subject_name = models.CharField(_("person asked about"), max_length=150)
    subject_birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    subject_home_town = models.CharField(_("home town"), max_length=255, blank=True)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person on record"),
    )
    asked = models.TextField(_("what is asked"))
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Clearance.choices, default=Clearance.CONFIDENTIAL
    )
    state = models.CharField(
        _("state"), max_length=12, choices=HelpState.choices, default=HelpState.RECEIVED
    )
    assignee = models.ForeignKey(
        "access.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("officer in charge"),
    )
    due_on = models.DateField(_("answer due by"))
    answer = models.OneToOneField(
        "documents.OutgoingDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answer"),
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_summary = models.TextField(_("what the answer says"), blank=True)
    closing_reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Compare-and-swap token of the worker: see notices/due.py.
    alert_version = models.PositiveIntegerField(default=0)
    alert_stage = models.PositiveSmallIntegerField(default=0)
    alert_due_on = models.DateField(null=True, blank=True)
    alert_claim = models.CharField(max_length=32, blank=True)

    objects = HelpQuerySet.as_manager()

    class Meta:
        verbose_name = _("request for verification help")
        verbose_name_plural = _("requests for verification help")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["state", "due_on"], name="help_state_due"),
            models.Index(fields=["answered_on"], name="help_answered"),
        ]

    def __str__(self) -> str:
        return _("Request %(ref)s") % {"ref": self.reference}

    @property
    def reference(self) -> str:
        """The arrival number in the incoming register, e.g. 12/2026."""
        return f"{self.incoming.arrival_number}/{self.incoming.year}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_HELP

    @property
    def subject_label(self) -> str:
        """Name, year of birth and home town, as the letter gives them."""
        facts = [self.subject_name]
        if self.subject_birth_year:
            facts.append(str(self.subject_birth_year))
        if self.subject_home_town:
            facts.append(self.subject_home_town)
        return ", ".join(facts)


class HelpStep(models.Model):
    """The history of a request: every move and due-date change, who made it, when, why."""

    help = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="steps")
    move = models.CharField(max_length=16)
    from_state = models.CharField(max_length=12, choices=HelpState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=HelpState.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"
