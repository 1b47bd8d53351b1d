"""`/api/v1/petitions/`: petitions in the caller's scope. The petitioner's identity is never
served here (it is revealed only on the petition page, audited)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from hoso.access.actor import acting_user
from hoso.audit.reads import AuditedList
from hoso.lib.api import ReadSerializer
from hoso.petitions import reads
from hoso.petitions.models import Petition, Subject


class Pages(CursorPagination):
    ordering = ("-received_on", "-id")
    page_size = 100


class SubjectSerializer(ReadSerializer[Subject]):
    class Meta:
        model = Subject
        fields = ["name", "position", "person"]


class PetitionSerializer(ReadSerializer[Petition]):
    reference = serializers.CharField()
    subjects = SubjectSerializer(many=True)
    organization_code = serializers.CharField(source="organization.code")

    class Meta:
        model = Petition
        fields = [
            "id",
            "reference",
            "organization",
            "organization_code",
            "received_on",
            "channel",
            "forwarded_by",
            "summary",
            "classification",
            "subjects",
            "kind",
            "naming",
            "within_competence",
            "repeated",
            "new_evidence",
            "state",
            "reason",
            "reason_note",
            "forwarded_to",
            "accepted_on",
            "due_on",
            "paused_since",
            "case",
            "outcome",
            "conclusion_reference",
            "concluded_on",
            "notified_on",
            "closed_on",
        ]


FILTERS = [
    OpenApiParameter("state", str, description="a state, 'open' or 'overdue'"),
    OpenApiParameter("kind", str, description="complaint, denunciation or report"),
]


class PetitionViewSet(AuditedList, viewsets.ReadOnlyModelViewSet[Petition]):
    audited_as = "petitions"
    serializer_class = PetitionSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Petition]:
        qs = Petition.objects.visible_to(self.request.user)
        params = self.request.query_params
        state = params.get("state", "")
        if state == "open":
            qs = qs.open()
        elif state == "overdue":
            qs = qs.open().filter(paused_since__isnull=True, due_on__lt=timezone.localdate())
        elif state:
            qs = qs.filter(state=state)
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"])
        return qs.select_related("incoming", "organization").prefetch_related("subjects")

    @extend_schema(parameters=FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        petition = reads.open_petition(acting_user(request), self.kwargs["pk"])
        return Response(PetitionSerializer(petition).data)
