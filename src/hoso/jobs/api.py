"""`/api/v1/jobs/`: the caller's own background jobs (list, one, its file). Nobody sees anyone
else's: the queryset is the caller's (`Job.objects.visible_to`), so another's job is a 404."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, renderers, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from hoso.access.actor import acting_user
from hoso.jobs import reads
from hoso.jobs.models import Job
from hoso.lib.api import ReadSerializer
from hoso.lib.respond import private_file


class NewestFirst(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 100


class FileRenderer(renderers.BaseRenderer):
    """Lets a client that asks for the file's own type (`Accept: application/pdf`) reach the
    download; it renders nothing itself: the file is a FileResponse, an error is JSON (see
    `JobViewSet.finalize_response`)."""

    media_type = "*/*"
    format = "file"  # `?format=file` asks for it too (the schema lists it)

    def render(self, data: Any, media_type: Any = None, renderer_context: Any = None) -> Any:
        return json.dumps(data).encode()


class JobSerializer(ReadSerializer[Job]):
    file_name = serializers.CharField(source="output_name", help_text="empty until done")
    file_size = serializers.IntegerField(source="output_size")
    download = serializers.SerializerMethodField(help_text="the file's URL, once done")

    class Meta:
        model = Job
        fields = [
            "id", "kind", "title", "state", "done", "total", "message", "error",
            "created_at", "started_at", "finished_at", "expires_at",
            "file_name", "file_size", "download",
        ]  # fmt: skip
        extra_kwargs = {
            "started_at": {"allow_null": True},
            "finished_at": {"allow_null": True},
            "expires_at": {"allow_null": True},
        }

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_download(self, job: Job) -> str | None:
        return reverse("api-job-download", kwargs={"pk": job.pk}) if job.has_output else None


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Job]):
    """The signed-in user's background jobs, newest first, with their progress."""

    serializer_class = JobSerializer
    pagination_class = NewestFirst

    def get_queryset(self) -> QuerySet[Job]:
        return Job.objects.visible_to(acting_user(self.request))

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        """An error of the download (404, 401) is JSON, whatever file type was asked for."""
        if isinstance(response, Response) and isinstance(
            getattr(request, "accepted_renderer", None), FileRenderer
        ):
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        responses={
            (200, "*/*"): OpenApiResponse(
                OpenApiTypes.BINARY, description="the job's file, as an attachment of its type"
            )
        }
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[renderers.JSONRenderer, FileRenderer],
        pagination_class=None,
    )
    def download(self, request: Request, pk: str) -> FileResponse:
        """The finished job's file (a sensitive one's download is audited)."""
        job = reads.open_output(acting_user(request), int(pk), via="api")
        return private_file(job.output, job.output_type, job.output_name)
