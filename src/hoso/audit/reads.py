"""Opening one sensitive record for display, with its read recorded: what every app's
`reads.py` does for its kinds of record."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from django.db import models
from django.http import Http404, HttpResponse

from hoso.audit import events
from hoso.audit.chain import record
from hoso.lib import excel

_M = TypeVar("_M", bound=models.Model)


def open_one(
    visible: models.QuerySet[_M], pk: int, event_type: str, actor: Any, **details: Any
) -> _M:
    """The record `pk` among those the reader may see (`visible`, already scoped), else Http404
    (the same as a number never used); the read event is written, filed under the record's
    organization, with `details`."""
    found = visible.filter(pk=pk).first()
    if found is None:
        raise Http404
    record(event_type, actor=actor, obj=found, details=details or None)
    return found


def _filters(params: Mapping[str, str], *paging: str) -> dict[str, str]:
    """A list's filters as the request gave them, without its paging parameters."""
    return {k: v for k, v in params.items() if v and k not in paging}


def listed(actor: Any, slug: str, params: Mapping[str, str], rows: int) -> None:
    """One page of a sensitive list shown on the web (its search included): one `list.viewed`
    read event, filed under the reader's organization: the list, its filters and how many
    rows the page holds, never the rows. A search that found nothing is `rows: 0`."""
    filters = _filters(params, "after", "before", "page")
    if params.get("after") or params.get("before") or params.get("page"):
        filters["page"] = "next"
    record(
        events.LIST_VIEWED.code,
        actor=actor,
        organization=getattr(actor, "organization", None),
        details={"list": slug, "rows": rows, **filters},
    )


EXPORT_ROWS = 100_000  # a list page's Excel download holds at most this many rows


def excel_list(
    actor: Any,
    slug: str,
    title: str,
    columns: Sequence[tuple[Any, Callable[[Any], Any]]],
    rows: models.QuerySet[Any],
    params: Mapping[str, str],
) -> HttpResponse:
    """A list page's rows (already scoped and filtered) as an Excel download, its read recorded
    as one `list.exported` event: which list, its filters (the page's parameters) and how many
    rows left, never the rows themselves."""
    chosen = list(rows[:EXPORT_ROWS])
    filters = _filters(params, "format", "after")
    content = excel.write_table(title, columns, chosen)
    record(
        events.LIST_EXPORTED.code,
        actor=actor,
        organization=getattr(actor, "organization", None),
        details={"list": slug, "rows": len(chosen), **filters},
    )
    response = HttpResponse(content, content_type=excel.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{slug}.xlsx"'
    return response


class AuditedList:
    """For a read-only API viewset (first in its bases): every page of its list is an audited
    read, one `api.listed` event per page served: the list (`audited_as`), the query's
    filters and how many rows the page holds, never the rows. An integration paging through
    a scope leaves one event per page."""

    audited_as = ""
    request: Any

    def paginate_queryset(self, queryset: Any) -> Any:
        found = super().paginate_queryset(queryset)  # type: ignore[misc]
        if found is None:  # not paged (an action's short list): audited by the action
            return None
        params = self.request.query_params
        filters = _filters(params, "cursor")
        if params.get("cursor"):
            filters["page"] = "next"  # the cursor itself is opaque, and long
        record(
            events.API_LISTED.code,
            actor=self.request.user,
            organization=getattr(self.request.user, "organization", None),
            details={"list": self.audited_as, "rows": len(found), **filters},
        )
        return found


class AuditedRecord:
    """For an API viewset (first in its bases) whose records have no read function of their
    own app: opening one (`retrieve`) writes one `read_event`, filed under the record's
    organization; `read_details` name the register or trail it belongs to."""

    read_event = ""
    read_details: Mapping[str, Any] = {}
    request: Any

    def get_object(self) -> Any:
        found = super().get_object()  # type: ignore[misc]
        if getattr(self, "action", None) == "retrieve":
            record(self.read_event, actor=self.request.user, obj=found,
                   details=dict(self.read_details))  # fmt: skip
        return found
