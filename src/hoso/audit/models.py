"""The append-only, hash-chained audit trail."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.querysets import Scope, ScopedQuerySet, UnfiledToRootMixin

GENESIS_HASH = "0" * 64


class AuditEventQuerySet(UnfiledToRootMixin, ScopedQuerySet["AuditEvent"]):
    """Events tied to no organization belong to the whole system (UnfiledToRootMixin)."""


class AuditEvent(models.Model):
    """One event. Never updated or deleted: database triggers refuse it (see migrations)."""

    # Events tied to no organization (e.g. a failed login with an unknown name) belong to
    # the whole system: only auditors granted on a root node see them.
    scope = Scope(policy.Action.AUDIT_VIEW)

    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        "access.User",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    event_type = models.CharField(_("event"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    ip = models.GenericIPAddressField(_("address"), null=True)
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(_("details"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # The key the hash is an HMAC under (audit/keys.py); "" for the events before the first
    # key, hashed with SHA-256 alone.
    key_id = models.CharField(max_length=32, blank=True, default="")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["actor", "created_at"], name="audit_actor_time"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.event_type} {self.created_at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("audit events are append-only")

    def compute_hash(self, key: Any = None) -> str:
        """Over the previous hash and every field, in a canonical JSON form: an HMAC-SHA256
        under `key` (audit/keys.py), or SHA-256 alone for an event made before any key."""
        payload = {
            "created_at": self.created_at.isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "event_type": self.event_type,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "organization": self.organization_id,
            "ip": self.ip,
            "reason": self.reason,
            "details": self.details,
        }
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        if key is not None:
            return str(key.mac(self.prev_hash + blob))
        return hashlib.sha256((self.prev_hash + blob).encode()).hexdigest()


class ChainHead(models.Model):
    """A single row holding the newest hash. Locking it serialises appends to the chain, and
    comparing it with the last event detects a truncated tail."""

    last_event_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    key_id = models.CharField(max_length=32, blank=True, default="")  # the key in effect
    # HMAC of "last_event_id:last_hash" under that key: a tail cut off and the head moved
    # back by someone without the key does not verify.
    seal = models.CharField(max_length=64, blank=True, default="")

    def __str__(self) -> str:
        return f"chain head at event {self.last_event_id}"

    def sealed_text(self) -> str:
        return f"{self.last_event_id}:{self.last_hash}"
