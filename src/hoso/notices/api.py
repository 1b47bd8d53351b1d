"""`/api/v1/notifications/`: the caller's own notifications, and marking them read. Nobody
reads or marks anyone else's: the queryset is the caller's and nothing else."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from hoso.access.actor import acting_user
from hoso.lib import query
from hoso.lib.api import ReadSerializer
from hoso.notices import actions
from hoso.notices.models import Notification

# `?unread=`: what a query string or a generated client writes for yes and no.
FLAGS = {"1": True, "true": True, "0": False, "false": False}


class NewestFirst(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 100


class NotificationSerializer(ReadSerializer[Notification]):
    class Meta:
        model = Notification
        fields = ["id", "text", "url", "created_at", "read_at"]


class MarkedReadSerializer(serializers.Serializer[Any]):
    marked = serializers.IntegerField(read_only=True, help_text="how many were unread")


def unread_only(params: Any) -> bool:
    text = (params.get("unread") or "").strip().lower()
    if text and text not in FLAGS:
        raise query.BadParameter("unread", _("“unread” must be 1 (unread only) or 0."))
    return FLAGS.get(text, False)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Notification]):
    """The signed-in user's notifications, newest first."""

    serializer_class = NotificationSerializer
    pagination_class = NewestFirst

    def get_queryset(self) -> QuerySet[Notification]:
        qs = Notification.objects.filter(user=acting_user(self.request))
        if unread_only(self.request.query_params):
            qs = qs.filter(read_at__isnull=True)
        return qs

    @extend_schema(
        parameters=[OpenApiParameter("unread", bool, description="1 or true: the unread ones only")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=MarkedReadSerializer)
    @action(detail=False, methods=["post"])
    def read(self, request: Request) -> Response:
        """Mark every unread notification of the caller read; answers how many."""
        marked = actions.mark_read(acting_user(request))
        return Response(MarkedReadSerializer({"marked": marked}).data)
