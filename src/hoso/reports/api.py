"""`/api/v1/reports/?org=&period=&indicator=&parts=`: report figures as JSON, computed and
audited exactly as the report pages compute them (same scope: an organization or indicator
outside the caller's scope answers 404)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hoso.access.models import User
from hoso.reports import compute, reads
from hoso.reports.views.figures import indicator_for, period_of, scope_of


class FigureCategorySerializer(serializers.Serializer[Any]):
    value = serializers.CharField(allow_blank=True, help_text="blank: not recorded")
    title = serializers.CharField()
    n = serializers.IntegerField()


class FigurePartSerializer(serializers.Serializer[Any]):
    org = serializers.IntegerField(
        allow_null=True, help_text="an organization directly below; null: the one asked itself"
    )
    name = serializers.CharField()
    n = serializers.IntegerField()
    by = serializers.DictField(child=serializers.IntegerField(), help_text="value -> count")


class ReportFigureSerializer(serializers.Serializer[Any]):
    indicator = serializers.CharField()
    version = serializers.IntegerField()
    section = serializers.CharField()
    title = serializers.CharField()
    definition = serializers.CharField()
    additive = serializers.BooleanField()
    dated = serializers.BooleanField()
    total = serializers.IntegerField()
    categories = FigureCategorySerializer(many=True)
    parts = FigurePartSerializer(many=True, required=False)


class ReportPeriodSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class ReportSerializer(serializers.Serializer[Any]):
    org = serializers.IntegerField()
    org_name = serializers.CharField()
    period = ReportPeriodSerializer()
    figures = ReportFigureSerializer(many=True)


def _figure(figure: compute.Figure) -> dict[str, Any]:
    ind = figure.indicator
    found: dict[str, Any] = {
        "indicator": ind.code,
        "version": ind.version,
        "section": ind.section.code,
        "title": str(ind.label),
        "definition": str(ind.definition),
        "additive": ind.additive,
        "dated": ind.dated,
        "total": figure.total,
        "categories": [
            {"value": "" if c.value is None else str(c.value), "title": str(c.label), "n": c.n}
            for c in figure.categories
        ],
    }
    if figure.parts is not None:
        found["parts"] = [
            {
                "org": p.org.pk if p.org else None,
                "name": p.org.name if p.org else figure.org.name,
                "n": p.n,
                "by": {"" if k is None else str(k): v for k, v in p.by.items()},
            }
            for p in figure.parts
        ]
    return found


PARAMETERS = [
    OpenApiParameter("org", int, description="organization id; empty: your first scope"),
    OpenApiParameter(
        "period", str, description="2026, 2026-9m, 2026-h1, 2026-q3, 2026-m07 or a..b dates"
    ),
    OpenApiParameter("indicator", str, description="one indicator code; empty: all you may see"),
    OpenApiParameter("parts", bool, description="with the breakdown by organizations below"),
]


# A view, not a viewset: the answer is one report object, not a list of records.
class ReportView(APIView):
    """The figures of an organization's subtree for a period, as the report page shows them."""

    names_records_in_query = True  # ?org= and ?indicator= outside the scope answer 404

    @extend_schema(parameters=PARAMETERS, responses=ReportSerializer)
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)  # IsAuthenticated ran first
        params = request.query_params
        org, period = scope_of(user, params), period_of(params)
        code = params.get("indicator", "")
        chosen = [indicator_for(user, code, org)] if code else compute.visible(user, org)
        parts = params.get("parts", "") in ("1", "true")
        found = reads.figures(user, org, period, chosen, parts=parts, via="api")
        answer = {
            "org": org.pk,
            "org_name": org.name,
            "period": {
                "key": period.key,
                "title": period.label,
                "start": period.start,
                "end": period.end,
            },
            "figures": [_figure(f) for f in found],
        }
        return Response(ReportSerializer(answer).data)
