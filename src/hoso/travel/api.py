"""`/api/v1/trips/`, `/api/v1/stays/` and `/api/v1/foreign-relations/` in the caller's scope.

Stays are recorded, marked returned and cancelled here too, through the same actions as the
pages, so every change is checked and audited once."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.audit.reads import AuditedList
from hoso.lib.api import DateField, IdField, ReadSerializer
from hoso.orgs.models import Organization
from hoso.people.models import Member
from hoso.travel import actions, reads
from hoso.travel.forms import LONG_TRIP, StayFilterForm
from hoso.travel.models import Relation, Stay, StayKind, StayState, Trip
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


class TripViewSet(AuditedList, viewsets.ReadOnlyModelViewSet[Trip]):
    audited_as = "trips"
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

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        trip = reads.open_trip(acting_user(request), self.kwargs["pk"])
        return Response(TripSerializer(trip).data)


class RelationViewSet(AuditedList, viewsets.ReadOnlyModelViewSet[Relation]):
    audited_as = "relations"
    serializer_class = RelationSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Relation]:
        return Relation.objects.visible_to(self.request.user)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        relation = reads.open_relation(acting_user(request), self.kwargs["pk"])
        return Response(RelationSerializer(relation).data)


class StaySerializer(ReadSerializer[Stay]):
    member_name = serializers.CharField(source="member.person.full_name")
    returned_on = serializers.DateField(allow_null=True)
    managing_org = serializers.IntegerField(source="managing_org_id", allow_null=True)

    class Meta:
        model = Stay
        fields = [
            "id",
            "member",
            "member_name",
            "organization",
            "kind",
            "country",
            "place",
            "decision_number",
            "decision_date",
            "decision_issuer",
            "since",
            "planned_return",
            "managing_body",
            "managing_org",
            "state",
            "returned_on",
            "return_note",
            "cancel_reason",
        ]


class StayRecordSerializer(serializers.Serializer[Any]):
    member = IdField(help_text="id of the member")
    kind = serializers.ChoiceField(choices=StayKind.values)
    country = serializers.CharField(max_length=100)
    place = serializers.CharField(max_length=255)
    decision_number = serializers.CharField(max_length=64)
    decision_date = DateField()
    decision_issuer = serializers.CharField(max_length=255)
    since = DateField()
    planned_return = DateField(future=LONG_TRIP)
    managing_body = serializers.CharField(
        max_length=255, required=False, default="", allow_blank=True
    )
    managing_org = IdField(
        required=False, allow_null=True, default=None, help_text="id of an organization"
    )


class StayReturnSerializer(serializers.Serializer[Any]):
    on = DateField()
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class StayCancelSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=500)


STAY_FILTERS = [
    OpenApiParameter("state", str, description=f"one of {', '.join(StayState.values)}"
                     " (default: abroad or returned)"),
    OpenApiParameter("kind", str, description=f"one of {', '.join(StayKind.values)}"),
    OpenApiParameter("country", str, description="country, with or without tone marks"),
    OpenApiParameter("org", str, description="organization code, with its units"),
    OpenApiParameter("overdue", bool, description="only those past the planned return"),
    OpenApiParameter("member", int, description="member id"),
]  # fmt: skip


class StayViewSet(AuditedList, viewsets.ReadOnlyModelViewSet[Stay]):
    """Long stays abroad in the caller's scope, newest first."""

    audited_as = "stays"

    serializer_class = StaySerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Stay]:
        user = self.request.user
        qs = Stay.objects.visible_to(user).select_related("member__person")
        if self.action != "list":
            return qs
        form = StayFilterForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError(
                {name: [str(e) for e in errs] for name, errs in form.errors.items()}
            )
        return form.apply(qs, user, timezone.localdate())

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        stay = reads.open_stay(acting_user(request), self.kwargs["pk"])
        return Response(StaySerializer(stay).data)

    @extend_schema(parameters=STAY_FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def _run(self, call: Any) -> Response:
        try:
            stay = call()
        except ValueError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        return Response(StaySerializer(stay).data)

    @extend_schema(request=StayRecordSerializer, responses={201: StaySerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = StayRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user = acting_user(request)
        member = (
            Member.objects.visible_to(user, policy.Action.TRAVEL_MANAGE)
            .select_related("organization")
            .filter(pk=values.pop("member"))
            .first()
        )
        org_id = values.pop("managing_org")
        org = Organization.objects.visible_to(user).filter(pk=org_id).first() if org_id else None
        if member is None or (org_id and org is None):
            raise ValidationError({"detail": "unknown member or organization"})
        response = self._run(lambda: actions.record_stay(user, member, managing_org=org, **values))
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=StayReturnSerializer, responses=StaySerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def mark_returned(self, request: Request, pk: str, format: str | None = None) -> Response:
        stay = self.get_object()  # first, so a record outside the scope is a plain 404
        data = StayReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._run(
            lambda: actions.record_return(acting_user(request), stay, **data.validated_data)
        )

    @extend_schema(request=StayCancelSerializer, responses=StaySerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str, format: str | None = None) -> Response:
        stay = self.get_object()
        data = StayCancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._run(
            lambda: actions.cancel_stay(acting_user(request), stay, **data.validated_data)
        )
