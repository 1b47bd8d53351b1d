"""`/api/v1/calendar/?year=`: the special days of a year (holidays, substituted working days),
as the calendar page lists them. Everyone signed in reads it, as the page; the page's
administrators change it there."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hoso.lib import bounds, query
from hoso.lib.api import ReadSerializer
from hoso.workcal.models import SpecialDay


class SpecialDaySerializer(ReadSerializer[SpecialDay]):
    class Meta:
        model = SpecialDay
        fields = ["id", "date", "kind", "name", "confirmed"]


class CalendarYearSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(read_only=True)
    days = SpecialDaySerializer(many=True, read_only=True)


YEAR = OpenApiParameter(
    "year",
    {"type": "integer", "minimum": bounds.YEAR_MIN, "maximum": bounds.YEAR_MAX},
    description="the year; empty: this year",
)


# A view, not a viewset: the answer is one object per year, and a viewset's `list` would be
# documented as an array.
class CalendarView(APIView):
    """One year of the working-day calendar: its special days in date order."""

    @extend_schema(parameters=[YEAR], responses=CalendarYearSerializer)
    def get(self, request: Request) -> Response:
        year = query.year(request.query_params, default=timezone.localdate().year)
        days = SpecialDay.objects.filter(date__year=year).order_by("date")
        return Response(CalendarYearSerializer({"year": year, "days": days}).data)
