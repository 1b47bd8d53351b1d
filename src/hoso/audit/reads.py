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
    filters = {k: v for k, v in params.items() if v and k not in ("format", "after")}
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
