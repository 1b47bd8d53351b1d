"""API for cases and verification requests: `/api/v1/cases/`, `/api/v1/verification-requests/`.

Same scope rules as the pages (a case outside the caller's scope, clearance or team answers
404) and the same actions underneath, so every change is checked and audited once.
"""

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

from hoso.access.actor import acting_user
from hoso.access.models import User
from hoso.lib import query
from hoso.lib.api import DateField, IdField, ReadSerializer
from hoso.orgs.models import Organization
from hoso.people.models import Member
from hoso.vetting import actions, reads, transitions, verification
from hoso.vetting.models import Addressee, Case, CaseType, RequestState, VerificationRequest
from hoso.vetting.views.cases import QUEUES


class DuePagination(CursorPagination):
    ordering = ("due_on", "id")
    page_size = 100


class CaseSerializer(ReadSerializer[Case]):
    type_code = serializers.CharField(source="case_type.code")
    type_version = serializers.IntegerField(source="version.number")
    subject = serializers.CharField(source="person.__str__")
    organization_code = serializers.CharField(source="organization.code")
    competent_committee_code = serializers.CharField(source="competent_committee.code")

    class Meta:
        model = Case
        fields = [
            "id", "type_code", "type_version", "subject", "person", "purpose", "organization",
            "organization_code", "competent_committee_code", "request_number", "request_date",
            "request_issuer", "received_on", "decision_number", "decision_date", "state",
            "classification", "restricted", "due_on", "paused_since", "assignee",
        ]  # fmt: skip


class CaseOpenSerializer(serializers.Serializer[Any]):
    type_code = serializers.CharField()
    member = IdField(help_text="id of the member who is the subject")
    organization_code = serializers.CharField()
    competent_committee_code = serializers.CharField()
    purpose = serializers.CharField(max_length=255)
    request_number = serializers.CharField(max_length=64)
    request_date = DateField()
    request_issuer = serializers.CharField(max_length=255)
    received_on = DateField()
    handed_over_by = serializers.CharField(max_length=150)
    handover_items = serializers.CharField()
    restricted = serializers.BooleanField(default=False)


class CaseMoveSerializer(serializers.Serializer[Any]):
    move = serializers.ChoiceField(choices=[m.value for m in transitions.Move])
    note = serializers.CharField(required=False, default="", allow_blank=True)
    decision_number = serializers.CharField(required=False, default="", allow_blank=True)
    decision_date = DateField(required=False, allow_null=True, default=None)


class IssueSerializer(serializers.Serializer[Any]):
    persons = serializers.ListField(
        child=serializers.CharField(), help_text="'p<person id>' or 'r<relative id>'"
    )
    addressees = serializers.ListField(child=IdField())
    questions = serializers.CharField()
    sent_on = DateField()


class VerificationRequestSerializer(ReadSerializer[VerificationRequest]):
    reference = serializers.CharField(source="document.reference")
    addressee_name = serializers.CharField(source="addressee.name")

    class Meta:
        model = VerificationRequest
        fields = [
            "id", "case", "reference", "person_key", "person_label", "addressee",
            "addressee_name", "questions", "sent_on", "due_on", "state",
        ]  # fmt: skip


