"""`/api/v1/trips/` and `/api/v1/foreign-relations/` in the caller's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from hoso.lib.api import ReadSerializer
from hoso.travel.models import Relation, Trip
from hoso.travel.views import FILTERS


class Pages(CursorPagination):
    ordering = ("-id",)
    page_size = 100


class TripSerializer(ReadSerializer[Trip]):
    member_name = serializers.CharField(source="member.person.full_name")

    class Meta:
        model = Trip
        fields = [
            "id",
            "member",
            "member_name",
            "organization",
            "purpose",
            "countries",
            "planned_from",
            "planned_to",
            "funding",
            "passport_type",
            "state",
            "approved",
            "decision_number",
            "decision_date",
            "departed_on",
            "returned_on",
            "report_due_on",
            "report_received_on",
            "passport_due_on",
            "passport_returned_on",
        ]


class RelationSerializer(ReadSerializer[Relation]):
    class Meta:
        model = Relation
        fields = [
            "id",
            "member",
            "organization",
            "kind",
            "person_name",
            "relationship",
            "country",
            "since",
            "status",
            "declared_on",
            "approved",
            "decision_number",
            "decision_date",
        ]


class TripViewSet(viewsets.ReadOnlyModelViewSet[Trip]):
    serializer_class = TripSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Trip]:
        qs = Trip.objects.visible_to(self.request.user).select_related("member__person")
        show = self.request.query_params.get("show", "all")
        return FILTERS.get(show, FILTERS["all"])(qs, timezone.localdate())  # type: ignore[no-any-return]

    @extend_schema(
        parameters=[OpenApiParameter("show", str, description=f"one of {', '.join(FILTERS)}")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


class RelationViewSet(viewsets.ReadOnlyModelViewSet[Relation]):
    serializer_class = RelationSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Relation]:
        return Relation.objects.visible_to(self.request.user)
