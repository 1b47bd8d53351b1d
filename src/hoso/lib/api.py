"""What every API endpoint shares: the router (ids through the `<id:...>` converter), the
exception handler (a bad parameter is a 400), and the schema class that documents the error
answers every operation can give, so that the published OpenAPI schema is true.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler

from hoso.lib import bounds, query

_M = TypeVar("_M", bound=Model)


class IdRouter(DefaultRouter):
    """Object routes take `<id:pk>`: an id that cannot be a 64-bit row id matches no route and
    answers 404 (as JSON, see `hoso.web.views.not_found`) before any query is made."""

    include_format_suffixes = False  # JSON is the only format: no `.json` twins in the schema

    def __init__(self) -> None:
        super().__init__(use_regex_path=False)
        self._default_value_pattern = "id"


class ReadSerializer(serializers.ModelSerializer[_M]):
    """A serializer of answers only: every field is read-only, so the schema marks each one
    required (it is in every body). A field that can be null must say `allow_null=True`."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


class IdField(serializers.IntegerField):
    """The id of a record in a request body: a positive 64-bit integer (larger ones overflow
    the database driver, and are no record anyway)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=bounds.MAX_ID, **kwargs)


class DateField(serializers.DateField):
    """A date in a request body, within the plausible range of `hoso.lib.bounds` (the same as
    the forms' `hoso.access.forms.DateField`)."""

    def __init__(
        self,
        *,
        earliest: dt.date = bounds.EARLIEST,
        future: dt.timedelta = bounds.FUTURE,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.earliest, self.future = earliest, future

    def to_internal_value(self, value: Any) -> dt.date:
        day = super().to_internal_value(value)
        low, high = bounds.date_range(timezone.localdate(), self.earliest, self.future)
        if not low <= day <= high:
            raise ValidationError(
                _("Enter a date from %(low)s to %(high)s.")
                % {"low": low.isoformat(), "high": high.isoformat()}
            )
        return day


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, query.BadParameter):
        exc = ValidationError({exc.name: [str(exc)]})
    return drf_exception_handler(exc, context)


# The bodies DRF gives to errors: `{"detail": "..."}`, and for invalid input an object whose
# keys are the fields (or "detail", "non_field_errors") and values the messages.
_ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
_INVALID = {
    "type": "object",
    "description": "Messages by field name (or `detail`, `non_field_errors`).",
    "additionalProperties": {
        "oneOf": [
            {"type": "string"},
            {"type": "array", "items": {"type": "string"}},
            {"type": "object"},
        ]
    },
}


class Schema(AutoSchema):
    """AutoSchema plus the error responses: 401 and 403 everywhere, 404 for a record in the path
    or a cursor-paginated list (DRF's answer to an unusable cursor), 400 for anything that takes
    input (a body or query parameters)."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code, (description, component) in self._errors().items():
            responses.setdefault(
                code,
                {
                    "description": description,
                    "content": {"application/json": {"schema": component.ref}},
                },
            )
        return responses

    def _errors(self) -> dict[str, tuple[str, ResolvedComponent]]:
        error = self._component("Error", _ERROR)
        errors = {
            "401": ("Not signed in.", error),
            "403": ("Signed in, but not allowed to do this.", error),
        }
        paginator = self._get_paginator()  # type: ignore[no-untyped-call]
        cursor_pages = self._is_list_view() and isinstance(paginator, CursorPagination)
        # A view whose query parameters name records (`?org=`) says so: they answer 404 too.
        names_records = getattr(self.view, "names_records_in_query", False)
        if "{" in self.path or cursor_pages or names_records:
            errors["404"] = ("No such record in the caller's scope, or an unusable cursor.", error)
        takes_input = self.method in {"POST", "PUT", "PATCH"} or any(
            p.get("in") == "query" for p in self._get_parameters()
        )
        if takes_input:
            errors["400"] = ("Invalid input.", self._component("ValidationErrors", _INVALID))
        return errors

    def _component(self, name: str, schema: dict[str, Any]) -> ResolvedComponent:
        component = ResolvedComponent(  # type: ignore[no-untyped-call]
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        return component
