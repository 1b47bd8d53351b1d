from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from hoso.access import policy
from hoso.audit import events
from hoso.audit.chain import record
from hoso.audit.filters import AuditFilterForm
from hoso.audit.models import AuditEvent

PAGE = 100
EXPORT_LIMIT = 1_000_000


def _scoped(request: HttpRequest) -> tuple[AuditFilterForm, Any]:
    if not policy.scope_paths(request.user, policy.Action.AUDIT_VIEW):
        raise Http404
    form = AuditFilterForm(request.GET or {})
    qs = form.apply(AuditEvent.objects.visible_to(request.user))
    return form, qs.select_related("organization").order_by("-id")


def audit_list(request: HttpRequest) -> HttpResponse:
    """Newest first, keyset-paginated on id: `?before=<id>` never scans skipped rows."""
    form, qs = _scoped(request)
    before = request.GET.get("before", "")
    if before.isdigit():
        qs = qs.filter(id__lt=int(before))
    rows = list(qs[: PAGE + 1])
    record(
        events.AUDIT_VIEWED.code,
        actor=request.user,
        organization=request.user.organization,  # type: ignore[union-attr]
        details=form.as_details() if form.is_valid() else {},
        request=request,
    )
    query = request.GET.copy()
    query.pop("before", None)
    return render(
        request,
        "audit/list.html",
        {
            "form": form,
            "events": rows[:PAGE],
            "next_before": rows[PAGE - 1].pk if len(rows) > PAGE else None,
            "query": query.urlencode(),
            "registry": events.REGISTRY,
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    """CSV of the filtered trail, streamed so a large export does not sit in memory."""
    form, qs = _scoped(request)
    record(
        events.AUDIT_EXPORTED.code,
        actor=request.user,
        organization=request.user.organization,  # type: ignore[union-attr]
        details=form.as_details() if form.is_valid() else {},
        request=request,
    )
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield "\ufeff"  # so Excel opens the UTF-8 file with Vietnamese letters intact
        yield writer.writerow(
            [
                "id",
                "time",
                "actor",
                "event",
                "object_type",
                "object_id",
                "organization",
                "ip",
                "reason",
                "details",
                "hash",
            ]
        )
        for e in qs[:EXPORT_LIMIT].iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    e.pk,
                    timezone.localtime(e.created_at).isoformat(),
                    e.actor_name,
                    e.event_type,
                    e.object_type,
                    e.object_id,
                    e.organization.code if e.organization else "",
                    e.ip or "",
                    e.reason,
                    e.details,
                    e.hash,
                ]
            )

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
