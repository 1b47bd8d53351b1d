from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

from hoso.access.actor import acting_user
from hoso.lib.api import ReadSerializer
from hoso.people import reads
from hoso.people.filters import MemberFilterForm
from hoso.people.models import Member
from hoso.people.search import page


class MemberSerializer(ReadSerializer[Member]):
    full_name = serializers.CharField(source="person.full_name")
    family_name = serializers.CharField(source="person.family_name")
    middle_name = serializers.CharField(source="person.middle_name")
    given_name = serializers.CharField(source="person.given_name")
    sex = serializers.CharField(source="person.sex")
    birth_date = serializers.DateField(source="person.birth_date", allow_null=True)
    birth_date_precision = serializers.CharField(source="person.birth_date_precision")
    home_town = serializers.CharField(source="person.home_town")
    citizen_id = serializers.CharField(source="person.citizen_id", allow_null=True)
    organization_code = serializers.CharField(source="organization.code")

    class Meta:
        model = Member
        fields = [
            "id",
            "full_name",
            "family_name",
            "middle_name",
            "given_name",
            "sex",
            "birth_date",
            "birth_date_precision",
            "home_town",
            "citizen_id",
            "organization",
            "organization_code",
            "status",
            "left_form",
            "card_number",
            "admitted_on",
            "ceremony_on",
            "official_on",
        ]


FILTERS = [
    OpenApiParameter("search", str, description="name however typed, or an identifier"),
    OpenApiParameter("org", str, description="organization code; includes its units"),
    OpenApiParameter("status", str, description="empty: current members; 'all'; or a status"),
    # `cursor` comes from the paginator.
]


class KeysetPagination(BasePagination):
    """Keyset pages in Vietnamese name order (`search.page`): `{"next", "results"}`, where
    `next` is the cursor of the following page or null on the last one. No count, no offset."""

    following = ""

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        rows, self.following = page(queryset, request.query_params.get("cursor", ""))
        return rows

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.following or None, "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "description": "`cursor` of the next page; null on the last page",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "description": "the `next` value of the previous page",
                "schema": {"type": "string"},
            }
        ]


class MemberViewSet(viewsets.ReadOnlyModelViewSet[Member]):
    """Party members in the caller's scope, in Vietnamese name order, by keyset pages."""

    serializer_class = MemberSerializer
    pagination_class = KeysetPagination

    def get_queryset(self) -> QuerySet[Member]:
        qs: QuerySet[Member] = Member.objects.visible_to(self.request.user)
        return qs.select_related("person", "organization")

    @extend_schema(parameters=FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = request.query_params
        form = MemberFilterForm(
            {
                "q": params.get("search", ""),
                "org": params.get("org", ""),
                "status": params.get("status", ""),
            }
        )
        rows = self.paginate_queryset(form.apply(self.get_queryset(), request.user)) or []
        return self.get_paginated_response(MemberSerializer(rows, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        member = reads.open_member(acting_user(request), self.kwargs["pk"])
        return Response(MemberSerializer(member).data)
