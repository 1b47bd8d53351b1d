"""API for cases, verification requests and requests for verification help from other bodies:
`/api/v1/cases/`, `/api/v1/verification-requests/`, `/api/v1/help-requests/`.

Same scope rules as the pages (a case outside the caller's scope, clearance or team answers
404) and the same actions underneath, so every change is checked and audited once.
"""

from __future__ import annotations

import datetime as dt
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
from hoso.access.roles import Clearance
from hoso.audit.reads import AuditedList
from hoso.documents.models import Authority, IncomingDocument
from hoso.lib import bounds, query
from hoso.lib.api import DateField, IdField, ReadSerializer
from hoso.orgs.models import Organization
from hoso.people.models import Member, Person, Relative
from hoso.vetting import actions, plan, reads, transitions, validity, verification
from hoso.vetting import help as helping
from hoso.vetting.models import (
    Addressee,
    Case,
    CaseType,
    Conclusion,
    ConclusionValidity,
    HelpKind,
    HelpRequest,
    PlanSkip,
    RequestState,
    VerificationRequest,
)
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


class ValidityRecordSerializer(ReadSerializer[ConclusionValidity]):
    class Meta:
        model = ConclusionValidity
        fields = ["id", "valid_until", "reason", "document", "recorded_at"]


class ConclusionSerializer(ReadSerializer[Conclusion]):
    serves_until = serializers.DateField(
        allow_null=True, help_text="the latest validity record's date, else valid_until"
    )
    in_force = serializers.BooleanField(help_text="not superseded and serving today")
    validity = ValidityRecordSerializer(many=True, help_text="later statements, oldest first")

    class Meta:
        model = Conclusion
        fields = [
            "id", "number", "signed_on", "outcome", "outcome_label", "text", "signer",
            "authority", "supersedes", "reason", "serves", "valid_until", "serves_until",
            "in_force", "validity",
        ]  # fmt: skip


def conclusions_of(case: Case) -> list[Conclusion]:
    """The case's conclusions with `serves_until` and `in_force` (two queries and one)."""
    rows = list(validity.with_validity(case.conclusions.all()).prefetch_related("validity"))
    current = set(validity.in_force(case.conclusions.all()).values_list("pk", flat=True))
    for row in rows:
        row.in_force = row.pk in current  # type: ignore[attr-defined]
    return rows


class ValiditySerializer(serializers.Serializer[Any]):
    conclusion = IdField(help_text="id of a conclusion of this case")
    valid_until = DateField(
        allow_null=True, future=dt.timedelta(days=11 * 366), help_text="null: without an end"
    )
    reason = serializers.CharField(max_length=500)
    document = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)


class PlanSkipSerializer(ReadSerializer[PlanSkip]):
    recorded_by = serializers.CharField(source="recorded_by.username")

    class Meta:
        model = PlanSkip
        fields = ["id", "line", "relative", "reason", "withdraws", "recorded_by", "recorded_at"]


class SkipSerializer(serializers.Serializer[Any]):
    line = serializers.IntegerField(min_value=0, max_value=1000, help_text="index in `lines`")
    relative = IdField(
        required=False, allow_null=True, default=None,
        help_text="one relative on the line; null: the whole line",
    )  # fmt: skip
    reason = serializers.CharField(max_length=500)


class WithdrawSerializer(serializers.Serializer[Any]):
    skip = IdField(help_text="id of the skip to withdraw")
    reason = serializers.CharField(max_length=500)


class PlanRequestSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    state = serializers.CharField()


class PlanPersonSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="'p<person id>' or 'r<relative id>', as in requests")
    relative = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    relationship = serializers.CharField()
    birth_year = serializers.IntegerField(allow_null=True)
    party_member = serializers.BooleanField()
    requests = PlanRequestSerializer(many=True)
    skip = PlanSkipSerializer(allow_null=True)
    covered = serializers.BooleanField(help_text="a request not cancelled, or a skip")


class PlanLineSerializer(serializers.Serializer[Any]):
    index = serializers.IntegerField()
    name = serializers.CharField(help_text="the line's label")
    codes = serializers.ListField(child=serializers.CharField())
    adult = serializers.BooleanField()
    persons = PlanPersonSerializer(many=True, help_text="empty: none declared")
    skip = PlanSkipSerializer(allow_null=True, help_text="the whole line not verified")
    satisfied = serializers.BooleanField()


class PlanSerializer(serializers.Serializer[Any]):
    applies = serializers.BooleanField(help_text="false: the case's type version has no plan")
    lines = PlanLineSerializer(many=True)
    unsatisfied = serializers.ListField(child=serializers.CharField())
    skips = PlanSkipSerializer(many=True, help_text="every record, withdrawals included")


def _requests(requests: list[VerificationRequest]) -> list[dict[str, Any]]:
    return [{"id": r.pk, "reference": r.document.reference, "state": r.state} for r in requests]