def _actor(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # IsAuthenticated ran before any action
    return user


def _refused(exc: ValueError) -> ValidationError:
    return ValidationError({"detail": str(exc)})


CASE_FILTERS = [
    OpenApiParameter("queue", str, description=f"one of {', '.join(QUEUES)} (default: open)"),
    OpenApiParameter("type", str, description="case type code"),
    OpenApiParameter("org", str, description="handling office code"),
]


class CaseViewSet(viewsets.ReadOnlyModelViewSet[Case]):
    """Vetting cases in the caller's scope, earliest time limit first."""

    serializer_class = CaseSerializer
    pagination_class = DuePagination

    def get_queryset(self) -> QuerySet[Case]:
        qs = Case.objects.visible_to(self.request.user)
        params = self.request.query_params
        if self.action == "list":
            name = params.get("queue", "open")
            if name not in QUEUES:
                raise ValidationError({"queue": f"one of {', '.join(QUEUES)}"})
            qs = QUEUES[name][1](qs, self.request.user, timezone.localdate())
            if params.get("type"):
                qs = qs.filter(case_type__code=params["type"])
            if params.get("org"):
                qs = qs.filter(organization__code=params["org"].upper())
        return qs.select_related("case_type", "version", "person", "organization",
                                 "competent_committee")  # fmt: skip

    @extend_schema(parameters=CASE_FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = reads.open_case(acting_user(request), self.kwargs["pk"])
        return Response(CaseSerializer(case).data)

    @extend_schema(request=CaseOpenSerializer, responses=CaseSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = CaseOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user = _actor(request)
        member = Member.objects.visible_to(user).filter(pk=values.pop("member")).first()
        case_type = CaseType.objects.filter(code=values.pop("type_code")).first()
        office = Organization.objects.filter(code=values.pop("organization_code")).first()
        committee = Organization.objects.filter(code=values.pop("competent_committee_code")).first()
        if member is None or case_type is None or office is None or committee is None:
            raise ValidationError({"detail": "unknown member, type or organization"})
        try:
            case = actions.cases.open_case(
                user, office, case_type, member.person, competent_committee=committee,
                **values,
            )  # fmt: skip
        except ValueError as exc:
            raise _refused(exc) from None
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseMoveSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str, format: str | None = None) -> Response:
        case = self.get_object()
        data = CaseMoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        step = transitions.Move(values.pop("move"))
        try:
            case = actions.cases.move(_actor(request), case, step, **values)
        except ValueError as exc:
            raise _refused(exc) from None
        return Response(CaseSerializer(case).data)

    @extend_schema(
        request=IssueSerializer, responses={201: VerificationRequestSerializer(many=True)}
    )
    @action(detail=True, methods=["post"])
    def requests(self, request: Request, pk: str, format: str | None = None) -> Response:
        """Issue numbered verification requests: one per person and addressee."""
        case = self.get_object()
        data = IssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        targets = {t.key: t for t in verification.targets_for(case)}
        addressees = list(Addressee.objects.filter(pk__in=values["addressees"], active=True))
        if any(k not in targets for k in values["persons"]) or len(addressees) != len(
            set(values["addressees"])
        ):
            raise ValidationError({"detail": "unknown person or addressee"})
        try:
            made = actions.requests.issue(
                _actor(request), case, [targets[k] for k in values["persons"]], addressees,
                questions=values["questions"], sent_on=values["sent_on"], )  # fmt: skip
        except ValueError as exc:
            raise _refused(exc) from None
        return Response(
            VerificationRequestSerializer(made, many=True).data, status=status.HTTP_201_CREATED
        )


REQUEST_FILTERS = [
    OpenApiParameter("state", str, description="open, answered, cancelled or overdue"),
    OpenApiParameter("case", int, description="case id"),
]


class VerificationRequestViewSet(viewsets.ReadOnlyModelViewSet[VerificationRequest]):
    """Verification requests of the cases the caller may see."""

    serializer_class = VerificationRequestSerializer
    pagination_class = DuePagination

    def get_queryset(self) -> QuerySet[VerificationRequest]:
        qs: QuerySet[VerificationRequest] = VerificationRequest.objects.visible_to(
            self.request.user
        )
        params = self.request.query_params
        state = params.get("state", "")
        if state == "overdue":
            qs = verification.overdue(qs, timezone.localdate())
        elif state:
            if state not in RequestState.values:
                raise ValidationError({"state": "open, answered, cancelled or overdue"})
            qs = qs.filter(state=state)
        case = query.record_id(params, "case")
        if case is not None:
            qs = qs.filter(case_id=case)
        return qs.select_related("document", "addressee")

    @extend_schema(parameters=REQUEST_FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)
