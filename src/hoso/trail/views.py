from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from hoso.access import policy
from hoso.audit import events
from hoso.audit.chain import record
from hoso.audit.models import AuditEvent
from hoso.audit.reads import open_one
from hoso.lib import excel, replica
from hoso.trail.filters import AuditFilterForm, FlagFilterForm
from hoso.trail.models import Flag

PAGE = 100
EXPORT_LIMIT = 1_000_000  # Excel holds 1,048,576 rows


def _scoped(request: HttpRequest) -> tuple[AuditFilterForm, Any]:
    if not policy.scope_paths(request.user, policy.Action.AUDIT_VIEW):
        raise Http404
    form = AuditFilterForm(request.GET or {})
    qs = form.apply(AuditEvent.objects.visible_to(request.user))
    return form, qs.select_related("organization").order_by("-id")


def _newest_page(
    request: HttpRequest, qs: Any, size: int, read: str, form: Any
) -> tuple[list[Any], int | None, str]:
    """A page of `qs` (newest first), keyset-paginated on id: `?before=<id>` never scans the
    rows skipped; the read recorded with the filters. Returns the rows, the id to continue
    before, and the query string without it."""
    before = request.GET.get("before", "")
    if before.isdigit():
        qs = qs.filter(id__lt=int(before))
    rows = list(qs[: size + 1])
    record(
        read,
        actor=request.user,
        organization=request.user.organization,  # type: ignore[union-attr]
        details=form.as_details() if form.is_valid() else {},
    )
    query = request.GET.copy()
    query.pop("before", None)
    following = rows[size - 1].pk if len(rows) > size else None
    return rows[:size], following, query.urlencode()


def audit_list(request: HttpRequest) -> HttpResponse:
    """Newest first, keyset-paginated on id: `?before=<id>` never scans skipped rows."""
    form, qs = _scoped(request)
    rows, next_before, query = _newest_page(request, qs, PAGE, events.AUDIT_VIEWED.code, form)
    return render(
        request,
        "trail/list.html",
        {
            "form": form,
            "events": rows,
            "next_before": next_before,
            "query": query,
            "registry": events.REGISTRY,
        },
    )


# The export's columns. Reasons and details are typed by people (and by whoever the trail
# is about): the one cell writer keeps them text, never a formula (issue 10).
EXPORT_COLUMNS: list[tuple[str, Any]] = [
    ("id", lambda e: e.pk),
    ("time", lambda e: timezone.localtime(e.created_at)),
    ("actor", lambda e: e.actor_name),
    ("event", lambda e: e.event_type),
    ("object_type", lambda e: e.object_type),
    ("object_id", lambda e: e.object_id),
    ("organization", lambda e: e.organization.code if e.organization else ""),
    ("ip", lambda e: e.ip or ""),
    ("reason", lambda e: e.reason),
    ("details", lambda e: json.dumps(e.details, ensure_ascii=False, sort_keys=True)),
    ("hash", lambda e: e.hash),
]


@replica.served
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered trail as an Excel sheet, through the one cell writer of every export."""
    form, qs = _scoped(request)
    record(
        events.AUDIT_EXPORTED.code,
        actor=request.user,
        organization=request.user.organization,  # type: ignore[union-attr]
        details=form.as_details() if form.is_valid() else {},
    )
    rows = qs[:EXPORT_LIMIT].iterator(chunk_size=2000)
    content = excel.write_table("Nhật ký", EXPORT_COLUMNS, rows)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=excel.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.xlsx"'
    return response


# ---- insider flags -----------------------------------------------------------------------

FLAG_PAGE = 50
FLAG_EVENTS_SHOWN = 500  # a flag's page lists this many of its events; the trail has them all


def flag_list(request: HttpRequest) -> HttpResponse:
    """The insider flags in the auditor's scope, newest first (by when raised, never by
    anything about the person), keyset-paginated on id like the trail."""
    if not policy.scope_paths(request.user, policy.Action.AUDIT_VIEW):
        raise Http404
    form = FlagFilterForm(request.GET or {})
    qs = form.apply(Flag.objects.visible_to(request.user)).order_by("-id")
    rows, next_before, query = _newest_page(request, qs, FLAG_PAGE, events.FLAGS_VIEWED.code, form)
    return render(
        request,
        "trail/flags.html",
        {"form": form, "flags": rows, "next_before": next_before, "query": query},
    )


def flag_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One flag: the fact and the events it is made of, each linked to the trail. A flag
    outside the auditor's scope is a 404, as one never raised; the read is recorded."""
    if not policy.scope_paths(request.user, policy.Action.AUDIT_VIEW):
        raise Http404
    flag = open_one(
        Flag.objects.visible_to(request.user).select_related("organization"),
        pk,
        events.FLAG_VIEWED.code,
        request.user,
    )
    # Every event of a flag lies under its organization, so in the auditor's scope; the
    # scoped queryset still decides what is shown.
    shown = (
        AuditEvent.objects.visible_to(request.user)
        .filter(pk__in=flag.events.values("pk"))
        .select_related("organization")
        .order_by("id")
    )
    window = {
        "actor": flag.actor_name,
        "date_from": timezone.localtime(flag.window_start).date().isoformat(),
        "date_to": timezone.localtime(flag.window_end).date().isoformat(),
    }
    return render(
        request,
        "trail/flag.html",
        {
            "flag": flag,
            "events": [
                (e, _label(e.event_type), _details(e.details)) for e in shown[:FLAG_EVENTS_SHOWN]
            ],
            "more": max(0, flag.count - FLAG_EVENTS_SHOWN),
            "trail_url": reverse("audit-list") + "?" + _encoded(window),
        },
    )


def _details(details: dict[str, Any]) -> str:
    # Joined here, not in the template: `details.items` there would look up a key "items"
    # (a reply's event has one) before the dict's method.
    return "; ".join(f"{key}: {value}" for key, value in details.items())


def _label(code: str) -> Any:
    kind = events.REGISTRY.get(code)
    return kind.label if kind is not None else code


def _encoded(params: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(params)
