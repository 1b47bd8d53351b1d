"""`/api/v1/outgoing-documents/` and `/api/v1/incoming-documents/`: the registers, read-only.

The rows are those of the register pages: `visible_to` applies the scope, the clearance and
the rule of what a document belongs to (owners.py), so a document out of reach answers 404
like a missing one. The filters are the pages' own (`registers.filtered`). The text of an
outgoing document is not served; its file is made on the register page (copy register).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from hoso.audit import events
from hoso.audit.reads import AuditedList, AuditedRecord
from hoso.documents import registers
from hoso.documents.models import IncomingDocument, OutgoingDocument
from hoso.lib import bounds
from hoso.lib.api import ReadSerializer


class NewestIssued(CursorPagination):
    ordering = ("-issued_on", "-id")
    page_size = 100


class NewestReceived(CursorPagination):
    ordering = ("-received_on", "-id")
    page_size = 100


class OutgoingDocumentSerializer(ReadSerializer[OutgoingDocument]):
    kind = serializers.CharField(source="kind.code", help_text="document type code")
    organization_code = serializers.CharField(source="organization.code")

    class Meta:
        model = OutgoingDocument
        fields = [
            "id", "reference", "number", "kind", "issued_on", "summary", "signer", "authority",
            "recipients", "classification", "copies", "organization", "organization_code",
            "object_type", "object_id", "cancelled", "cancel_reason",
        ]  # fmt: skip


class IncomingDocumentSerializer(ReadSerializer[IncomingDocument]):
    organization_code = serializers.CharField(source="organization.code")

    class Meta:
        model = IncomingDocument
        fields = [
            "id", "arrival_number", "year", "received_on", "sender", "sender_reference",
            "sender_date", "summary", "classification", "organization", "organization_code",
            "object_type", "object_id",
        ]  # fmt: skip


SEARCH = OpenApiParameter(
    "q", str, description="in the summary, the number, or the id of what it belongs to"
)
YEAR = OpenApiParameter(
    "year",
    {"type": "integer", "minimum": bounds.YEAR_MIN, "maximum": bounds.YEAR_MAX},
    description="year of issue (outgoing) or of arrival (incoming)",
)
KIND = OpenApiParameter("kind", str, description="document type code (CV, KH, TB …)")


class OutgoingViewSet(AuditedRecord, AuditedList, viewsets.ReadOnlyModelViewSet[OutgoingDocument]):
    """The register of outgoing documents in the caller's scope, newest first."""

    audited_as = "outgoing-documents"
    read_event = events.REGISTER_VIEWED.code
    read_details = {"register": "outgoing-documents"}
    serializer_class = OutgoingDocumentSerializer
    pagination_class = NewestIssued

    def get_queryset(self) -> QuerySet[OutgoingDocument]:
        qs: QuerySet[OutgoingDocument] = OutgoingDocument.objects.visible_to(self.request.user)
        qs = qs.select_related("organization", "kind")
        if self.action == "list":
            qs = registers.filtered(qs, self.request.query_params)
        return qs

    @extend_schema(parameters=[SEARCH, YEAR, KIND])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


class IncomingViewSet(AuditedRecord, AuditedList, viewsets.ReadOnlyModelViewSet[IncomingDocument]):
    """The register of incoming documents in the caller's scope, latest arrivals first."""

    audited_as = "incoming-documents"
    read_event = events.REGISTER_VIEWED.code
    read_details = {"register": "incoming-documents"}
    serializer_class = IncomingDocumentSerializer
    pagination_class = NewestReceived

    def get_queryset(self) -> QuerySet[IncomingDocument]:
        # The register's queryset class is typed for outgoing documents; it serves both.
        qs: QuerySet[Any] = IncomingDocument.objects.visible_to(self.request.user)
        qs = qs.select_related("organization")
        if self.action == "list":
            qs = registers.filtered(qs, self.request.query_params)
        return qs

    @extend_schema(parameters=[SEARCH, YEAR])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)
