from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from hoso.audit import events
from hoso.audit.chain import record
from hoso.people.filters import MemberFilterForm
from hoso.people.models import Member
from hoso.people.search import page


class MemberSerializer(serializers.ModelSerializer[Member]):
    full_name = serializers.CharField(source="person.full_name")
    family_name = serializers.CharField(source="person.family_name")
    middle_name = serializers.CharField(source="person.middle_name")
    given_name = serializers.CharField(source="person.given_name")
    sex = serializers.CharField(source="person.sex")
    birth_date = serializers.DateField(source="person.birth_date")
    birth_date_precision = serializers.CharField(source="person.birth_date_precision")
    home_town = serializers.CharField(source="person.home_town")
    citizen_id = serializers.CharField(source="person.citizen_id")
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
    OpenApiParameter("cursor", str, description="the `next` value of the previous page"),
]


class MemberViewSet(viewsets.ReadOnlyModelViewSet[Member]):
    """Party members in the caller's scope, in Vietnamese name order, by keyset pages."""

    serializer_class = MemberSerializer

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
        rows, following = page(
            form.apply(self.get_queryset(), request.user), params.get("cursor", "")
        )
        return Response(
            {"next": following or None, "results": MemberSerializer(rows, many=True).data}
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        member = self.get_object()
        record(
            events.MEMBER_VIEWED.code,
            actor=request.user,
            obj=member,
            organization=member.organization,
            request=request,
        )
        return Response(MemberSerializer(member).data)
