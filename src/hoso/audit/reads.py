"""Opening one sensitive record for display, with its read recorded: what every app's
`reads.py` does for its kinds of record."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.http import Http404

from hoso.audit.chain import record

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
