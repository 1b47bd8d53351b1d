from __future__ import annotations

from typing import Any

from django.db.models import QuerySet, prefetch_related_objects
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from hoso.access import policy
from hoso.access.models import User
from hoso.lib.api import DateField, IdField, ReadSerializer
from hoso.orgs import actions, search
from hoso.orgs.models import ABBREVIATION, Level, Organization, Term


class PathPagination(CursorPagination):
    ordering = "path"
    page_size = 100


class TermSerializer(ReadSerializer[Term]):
    class Meta:
        model = Term
        fields = ["id", "name", "starts_on", "ends_on"]


class OrganizationSerializer(ReadSerializer[Organization]):
    parent_id = serializers.SerializerMethodField()
    terms = TermSerializer(many=True, read_only=True)
    trail = serializers.SerializerMethodField(
        help_text="Names of the ancestors the caller may see, top first (the root left out)."
    )

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "short_name",
            "code",
            "abbreviation",
            "level",
            "depth",
            "parent_id",
            "valid_from",
            "valid_to",
            "closed_reason",
            "terms",
            "trail",
        ]

    def get_parent_id(self, obj: Organization) -> int | None:
        parents = self.context.get("parents")
        if parents is None:
            parents = parent_ids([obj], self.context["request"].user)
        return parents.get(obj.path[: -Organization.steplen])

    def get_trail(self, obj: Organization) -> list[str]:
        trails = self.context.get("trails")
        if trails is None:
            trails = trails_of([obj], self.context["request"].user)
        return list(trails.get(obj.pk, ()))


def trails_of(nodes: list[Organization], user: Any) -> dict[int, tuple[str, ...]]:
    return {hit.org.pk: hit.trail for hit in search.with_trails(user, nodes)}


def parent_ids(nodes: list[Organization], user: Any) -> dict[str, int]:
    """Ids of the nodes' parents in one query; a parent outside the caller's scope is left out
    (the parent's path is the node's path minus one step)."""
    paths = {n.path[: -Organization.steplen] for n in nodes if n.depth > 1}
    visible = Organization.objects.visible_to(user).filter(path__in=paths)
    return dict(visible.values_list("path", "id"))


class OrgCreateSerializer(serializers.Serializer[Any]):
    parent_id = IdField()
    name = serializers.CharField(max_length=255)
    short_name = serializers.CharField(max_length=100, required=False, default="")
    code = serializers.CharField(max_length=32)
    abbreviation = serializers.CharField(
        max_length=20, required=False, default="", validators=[ABBREVIATION]
    )
    level = serializers.ChoiceField(choices=Level.choices)


class OrgMoveSerializer(serializers.Serializer[Any]):
    new_parent = IdField()
    reason = serializers.CharField(max_length=500)


class OrgRenameSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=255)
    short_name = serializers.CharField(max_length=100, required=False, default="")
    abbreviation = serializers.CharField(max_length=20, required=False, validators=[ABBREVIATION])
    reason = serializers.CharField(max_length=500)


class AddTermSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=64)
    starts_on = DateField()
    ends_on = DateField(required=False, allow_null=True, default=None)


class OrgCloseSerializer(serializers.Serializer[Any]):
    closed_on = DateField()
    reason = serializers.CharField(max_length=500)


class OrganizationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Organization]
):
    """Party organizations in the caller's scope. Changes go through the tree actions."""

    serializer_class = OrganizationSerializer
    pagination_class = PathPagination

    def get_queryset(self) -> QuerySet[Organization]:
        qs: QuerySet[Organization] = Organization.objects.visible_to(self.request.user)
        qs = qs.prefetch_related("terms")
        code = self.request.query_params.get("code")
        return qs.filter(code=code) if code else qs

    @extend_schema(
        parameters=[
            OpenApiParameter("code", str, description="organization code"),
            OpenApiParameter(
                "q",
                str,
                description=(
                    "Search by name (folded: tone marks or none; words in any order, the "
                    "last one a prefix) or code, as the organization picker does: the first "
                    f"{search.LIMIT} matches, shallower first then by name, on one page."
                ),
            ),
            OpenApiParameter(
                "action",
                str,
                enum=[a.value for a in policy.Action],
                description="With q: the policy action the caller wants to do there "
                "(default org.view).",
            ),
            OpenApiParameter(
                "closed", int, enum=[0, 1], description="With q: 1 includes closed ones."
            ),
            OpenApiParameter(
                "above",
                int,
                enum=[0, 1],
                description="With q: 1 includes the committees above the caller's scope.",
            ),
            OpenApiParameter(
                "not_under", int, description="With q: leave out this organization's subtree."
            ),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if "q" in request.query_params:
            return self._search(request)
        page = self.paginate_queryset(self.get_queryset()) or []
        context = {
            **self.get_serializer_context(),
            "parents": parent_ids(page, request.user),
            "trails": trails_of(page, request.user),
        }
        data = OrganizationSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    def _search(self, request: Request) -> Response:
        """The picker's search (orgs/search.py), in the list's envelope, on one page."""
        wanted = search.params(request.query_params)
        hits = search.find(
            request.user,
            wanted.action,
            wanted.text,
            closed=wanted.closed,
            above=wanted.above,
            not_under=wanted.not_under,
        )
        nodes = [hit.org for hit in hits]
        prefetch_related_objects(nodes, "terms")
        context = {
            **self.get_serializer_context(),
            "parents": parent_ids(nodes, request.user),
            "trails": {hit.org.pk: hit.trail for hit in hits},
        }
        data = OrganizationSerializer(nodes, many=True, context=context).data
        return Response({"next": None, "previous": None, "results": data})

    @property
    def actor(self) -> User:
        user = self.request.user
        assert isinstance(user, User)  # IsAuthenticated ran before any action
        return user

    def _scoped(self, pk: int) -> Organization:
        try:
            node: Organization = Organization.objects.visible_to(self.request.user).get(pk=pk)
            return node
        except Organization.DoesNotExist:
            raise ValidationError({"detail": "unknown organization"}) from None

    def _run(self, fn: Any, *args: Any, **kwargs: Any) -> Response:
        try:
            node = fn(self.actor, *args, **kwargs)
        except actions.TreeError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        return Response(OrganizationSerializer(node, context={"request": self.request}).data)

    @extend_schema(request=OrgCreateSerializer, responses={201: OrganizationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = OrgCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        parent = self._scoped(fields.pop("parent_id"))
        if Organization.objects.filter(code=fields["code"]).exists():
            raise ValidationError({"code": "already used"})
        response = self._run(actions.create_organization, parent, **fields)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=OrgMoveSerializer, responses=OrganizationSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str, format: str | None = None) -> Response:
        node = self.get_object()  # first, so a record outside the scope is a plain 404
        data = OrgMoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = self._scoped(data.validated_data["new_parent"])
        return self._run(
            actions.move_organization, node, target, reason=data.validated_data["reason"]
        )

    @extend_schema(request=OrgRenameSerializer, responses=OrganizationSerializer)
    @action(detail=True, methods=["post"])
    def rename(self, request: Request, pk: str, format: str | None = None) -> Response:
        node = self.get_object()
        data = OrgRenameSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._run(actions.rename_organization, node, **data.validated_data)

    @extend_schema(request=AddTermSerializer, responses={201: OrganizationSerializer})
    @action(detail=True, methods=["post"])
    def terms(self, request: Request, pk: str, format: str | None = None) -> Response:
        node = self.get_object()
        data = AddTermSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            actions.add_term(self.actor, node, **data.validated_data)
        except actions.TreeError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        node.refresh_from_db()
        body = OrganizationSerializer(node, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=OrgCloseSerializer, responses=OrganizationSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str, format: str | None = None) -> Response:
        node = self.get_object()
        data = OrgCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._run(actions.close_organization, node, **data.validated_data)