def plan_data(case: Case) -> dict[str, Any]:
    found = plan.of_case(case)
    if found is None:
        return {"applies": False, "lines": [], "unsatisfied": [], "skips": []}
    lines = []
    for line in found.lines:
        persons: list[dict[str, Any]]
        if line.rule.is_self:
            born = case.person.birth_date
            persons = [{
                "key": f"p{case.person_id}", "relative": None, "name": case.person.display_name,
                "relationship": "self", "birth_year": born.year if born else None,
                "party_member": False, "requests": _requests(line.requests), "skip": None,
                "covered": line.satisfied,
            }]  # fmt: skip
        else:
            persons = [{
                "key": f.key, "relative": f.relative.pk, "name": f.relative.full_name,
                "relationship": f.relative.relationship.code,
                "birth_year": f.relative.birth_year, "party_member": f.relative.party_member,
                "requests": _requests(f.requests), "skip": f.skip, "covered": f.covered,
            } for f in line.fillers]  # fmt: skip
        lines.append({
            "index": line.index, "name": line.rule.label, "codes": list(line.rule.codes),
            "adult": line.rule.adult, "persons": persons, "skip": line.skip,
            "satisfied": line.satisfied,
        })  # fmt: skip
    return {
        "applies": True,
        "lines": lines,
        "unsatisfied": [line.rule.label for line in found.unsatisfied],
        "skips": found.skips,
    }


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


