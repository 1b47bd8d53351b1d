"""Insider flags: facts about one account's reads, found in the audit trail by a rule
(`trail/flags.py`), for the auditors. A flag is a fact with its events, never a score: nothing
here weighs, sums or orders people (docs/security.md, "Insider flags")."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.querysets import Scope, ScopedQuerySet, UnfiledToRootMixin


class Rule(models.TextChoices):
    BULK_VIEWING = "bulk_viewing", _("Many records opened in a short time")
    AFTER_HOURS = "after_hours", _("Reads outside working hours")
    FAILED_SEARCHES = "failed_searches", _("Many searches that found nothing")
    LARGE_EXPORT = "large_export", _("Large export")


class FlagQuerySet(UnfiledToRootMixin, ScopedQuerySet["Flag"]):
    """A flag whose events include one filed under no organization is the whole system's, as
    that event is (UnfiledToRootMixin)."""


class Flag(models.Model):
    """One fact: `actor` did what `rule` describes `count` times between `window_start` and
    `window_end`, against `threshold`; `events` are the audit events it is made of.

    Scoped by `organization`, the deepest organization above every organization its events
    are filed under (None when one of them is filed under none): an auditor sees the flag
    when one of their grants covers that organization, so every event it counts is in their
    scope; a flag spanning two provinces is seen from the nation only."""

    scope = Scope(policy.Action.AUDIT_VIEW)

    rule = models.CharField(_("rule"), max_length=32, choices=Rule.choices)
    actor = models.ForeignKey(
        "access.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("account")
    )
    actor_name = models.CharField(_("account name"), max_length=150)
    window_start = models.DateTimeField(_("from"))
    window_end = models.DateTimeField(_("until"))
    count = models.PositiveIntegerField(_("events"))
    threshold = models.PositiveIntegerField(_("threshold"))
    # What the rule measured, as set when the flag was raised: the window's minutes, the
    # working hours, an export's list and rows, how many distinct records.
    detail = models.JSONField(_("detail"), default=dict)
    # A rule with one flag per fixed thing says which (an export's event id, the actor's day
    # out of hours): the unique constraint holds idempotence against a scan run twice.
    key = models.CharField(max_length=64, blank=True, default="")
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    events = models.ManyToManyField("audit.AuditEvent", related_name="+")
    created_at = models.DateTimeField(_("raised at"), db_index=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("insider flag")
        verbose_name_plural = _("insider flags")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "key"], condition=~Q(key=""), name="flag_rule_key"
            )
        ]
        indexes = [
            # The scan's merge: this actor's latest flag of this rule.
            models.Index(fields=["actor", "rule", "window_end"], name="flag_actor_rule_end"),
            models.Index(fields=["rule", "created_at"], name="flag_rule_created"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.actor_name} {self.window_start:%Y-%m-%d %H:%M}"

    def fact(self) -> str:
        """The flag as one sentence: who, what, how many, when, against which threshold."""
        when = {
            "account": self.actor_name,
            "count": self.count,
            "threshold": self.threshold,
            "start": _moment(self.window_start),
            "end": _moment(self.window_end),
            "minutes": self.detail.get("minutes", ""),
            "records": self.detail.get("records", ""),
        }
        if self.rule == Rule.BULK_VIEWING:
            text = gettext(
                "%(account)s opened records %(count)s times (%(records)s different records) "
                "between %(start)s and %(end)s; threshold: %(threshold)s within %(minutes)s "
                "minutes."
            )
        elif self.rule == Rule.AFTER_HOURS:
            when["hours"] = self.detail.get("hours", "")
            text = gettext(
                "%(account)s read sensitive data %(count)s times outside working hours "
                "(%(hours)s on working days) between %(start)s and %(end)s; threshold: "
                "%(threshold)s in one day."
            )
        elif self.rule == Rule.FAILED_SEARCHES:
            text = gettext(
                "%(account)s searched %(count)s times without finding anything between "
                "%(start)s and %(end)s; threshold: %(threshold)s within %(minutes)s minutes."
            )
        else:
            when["rows"] = self.detail.get("rows", "")
            when["list"] = self.detail.get("list", "")
            text = gettext(
                "%(account)s exported %(rows)s rows (list: %(list)s) at %(start)s; threshold: "
                "%(threshold)s rows."
            )
        return text % when


def _moment(value: Any) -> str:
    return str(formats.date_format(timezone.localtime(value), "d/m/Y H:i:s"))


class FlagScan(models.Model):
    """The scan's cursor (one row): the newest audit event it has read. Bookkeeping, not a
    record: the flags it raises are audited (tests/audit_guard.py lists the table)."""

    last_event_id = models.BigIntegerField(default=0)
    scanned_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"flags scanned up to event {self.last_event_id}"
