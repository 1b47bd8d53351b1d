"""Trips abroad (ra nước ngoài) and declared foreign relations (quan hệ nước ngoài)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.querysets import Scope, ScopedQuerySet, ScopedRecord


def split(countries: str) -> list[str]:
    return [c.strip() for c in countries.split(",") if c.strip()]


class Purpose(models.TextChoices):
    PRIVATE = "private", _("Private")
    OFFICIAL = "official", _("Official business")
    STUDY = "study", _("Study")
    RELATIVES = "relatives", _("Visiting relatives")


class Funding(models.TextChoices):
    SELF = "self", _("Own funds")
    STATE = "state", _("State budget")
    SPONSOR = "sponsor", _("Sponsor or host")


class PassportType(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary passport")
    OFFICIAL = "official", _("Official passport")
    DIPLOMATIC = "diplomatic", _("Diplomatic passport")


class TripState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    OPINION = "opinion", _("Cell's opinion recorded")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    NOTIFIED = "notified", _("Member notified")
    ABROAD = "abroad", _("Abroad")
    RETURNED = "returned", _("Returned, report due")
    REPORTED = "reported", _("Reported")
    CANCELLED = "cancelled", _("Cancelled")


class TravelRule(models.Model):
    """The configurable time limits after return (one row)."""

    report_days = models.PositiveSmallIntegerField(
        _("trip report due within (working days after return)"), default=7
    )
    passport_days = models.PositiveSmallIntegerField(
        _("official passport handed back within (working days after return)"), default=5
    )

    class Meta:
        verbose_name = _("travel time limits")
        verbose_name_plural = _("travel time limits")

    def __str__(self) -> str:
        return f"{self.report_days}/{self.passport_days}"


class Trip(ScopedRecord):
    scope = Scope(policy.Action.TRAVEL_VIEW)
    member = models.ForeignKey(
        "people.Member", on_delete=models.PROTECT, related_name="trips", verbose_name=_("member")
    )
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    countries = models.CharField(
        _("countries"), max_length=255, help_text=_("Separated by commas.")
    )
    planned_from = models.DateField(_("planned departure"))
    planned_to = models.DateField(_("planned return"))
    funding = models.CharField(_("funding"), max_length=8, choices=Funding.choices)
    passport_type = models.CharField(_("passport"), max_length=10, choices=PassportType.choices)
    host = models.CharField(_("inviting body or relatives visited"), max_length=255, blank=True)
    commitment = models.TextField(
        _("written commitment"), blank=True, help_text=_("Required for visits to relatives abroad.")
    )
    requested_on = models.DateField(_("request dated"))
    cell_opinion = models.TextField(_("opinion of the cell"), blank=True)
    cell_opinion_on = models.DateField(_("opinion dated"), null=True, blank=True)
    approved = models.BooleanField(_("approved"), null=True)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True, db_index=True)
    notified_on = models.DateField(_("member notified on"), null=True, blank=True)
    departed_on = models.DateField(_("departed on"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    report_due_on = models.DateField(_("report due by"), null=True, blank=True)
    # Compare-and-swap token of the worker (the report after return): see notices/due.py.
    alert_version = models.PositiveIntegerField(default=0)
    alert_stage = models.PositiveSmallIntegerField(default=0)
    alert_due_on = models.DateField(null=True, blank=True)
    alert_claim = models.CharField(max_length=32, blank=True)
    report_received_on = models.DateField(_("report received on"), null=True, blank=True)
    report_summary = models.TextField(_("report summary"), blank=True)
    passport_due_on = models.DateField(_("passport due back by"), null=True, blank=True)
    passport_returned_on = models.DateField(_("passport handed back on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=TripState.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = ScopedQuerySet["Trip"].as_manager()

    class Meta:
        verbose_name = _("trip abroad")
        verbose_name_plural = _("trips abroad")
        ordering = ["-planned_from", "-id"]

    def __str__(self) -> str:
        return f"{self.member} – {self.countries} ({self.planned_from:%d/%m/%Y})"

    @property
    def country_list(self) -> list[str]:
        return split(self.countries)


class Destination(models.Model):
    """One country of a trip, in the order named: the trip's `countries` as rows, so that
    reports count trips by country with one grouped query (a trip to two countries counts
    once under each). Written with the trip (travel.actions.request_trip)."""

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="destinations")
    country = models.CharField(_("country"), max_length=255)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("destination")
        verbose_name_plural = _("destinations")
        ordering = ["trip", "position"]
        constraints = [
            models.UniqueConstraint(fields=["trip", "position"], name="destination_once")
        ]

    def __str__(self) -> str:
        return self.country


def destinations(trip: Trip) -> list[Destination]:
    """The rows of a trip's countries, to be written with it."""
    return [Destination(trip=trip, country=c, position=i) for i, c in enumerate(trip.country_list)]


