from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers, viewsets
from rest_framework.pagination import CursorPagination

from hoso.audit import events
from hoso.audit.models import AuditEvent
from hoso.audit.reads import AuditedList, AuditedRecord
from hoso.lib.api import ReadSerializer
from hoso.trail.filters import AuditFilterForm


class NewestFirst(CursorPagination):
    ordering = "-id"
    page_size = 100


class AuditEventSerializer(ReadSerializer[AuditEvent]):
    organization: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "actor_name",
            "event_type",
            "object_type",
            "object_id",
            "organization",
            "ip",
            "reason",
            "details",
            "prev_hash",
            "hash",
        ]


class AuditEventViewSet(AuditedRecord, AuditedList, viewsets.ReadOnlyModelViewSet[AuditEvent]):
    """The audit trail in the caller's scope (auditors). Filters as on the web page. Reading
    the trail is itself audited, as on the page: a page of events, or one event."""

    audited_as = "audit-events"
    read_event = events.AUDIT_VIEWED.code
    read_details = {"trail": "api"}
    serializer_class = AuditEventSerializer
    pagination_class = NewestFirst

    def get_queryset(self) -> QuerySet[AuditEvent]:
        qs = AuditEvent.objects.visible_to(self.request.user).select_related("organization")
        return AuditFilterForm(self.request.query_params).apply(qs)
