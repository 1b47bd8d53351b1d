"""Filters of the audit trail, shared by the web page, the export and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hoso.access.forms import DateField
from hoso.audit import events
from hoso.audit.models import AuditEvent


def codes_of(kind: str) -> list[str]:
    """The event types of a kind: "read", every read of sensitive data (`is_read` in the
    registry); "export", those of them that are exports (codes ending in ".exported")."""
    reads = [code for code, event in events.REGISTRY.items() if event.is_read]
    return reads if kind == "read" else [code for code in reads if code.endswith(".exported")]


class _Filters(forms.Form):
    def as_details(self) -> dict[str, str]:
        """The filters given, for the read's audit event."""
        return {k: str(v) for k, v in (self.cleaned_data or {}).items() if v}


class AuditFilterForm(_Filters):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", "—"), ("read", _("Sensitive reads")), ("export", _("Exports"))],
    )
    event_type = forms.ChoiceField(label=_("Event"), required=False)
    actor = forms.CharField(label=_("Actor (username)"), required=False, max_length=150)
    organization = forms.CharField(
        label=_("Organization code (with its units)"), required=False, max_length=32
    )
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=64)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("To"), required=False)  # 9999-12-31 + 1 day would overflow

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["event_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [
            (e.code, f"{e.label} ({e.code})") for e in events.REGISTRY.values()
        ]

    def apply(self, qs: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        if not self.is_valid():
            return qs.none()
        data = self.cleaned_data
        if data["kind"]:
            qs = qs.filter(event_type__in=codes_of(data["kind"]))
        if data["event_type"]:
            qs = qs.filter(event_type=data["event_type"])
        if data["actor"]:
            qs = qs.filter(actor_name=data["actor"])
        if data["organization"]:
            # Filtering only narrows a queryset that is already scoped, so a code outside the
            # caller's scope simply matches nothing.
            qs = qs.filter(organization__path__startswith=_path_of(data["organization"]))
        if data["object_type"]:
            qs = qs.filter(object_type=data["object_type"])
        if data["object_id"]:
            qs = qs.filter(object_id=data["object_id"])
        if data["date_from"]:
            qs = qs.filter(created_at__gte=_start(data["date_from"]))
        if data["date_to"]:
            qs = qs.filter(created_at__lt=_start(data["date_to"] + dt.timedelta(days=1)))
        return qs


def _path_of(code: str) -> str:
    from hoso.orgs.models import Organization

    path = Organization.objects.filter(code=code.strip().upper()).values_list("path", flat=True)
    return path.first() or "~"  # unknown code: "~" is outside the path alphabet


def _start(day: dt.date) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class FlagFilterForm(_Filters):
    """The insider flags page's filters: a rule, and the days the flagged events fall on."""

    rule = forms.ChoiceField(label=_("Rule"), required=False)
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("To"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from hoso.trail.models import Rule

        super().__init__(*args, **kwargs)
        field = self.fields["rule"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *Rule.choices]

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        if not self.is_valid():
            return qs.none()
        data = self.cleaned_data
        if data["rule"]:
            qs = qs.filter(rule=data["rule"])
        if data["date_from"]:
            qs = qs.filter(window_end__gte=_start(data["date_from"]))
        if data["date_to"]:
            qs = qs.filter(window_start__lt=_start(data["date_to"] + dt.timedelta(days=1)))
        return qs