class CaseViewSet(AuditedList, viewsets.ReadOnlyModelViewSet[Case]):
    """Vetting cases in the caller's scope, earliest time limit first."""

    audited_as = "cases"

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

    @extend_schema(responses=ConclusionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # a case has a few: not paged
    def conclusions(self, request: Request, pk: str, format: str | None = None) -> Response:
        """The case's conclusions, oldest first: what each serves, until when, in force or not."""
        case = reads.open_case(acting_user(request), self.kwargs["pk"], via="conclusions")
        return Response(ConclusionSerializer(conclusions_of(case), many=True).data)

    @extend_schema(request=ValiditySerializer, responses={201: ConclusionSerializer})
    @action(detail=True, methods=["post"])
    def validity(self, request: Request, pk: str, format: str | None = None) -> Response:
        """Record until when a conclusion of this case serves (the latest record counts)."""
        case = self.get_object()
        data = ValiditySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        conclusion = case.conclusions.filter(pk=values.pop("conclusion")).first()
        if conclusion is None:
            raise ValidationError({"conclusion": "not a conclusion of this case"})
        try:
            actions.cases.record_validity(_actor(request), conclusion, **values)
        except ValueError as exc:
            raise _refused(exc) from None
        row = next(c for c in conclusions_of(case) if c.pk == conclusion.pk)
        return Response(ConclusionSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=PlanSerializer)
    @action(detail=True, methods=["get"])
    def plan(self, request: Request, pk: str, format: str | None = None) -> Response:
        """The verification plan: its lines, who fills each, their requests and skips."""
        case = reads.open_case(acting_user(request), self.kwargs["pk"], via="plan")
        return Response(PlanSerializer(plan_data(case)).data)

    @extend_schema(request=SkipSerializer, responses={201: PlanSkipSerializer})
    @action(detail=True, methods=["post"], url_path="plan/skips")
    def plan_skip(self, request: Request, pk: str, format: str | None = None) -> Response:
        """Record that a line of the plan, or one relative on it, is not verified, and why."""
        case = self.get_object()
        data = SkipSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        relative = None
        if values["relative"] is not None:
            relative = Relative.objects.filter(pk=values["relative"], person=case.person_id).first()
            if relative is None:
                raise ValidationError({"relative": "not a relative of the subject"})
        try:
            skip = actions.plan.skip_plan_line(
                _actor(request), case, line=values["line"], relative=relative,
                reason=values["reason"],
            )  # fmt: skip
        except ValueError as exc:
            raise _refused(exc) from None
        return Response(PlanSkipSerializer(skip).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WithdrawSerializer, responses={201: PlanSkipSerializer})
    @action(detail=True, methods=["post"], url_path="plan/withdraw")
    def plan_withdraw(self, request: Request, pk: str, format: str | None = None) -> Response:
        """Withdraw a skip: the line (or relative) is to be verified again."""
        case = self.get_object()
        data = WithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        skip = case.plan_skips.filter(pk=data.validated_data["skip"]).first()
        if skip is None:
            raise ValidationError({"skip": "not a skip of this case"})
        try:
            withdrawal = actions.plan.withdraw_skip(
                _actor(request), skip, reason=data.validated_data["reason"]
            )
        except ValueError as exc:
            raise _refused(exc) from None
        return Response(PlanSkipSerializer(withdrawal).data, status=status.HTTP_201_CREATED)

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


class VerificationRequestViewSet(AuditedList, viewsets.ReadOnlyModelViewSet[VerificationRequest]):
    """Verification requests of the cases the caller may see."""

    audited_as = "verification-requests"

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

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        found = reads.open_request(acting_user(request), self.kwargs["pk"])
        return Response(VerificationRequestSerializer(found).data)


# ---- requests for verification help from other bodies --------------------------------------


class HelpRequestSerializer(ReadSerializer[HelpRequest]):
    reference = serializers.CharField(help_text="arrival number in the incoming register, n/yyyy")
    sender_reference = serializers.CharField(source="incoming.sender_reference")
    sender_date = serializers.DateField(source="incoming.sender_date", allow_null=True)
    organization_code = serializers.CharField(source="organization.code")
    answer_reference = serializers.CharField(
        source="answer.reference", allow_null=True, help_text="the numbered answer (CV)"
    )

    class Meta:
        model = HelpRequest
        fields = [
            "id", "reference", "incoming", "received_on", "requester", "requester_addressee",
            "sender_reference", "sender_date", "kind", "subject_name", "subject_birth_year",
            "subject_home_town", "person", "asked", "classification", "organization",
            "organization_code", "state", "assignee", "due_on", "answer", "answer_reference",
            "answered_on", "answer_summary", "closing_reason",
        ]  # fmt: skip


class HelpRegisterSerializer(serializers.Serializer[Any]):
    incoming = IdField(
        required=False, allow_null=True, default=None,
        help_text="an incoming document of the register that belongs to nothing yet; null: "
        "register the request in the incoming register (organization_code, received_on and "
        "sender_reference then required)",
    )  # fmt: skip
    organization_code = serializers.CharField(required=False, default="", allow_blank=True)
    received_on = DateField(
        earliest=bounds.EARLIEST_DOCUMENT, required=False, allow_null=True, default=None
    )
    sender_reference = serializers.CharField(
        max_length=64, required=False, default="", allow_blank=True
    )
    sender_date = DateField(
        earliest=bounds.EARLIEST_DOCUMENT, required=False, allow_null=True, default=None
    )
    requester = serializers.CharField(
        max_length=255, required=False, default="", allow_blank=True,
        help_text="as written; empty: the directory entry's name",
    )  # fmt: skip
    requester_addressee = IdField(required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=HelpKind.choices)
    subject_name = serializers.CharField(max_length=150)
    subject_birth_year = serializers.IntegerField(
        min_value=actions.help.YEAR_OF_BIRTH_MIN, max_value=2100, required=False,
        allow_null=True, default=None,
    )  # fmt: skip
    subject_home_town = serializers.CharField(
        max_length=255, required=False, default="", allow_blank=True
    )
    asked = serializers.CharField()
    classification = serializers.ChoiceField(
        choices=Clearance.choices, required=False, default=Clearance.CONFIDENTIAL
    )


class HelpAssignSerializer(serializers.Serializer[Any]):
    assignee = IdField(help_text="id of an officer who may handle the request")
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class HelpMoveSerializer(serializers.Serializer[Any]):
    move = serializers.ChoiceField(
        choices=[transitions.HelpMove.START, transitions.HelpMove.DECLINE,
                 transitions.HelpMove.CANCEL],
    )  # fmt: skip
    reason = serializers.CharField(
        max_length=500, required=False, default="", allow_blank=True,
        help_text="required to decline or cancel",
    )  # fmt: skip


class HelpAnswerSerializer(serializers.Serializer[Any]):
    answered_on = DateField()
    summary = serializers.CharField()
    signer = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)
    authority = serializers.ChoiceField(choices=Authority.choices, required=False, default="")


class HelpDueSerializer(serializers.Serializer[Any]):
    due_on = DateField()
    reason = serializers.CharField(max_length=500)


class HelpPersonSerializer(serializers.Serializer[Any]):
    person = IdField(allow_null=True, help_text="a person the caller sees; null: nobody")


HELP_FILTERS = [
    OpenApiParameter(
        "queue", str, description=f"one of {', '.join(helping.QUEUES)} (default: open)"
    ),
    OpenApiParameter("kind", str, description="verify or dossier"),
    OpenApiParameter("org", str, description="handling office code"),
]


