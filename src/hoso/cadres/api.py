"""API of cadre work: `/api/v1/cadre-categories/`, `/post-kinds/` (the catalogues, read),
`/cadres/` with their category, posts and corrections, `/cadre-posts/`, `/cadre-lists/` and
`/cadre-list-entries/`.

The same scope as the pages (a record outside the caller's scope answers 404) and the same
actions underneath, so every change is checked and audited once.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from hoso.access import policy
from hoso.access.models import User
from hoso.audit.reads import AuditedList
from hoso.cadres import actions, reach, reads
from hoso.cadres.conclusions import entry_lines
from hoso.cadres.forms import CadreFilterForm
from hoso.cadres.models import (
    Cadre,
    Entry,
    ListKind,
    ManagementCategory,
    Plan,
    Post,
    PostKind,
)
from hoso.lib import query
from hoso.lib.api import DateField, IdField, ReadSerializer
from hoso.orgs.models import Organization
from hoso.people.api import KeysetPagination
from hoso.people.models import Member, Sex

A = policy.Action


class Newest(CursorPagination):
    ordering = ("-id",)
    page_size = 100


def _actor(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # IsAuthenticated ran before any action
    return user


def _refused(exc: ValueError) -> ValidationError:
    return ValidationError({"detail": str(exc)})


def _org(code: str | None, user: User, field: str) -> Organization | None:
    """An organization named by code, among those cadre work may name (scope and above)."""
    if not code:
        return None
    found = reach.line_orgs(user).filter(code=code.strip().upper()).first()
    if found is None:
        raise ValidationError({field: "unknown organization code, closed or outside your scope"})
    return found


def _coded(model: Any, code: str, field: str) -> Any:
    found = model.objects.filter(code=code.strip().upper()).first()
    if found is None:
        raise ValidationError({field: "unknown code"})
    return found


# ---- catalogues ---------------------------------------------------------------------------


class CategorySerializer(ReadSerializer[ManagementCategory]):
    class Meta:
        model = ManagementCategory
        fields = ["id", "code", "name", "level", "active", "order"]


class PostKindSerializer(ReadSerializer[PostKind]):
    class Meta:
        model = PostKind
        fields = ["id", "code", "name", "key", "secret", "mode", "active", "order"]


class _Catalogue(mixins.ListModelMixin, viewsets.GenericViewSet[Any]):
    """Catalogue rows, for accounts that do cadre work (a list: the catalogues are short)."""

    pagination_class = None
    model: Any = None

    def get_queryset(self) -> QuerySet[Any]:
        if not policy.scope_paths(self.request.user, A.CADRE_VIEW):
            return self.model.objects.none()  # type: ignore[no-any-return]
        return self.model.objects.all()  # type: ignore[no-any-return]


class CategoryViewSet(_Catalogue):
    serializer_class = CategorySerializer
    model = ManagementCategory


class PostKindViewSet(_Catalogue):
    serializer_class = PostKindSerializer
    model = PostKind


# ---- cadres and posts ---------------------------------------------------------------------


class PostSerializer(ReadSerializer[Post]):
    kind_code = serializers.CharField(source="kind.code")
    organization_code = serializers.CharField(
        source="organization.code", allow_null=True, default=None
    )

    class Meta:
        model = Post
        fields = [
            "id", "cadre", "kind", "kind_code", "title", "organization", "organization_code",
            "body", "elected_body", "term", "started_on", "ended_on", "decision_number",
            "decision_on", "end_decision_number", "end_decision_on", "end_reason",
        ]  # fmt: skip


class CadreSerializer(ReadSerializer[Cadre]):
    full_name = serializers.CharField(source="person.full_name")
    birth_date = serializers.DateField(source="person.birth_date", allow_null=True)
    citizen_id = serializers.CharField(source="person.citizen_id", allow_null=True)
    organization_code = serializers.CharField(source="organization.code")
    category_code = serializers.CharField(source="category.code", allow_null=True, default=None)
    committee_code = serializers.CharField(source="committee.code", allow_null=True, default=None)
    conclusion_serves_until = serializers.DateField(source="conclusion_until", allow_null=True)
    has_conclusion = serializers.SerializerMethodField()

    class Meta:
        model = Cadre
        fields = [
            "id", "person", "full_name", "birth_date", "citizen_id", "organization",
            "organization_code", "category", "category_code", "committee", "committee_code",
            "category_since", "category_decision", "category_decision_on", "has_conclusion",
            "conclusion_serves_until",
        ]  # fmt: skip

    def get_has_conclusion(self, obj: Cadre) -> bool:
        """Whether a conclusion of the post case types is recorded (see the date for its end)."""
        return obj.conclusion_id is not None


class CadreDetailSerializer(CadreSerializer):
    posts = PostSerializer(many=True, read_only=True)

    class Meta(CadreSerializer.Meta):
        fields = [*CadreSerializer.Meta.fields, "posts"]


class NewPersonSerializer(serializers.Serializer[Any]):
    family_name = serializers.CharField(max_length=64)
    middle_name = serializers.CharField(max_length=64, required=False, default="")
    given_name = serializers.CharField(max_length=64)
    sex = serializers.ChoiceField(choices=Sex.choices)
    birth_date = DateField()
    home_town = serializers.CharField(max_length=255)
    citizen_id = serializers.RegexField(r"^\d{12}$", required=False, default="")


class CadreOpenSerializer(serializers.Serializer[Any]):
    organization_code = serializers.CharField(help_text="the organization keeping the record")
    member = IdField(required=False, help_text="a member in your scope")
    citizen_id = serializers.CharField(required=False, help_text="or a member or cadre by CCCD")
    person = NewPersonSerializer(required=False, help_text="or a new person (not a member)")


class CategorySetSerializer(serializers.Serializer[Any]):
    category_code = serializers.CharField()
    since = DateField()
    committee_code = serializers.CharField(required=False, default="")
    decision_number = serializers.CharField(max_length=64, required=False, default="")
    decision_on = DateField(required=False, allow_null=True, default=None)


class PostRecordSerializer(serializers.Serializer[Any]):
    kind_code = serializers.CharField()
    title = serializers.CharField(max_length=255, required=False, default="")
    started_on = DateField()
    organization_code = serializers.CharField(required=False, default="")
    body = serializers.CharField(max_length=255, required=False, default="")
    elected_body = serializers.CharField(max_length=255, required=False, default="")
    term = serializers.CharField(max_length=32, required=False, default="")
    decision_number = serializers.CharField(max_length=64, required=False, default="")
    decision_on = DateField(required=False, allow_null=True, default=None)


class CadreCorrectSerializer(serializers.Serializer[Any]):
    """Only the values sent are corrected."""

    reason = serializers.CharField(max_length=500)
    committee_code = serializers.CharField(required=False)
    category_since = DateField(required=False)
    category_decision = serializers.CharField(max_length=64, required=False, allow_blank=True)
    category_decision_on = DateField(required=False, allow_null=True)


class PostEndSerializer(serializers.Serializer[Any]):
    ended_on = DateField()
    decision_number = serializers.CharField(max_length=64, required=False, default="")
    decision_on = DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=500, required=False, default="")


class PostCorrectSerializer(serializers.Serializer[Any]):
    """Only the values sent are corrected."""

    reason = serializers.CharField(max_length=500)
    kind_code = serializers.CharField(required=False)
    title = serializers.CharField(max_length=255, required=False)
    organization_code = serializers.CharField(required=False, allow_blank=True)
    body = serializers.CharField(max_length=255, required=False, allow_blank=True)
    elected_body = serializers.CharField(max_length=255, required=False, allow_blank=True)
    term = serializers.CharField(max_length=32, required=False, allow_blank=True)
    started_on = DateField(required=False)
    ended_on = DateField(required=False)
    decision_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    decision_on = DateField(required=False, allow_null=True)
    end_decision_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    end_decision_on = DateField(required=False, allow_null=True)
    end_reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


CADRE_FILTERS = [
    OpenApiParameter("search", str, description="name however typed, or a citizen ID"),
    OpenApiParameter("org", str, description="organization code; includes its units"),
    OpenApiParameter("category", int, description="management category id"),
    OpenApiParameter("kind", int, description="post kind id"),
    OpenApiParameter("key", bool, description="holding (or having held) a key post"),
    OpenApiParameter("secret", bool, description="holding (or having held) a secret post"),
    OpenApiParameter("status", str, description="empty: holding a post now; former; all"),
]


def _flag(value: str) -> str:
    return "on" if value.lower() in {"1", "true", "on", "yes"} else ""


class CadreViewSet(AuditedList, viewsets.ReadOnlyModelViewSet[Cadre]):
    """Cadre records in the caller's scope, in Vietnamese name order, by keyset pages."""

    audited_as = "cadres"
    pagination_class = KeysetPagination

    def get_serializer_class(self) -> Any:
        return CadreDetailSerializer if self.action != "list" else CadreSerializer

    def get_queryset(self) -> QuerySet[Cadre]:
        qs: QuerySet[Cadre] = Cadre.objects.visible_to(self.request.user)
        return qs.select_related("person", "organization", "category", "committee")

    @extend_schema(parameters=CADRE_FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = request.query_params
        form = CadreFilterForm(
            {
                "q": params.get("search", ""),
                "org": params.get("org", ""),
                "category": params.get("category", ""),
                "kind": params.get("kind", ""),
                "key": _flag(params.get("key", "")),
                "secret": _flag(params.get("secret", "")),
                "status": params.get("status", ""),
            }
        )
        if not form.is_valid():
            raise ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
        rows = self.paginate_queryset(form.apply(self.get_queryset(), request.user)) or []
        return self.get_paginated_response(CadreSerializer(rows, many=True).data)

    def _detail(self, cadre: Cadre, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().prefetch_related("posts__kind", "posts__organization")
        return Response(CadreDetailSerializer(fresh.get(pk=cadre.pk)).data, status=code)

    @extend_schema(request=CadreOpenSerializer, responses={201: CadreDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = CadreOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = _actor(request)
        keeper = _org(values["organization_code"], user, "organization_code")
        assert keeper is not None
        person: Any
        if values.get("member"):
            member = Member.objects.visible_to(user, A.CADRE_MANAGE).filter(pk=values["member"])
            person = member.select_related("person").first()
            person = person.person if person else None
        elif values.get("citizen_id"):
            person = reach.find(user, A.CADRE_MANAGE, citizen_id=values["citizen_id"])
        elif values.get("person"):
            person = dict(values["person"])
        else:
            raise ValidationError({"detail": "give member, citizen_id or person"})
        if person is None:
            raise ValidationError({"detail": "no member or cadre of your scope is this person"})
        try:
            cadre = actions.records.open_record(user, person, keeper)
        except ValueError as exc:
            raise _refused(exc) from None
        return self._detail(cadre, status.HTTP_201_CREATED)

    def retrieve(self, request: Request, pk: str, format: str | None = None) -> Response:
        return self._detail(reads.open_cadre(_actor(request), int(pk)))

    @extend_schema(request=CategorySetSerializer, responses=CadreDetailSerializer)
    @action(detail=True, methods=["post"])
    def category(self, request: Request, pk: str, format: str | None = None) -> Response:
        cadre = self.get_object()
        data = CategorySetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user = _actor(request)
        category = _coded(ManagementCategory, values.pop("category_code"), "category_code")
        committee = _org(values.pop("committee_code"), user, "committee_code")
        try:
            actions.records.set_category(user, cadre, category, committee=committee, **values)
        except ValueError as exc:
            raise _refused(exc) from None
        return self._detail(cadre)

    @extend_schema(request=PostRecordSerializer, responses={201: PostSerializer})
    @action(detail=True, methods=["post"])
    def posts(self, request: Request, pk: str, format: str | None = None) -> Response:
        cadre = self.get_object()
        data = PostRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user = _actor(request)
        values["kind"] = _coded(PostKind, values.pop("kind_code"), "kind_code")
        values["organization"] = _org(values.pop("organization_code"), user, "organization_code")
        try:
            post = actions.records.record_post(user, cadre, **values)
        except ValueError as exc:
            raise _refused(exc) from None
        return Response(PostSerializer(post).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CadreCorrectSerializer, responses=CadreDetailSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: str, format: str | None = None) -> Response:
        cadre = self.get_object()
        data = CadreCorrectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user = _actor(request)
        if "committee_code" in values:
            values["committee"] = _org(values.pop("committee_code"), user, "committee_code")
        try:
            actions.records.correct_cadre(user, cadre, **values)
        except ValueError as exc:
            raise _refused(exc) from None
        return self._detail(cadre)


class PostViewSet(AuditedList, viewsets.ReadOnlyModelViewSet[Post]):
    """Posts held by the cadres in the caller's scope, newest first."""

    audited_as = "cadre-posts"
    serializer_class = PostSerializer
    pagination_class = Newest

    def get_queryset(self) -> QuerySet[Post]:
        qs: QuerySet[Post] = Post.objects.visible_to(self.request.user)
        cadre = query.record_id(self.request.query_params, "cadre")
        if cadre is not None:
            qs = qs.filter(cadre_id=cadre)
        if self.request.query_params.get("current") in {"1", "true"}:
            qs = qs.filter(ended_on__isnull=True)
        return qs.select_related("kind", "organization", "cadre__organization")

    @extend_schema(
        parameters=[
            OpenApiParameter("cadre", int, description="cadre record id"),
            OpenApiParameter("current", bool, description="1: current posts only"),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        post = self.get_object()
        reads.note_cadre(_actor(request), post.cadre, "post", post=post.pk)
        return Response(PostSerializer(post).data)

    @extend_schema(request=PostEndSerializer, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str, format: str | None = None) -> Response:
        post = self.get_object()
        data = PostEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            post = actions.records.end_post(_actor(request), post, **data.validated_data)
        except ValueError as exc:
            raise _refused(exc) from None
        return Response(PostSerializer(post).data)

    @extend_schema(request=PostCorrectSerializer, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: str, format: str | None = None) -> Response:
        post = self.get_object()
        data = PostCorrectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user = _actor(request)
        if "kind_code" in values:
            values["kind"] = _coded(PostKind, values.pop("kind_code"), "kind_code")
        if "organization_code" in values:
            code = values.pop("organization_code")
            values["organization"] = _org(code, user, "organization_code")
        try:
            post = actions.records.correct_post(user, post, **values)
        except ValueError as exc:
            raise _refused(exc) from None
        return Response(PostSerializer(post).data)


# ---- planning and candidacy lists -------------------------------------------------------


class CadreListSerializer(ReadSerializer[Plan]):
    organization_code = serializers.CharField(source="organization.code")

    class Meta:
        model = Plan
        fields = [
            "id", "kind", "name", "organization", "organization_code", "term", "election_on",
            "post_level", "case_types", "decision_number", "decision_on", "ends_on",
        ]  # fmt: skip


class PlanCreateSerializer(serializers.Serializer[Any]):
    organization_code = serializers.CharField()
    kind = serializers.ChoiceField(choices=ListKind.choices)
    name = serializers.CharField(max_length=255)
    term = serializers.CharField(max_length=32, required=False, default="")
    election_on = DateField(required=False, allow_null=True, default=None)
    post_level = serializers.CharField(max_length=255, required=False, default="")
    case_types = serializers.CharField(
        max_length=255, required=False, allow_null=True, default=None,
        help_text="codes separated by commas; absent: the kind's default",
    )  # fmt: skip
    decision_number = serializers.CharField(max_length=64, required=False, default="")
    decision_on = DateField(required=False, allow_null=True, default=None)
    ends_on = DateField(required=False, allow_null=True, default=None)


class EntryConclusionSerializer(serializers.Serializer[Any]):
    """The conclusion in force for the list's purpose: number and date only when the caller
    may see its case."""

    in_force = serializers.BooleanField()
    serves_until = serializers.DateField(allow_null=True)
    number = serializers.CharField(allow_null=True)
    signed_on = serializers.DateField(allow_null=True)
    case = serializers.IntegerField(allow_null=True)


class EntrySerializer(ReadSerializer[Entry]):
    full_name = serializers.CharField(source="person.full_name")
    conclusion = serializers.SerializerMethodField()

    class Meta:
        model = Entry
        fields = [
            "id", "plan", "person", "full_name", "target_post", "added_number", "added_on",
            "removed_number", "removed_on", "removed_reason", "conclusion",
        ]  # fmt: skip

    @extend_schema_field(EntryConclusionSerializer)
    def get_conclusion(self, obj: Entry) -> dict[str, Any]:
        line = self.context["lines"][obj.pk]
        found, shown = line["conclusion"], line["shown"]
        return {
            "in_force": found is not None,
            "serves_until": line["until"],
            "number": found.number if shown else None,
            "signed_on": found.signed_on if shown else None,
            "case": found.case_id if shown else None,
        }


class EntryAddSerializer(serializers.Serializer[Any]):
    person = IdField(required=False, help_text="a person reachable in your scope")
    citizen_id = serializers.CharField(required=False, help_text="or by citizen ID")
    card_number = serializers.CharField(required=False, help_text="or by Party card number")
    target_post = serializers.CharField(max_length=255, required=False, default="")
    decision_number = serializers.CharField(max_length=64)
    decision_on = DateField()


class EntryRemoveSerializer(serializers.Serializer[Any]):
    decision_number = serializers.CharField(max_length=64)
    decision_on = DateField()
    reason = serializers.CharField(max_length=500)


def _entries_data(user: Any, entries: list[Entry]) -> Any:
    lines = {line["entry"].pk: line for line in entry_lines(user, entries)}
    return EntrySerializer(entries, many=True, context={"lines": lines}).data


class PlanViewSet(AuditedList, viewsets.ReadOnlyModelViewSet[Plan]):
    """Planning and candidacy lists in the caller's scope, newest first."""

    audited_as = "plans"
    serializer_class = CadreListSerializer
    pagination_class = Newest

    def get_queryset(self) -> QuerySet[Plan]:
        qs: QuerySet[Plan] = Plan.objects.visible_to(self.request.user)
        return qs.select_related("organization")

    @extend_schema(request=PlanCreateSerializer, responses={201: CadreListSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = PlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user = _actor(request)
        organization = _org(values.pop("organization_code"), user, "organization_code")
        assert organization is not None
        try:
            plan = actions.plans.create_plan(user, organization, **values)
        except ValueError as exc:
            raise _refused(exc) from None
        return Response(CadreListSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EntryAddSerializer, responses={201: EntrySerializer})
    @action(detail=True, methods=["post"])
    def entries(self, request: Request, pk: str, format: str | None = None) -> Response:
        """Add a person to the list, by the decision."""
        plan = self.get_object()
        data = EntryAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user = _actor(request)
        person_id = values.pop("person", None)
        numbers = {k: values.pop(k, "") for k in ("citizen_id", "card_number")}
        people = reach.reachable(user, A.CADRE_MANAGE)
        person = (
            people.filter(pk=person_id).first()
            if person_id
            else reach.find(user, A.CADRE_MANAGE, **numbers)
        )
        if person is None:
            raise ValidationError({"detail": "no cadre or member of your scope is this person"})
        try:
            entry = actions.plans.add_entry(user, plan, person, **values)
        except ValueError as exc:
            raise _refused(exc) from None
        return Response(_entries_data(user, [entry])[0], status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, pk: str, format: str | None = None) -> Response:
        return Response(CadreListSerializer(reads.open_plan(_actor(request), int(pk))).data)


ENTRY_FILTERS = [
    OpenApiParameter("plan", int, description="list id"),
    OpenApiParameter(
        "show", str, description="empty: current; without (no conclusion in force); removed"
    ),
]


class EntryViewSet(AuditedList, viewsets.ReadOnlyModelViewSet[Entry]):
    """People in the lists the caller may see, each with the conclusion in force for the
    list's purpose."""

    serializer_class = EntrySerializer
    pagination_class = Newest
    audited_as = "plan-entries"

    def get_queryset(self) -> QuerySet[Entry]:
        qs: QuerySet[Entry] = Entry.objects.visible_to(self.request.user)
        params = self.request.query_params
        plan = query.record_id(params, "plan")
        if plan is not None:
            qs = qs.filter(plan_id=plan)
        show = params.get("show", "")
        if show == "removed":
            qs = qs.filter(removed_on__isnull=False)
        elif show == "without":
            today = timezone.localdate()
            lacking = Q(conclusion__isnull=True) | Q(conclusion_until__lt=today)
            qs = qs.filter(lacking, removed_on__isnull=True)
        elif show:
            raise ValidationError({"show": "empty, without or removed"})
        else:
            qs = qs.filter(removed_on__isnull=True)
        return qs.select_related("person", "plan")

    @extend_schema(parameters=ENTRY_FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = self.paginate_queryset(self.get_queryset()) or []
        return self.get_paginated_response(_entries_data(request.user, list(rows)))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entry = self.get_object()
        reads.note_plan(_actor(request), entry.plan, entry=entry.pk)
        return Response(_entries_data(request.user, [entry])[0])

    @extend_schema(request=EntryRemoveSerializer, responses=EntrySerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request: Request, pk: str, format: str | None = None) -> Response:
        entry = self.get_object()
        data = EntryRemoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = _actor(request)
        try:
            entry = actions.plans.remove_entry(user, entry, **data.validated_data)
        except ValueError as exc:
            raise _refused(exc) from None
        return Response(_entries_data(user, [entry])[0])