class RelationKind(models.TextChoices):
    RELATIVE_ABROAD = "relative_abroad", _("Relative living abroad")
    MARRIAGE_SELF = "marriage_self", _("Marriage of the member to a foreigner")
    MARRIAGE_CHILD = "marriage_child", _("Marriage of a child to a foreigner")
    AWARD = "award", _("Foreign award, title, degree or membership")


NEEDS_DECISION = (RelationKind.MARRIAGE_SELF, RelationKind.MARRIAGE_CHILD, RelationKind.AWARD)


class Relation(ScopedRecord):
    scope = Scope(policy.Action.TRAVEL_VIEW)
    member = models.ForeignKey(
        "people.Member",
        on_delete=models.PROTECT,
        related_name="foreign_relations",
        verbose_name=_("member"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RelationKind.choices)
    person_name = models.CharField(_("person or award"), max_length=200)
    relationship = models.CharField(_("relationship"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100)
    since = models.PositiveSmallIntegerField(_("since (year)"), null=True, blank=True)
    status = models.CharField(
        _("status abroad"),
        max_length=200,
        blank=True,
        help_text=_("e.g. settled, working, studying, foreign nationality"),
    )
    declared_on = models.DateField(_("declared on"))
    approved = models.BooleanField(_("approved"), null=True)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)

    objects = ScopedQuerySet["Relation"].as_manager()

    class Meta:
        verbose_name = _("foreign relation")
        verbose_name_plural = _("foreign relations")
        ordering = ["-declared_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person_name} ({self.country})"

    @property
    def needs_decision(self) -> bool:
        return self.kind in NEEDS_DECISION


class StayKind(models.TextChoices):
    WORK = "work", _("Long-term work abroad")
    STUDY = "study", _("Long-term study abroad")
    SPOUSE = "spouse", _("Accompanying a spouse abroad")
    OTHER = "other", _("Other long stay abroad")


class StayState(models.TextChoices):
    ABROAD = "abroad", _("Abroad")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Cancelled (recorded by mistake)")


class Stay(ScopedRecord):
    """A member working or studying abroad for a long period (công tác, học tập dài hạn ở nước
    ngoài), kept by the member's organization while another body manages them abroad."""

    scope = Scope(policy.Action.TRAVEL_VIEW)
    member = models.ForeignKey(
        "people.Member", on_delete=models.PROTECT, related_name="stays", verbose_name=_("member")
    )
    kind = models.CharField(_("kind of stay"), max_length=8, choices=StayKind.choices)
    country = models.CharField(_("country"), max_length=100)
    place = models.CharField(
        _("place, institution or employer"),
        max_length=255,
        help_text=_("e.g. the university, the company or the mission abroad"),
    )
    decision_number = models.CharField(_("decision number"), max_length=64)
    decision_date = models.DateField(_("decision date"))
    decision_issuer = models.CharField(
        _("decision issued by"),
        max_length=255,
        help_text=_("The body that sent the member abroad or allowed the stay."),
    )
    since = models.DateField(_("abroad since"), db_index=True)
    planned_return = models.DateField(_("planned return"))
    managing_body = models.CharField(
        _("managing Party organization abroad"),
        max_length=255,
        blank=True,
        help_text=_("e.g. Đảng bộ ngoài nước, or the Party cell at the mission abroad"),
    )
    managing_org = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("managing organization (of our tree)"),
    )
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    return_note = models.TextField(_("note on the return"), blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=StayState.choices)
    # Compare-and-swap token of the worker (the return overdue): see notices/due.py.
    alert_version = models.PositiveIntegerField(default=0)
    alert_stage = models.PositiveSmallIntegerField(default=0)
    alert_due_on = models.DateField(null=True, blank=True)
    alert_claim = models.CharField(max_length=32, blank=True)

    objects = ScopedQuerySet["Stay"].as_manager()

    class Meta:
        verbose_name = _("long stay abroad")
        verbose_name_plural = _("long stays abroad")
        ordering = ["-since", "-id"]

    def __str__(self) -> str:
        return f"{self.member} – {self.country} ({self.since:%d/%m/%Y})"


def stays_overdue(qs: QuerySet[Stay], today: dt.date) -> QuerySet[Stay]:
    """Still abroad after the planned return, with no return recorded."""
    return qs.filter(state=StayState.ABROAD, planned_return__lt=today)