class HelpRequestViewSet(AuditedList, viewsets.ReadOnlyModelViewSet[HelpRequest]):
    """Requests received from other provinces' committees and other bodies to verify a person
    or provide a dossier, in the caller's scope, earliest due date first."""

    audited_as = "help-requests"

    serializer_class = HelpRequestSerializer
    pagination_class = DuePagination

    def get_queryset(self) -> QuerySet[HelpRequest]:
        qs = HelpRequest.objects.visible_to(self.request.user)
        params = self.request.query_params
        if self.action == "list":
            name = params.get("queue", "open")
            if name not in helping.QUEUES:
                raise ValidationError({"queue": f"one of {', '.join(helping.QUEUES)}"})
            qs = helping.QUEUES[name][1](qs, self.request.user, timezone.localdate())
            kind = params.get("kind")
            if kind:
                if kind not in HelpKind.values:
                    raise ValidationError({"kind": "verify or dossier"})
                qs = qs.filter(kind=kind)
            if params.get("org"):
                qs = qs.filter(organization__code=params["org"].upper())
        return qs.select_related("organization", "incoming", "answer")

    @extend_schema(parameters=HELP_FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        hr = reads.open_help(acting_user(request), self.kwargs["pk"])
        return Response(HelpRequestSerializer(hr).data)

    def _answer(self, call: Any, created: bool = False) -> Response:
        try:
            hr = call()
        except ValueError as exc:
            raise _refused(exc) from None
        hr = self.get_queryset().get(pk=hr.pk)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(HelpRequestSerializer(hr).data, status=code)

    @extend_schema(request=HelpRegisterSerializer, responses={201: HelpRequestSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Register a request: a new incoming document, or one of the register (`incoming`)."""
        data = HelpRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user = _actor(request)
        addressee_id = values.pop("requester_addressee")
        addressee = None
        if addressee_id is not None:
            addressee = Addressee.objects.filter(pk=addressee_id).first()
            if addressee is None:
                raise ValidationError({"requester_addressee": "unknown addressee"})
        facts = {
            k: values[k]
            for k in ("requester", "kind", "subject_name", "subject_birth_year",
                      "subject_home_town", "asked", "classification")
        }  # fmt: skip
        facts["classification"] = int(facts["classification"])
        if values["incoming"] is not None:
            registers: Any = IncomingDocument.objects.visible_to(user)
            incoming = registers.filter(pk=values["incoming"], object_type="").first()
            if incoming is None:
                raise ValidationError({"incoming": "no such incoming document free to take"})
            return self._answer(
                lambda: actions.help.take_over(
                    user, incoming, requester_addressee=addressee, **facts
                ),
                created=True,
            )
        office = Organization.objects.filter(code=values["organization_code"].upper()).first()
        if office is None or values["received_on"] is None:
            raise ValidationError({"detail": "organization_code and received_on are required"})
        return self._answer(
            lambda: actions.help.receive(
                user, office, received_on=values["received_on"],
                sender_reference=values["sender_reference"], sender_date=values["sender_date"],
                requester_addressee=addressee, **facts,
            ),
            created=True,
        )  # fmt: skip

    @extend_schema(request=HelpAssignSerializer, responses=HelpRequestSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str, format: str | None = None) -> Response:
        hr = self.get_object()
        data = HelpAssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignee = User.objects.filter(pk=data.validated_data["assignee"]).first()
        if assignee is None:
            raise ValidationError({"assignee": "no such account"})
        return self._answer(
            lambda: actions.help.assign(
                _actor(request), hr, assignee, note=data.validated_data["note"]
            )
        )

    @extend_schema(request=HelpMoveSerializer, responses=HelpRequestSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str, format: str | None = None) -> Response:
        """Start working on it, decline it or cancel it (with the reason)."""
        hr = self.get_object()
        data = HelpMoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        step = transitions.HelpMove(data.validated_data["move"])
        reason = data.validated_data["reason"]
        return self._answer(lambda: actions.help.move(_actor(request), hr, step, reason=reason))

    @extend_schema(request=HelpAnswerSerializer, responses=HelpRequestSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str, format: str | None = None) -> Response:
        """Number the answer (a CV of the handling office, in the outgoing register)."""
        hr = self.get_object()
        data = HelpAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data

        def answered() -> HelpRequest:
            actions.help.answer(_actor(request), hr, **values)
            return hr

        return self._answer(answered)

    @extend_schema(request=HelpDueSerializer, responses=HelpRequestSerializer)
    @action(detail=True, methods=["post"])
    def due(self, request: Request, pk: str, format: str | None = None) -> Response:
        """Change the due date, with the reason."""
        hr = self.get_object()
        data = HelpDueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(
            lambda: actions.help.change_due(_actor(request), hr, **data.validated_data)
        )

    @extend_schema(request=HelpPersonSerializer, responses=HelpRequestSerializer)
    @action(detail=True, methods=["post"])
    def person(self, request: Request, pk: str, format: str | None = None) -> Response:
        """Name the person on record the request is about (null: nobody)."""
        hr = self.get_object()
        data = HelpPersonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        found = None
        if data.validated_data["person"] is not None:
            found = Person.objects.filter(pk=data.validated_data["person"]).first()
            if found is None:
                raise ValidationError({"person": "This person is not one you may see."})
        return self._answer(lambda: actions.help.name_person(_actor(request), hr, found))
