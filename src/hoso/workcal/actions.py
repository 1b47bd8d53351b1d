"""Changes to the working-day calendar: installation-wide administrators only, audited."""

from __future__ import annotations

from django import forms
from django.db import transaction

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.workcal import importer
from hoso.workcal.models import CoveredYear, SpecialDay


def save_day(actor: User, form: forms.ModelForm[SpecialDay], op: str) -> SpecialDay:
    """A holiday or substituted day added or changed, from a validated form."""
    policy.require_national(actor, policy.Action.CONFIG_MANAGE)
    with transaction.atomic():
        day = form.save()
        record(
            events.CALENDAR_CHANGED.code,
            actor=actor,
            obj=day,
            details={
                "op": op,
                "date": day.date.isoformat(),
                "kind": day.kind,
                "name": day.name,
                "confirmed": day.confirmed,
            },
        )
    return day


def remove_day(actor: User, day: SpecialDay) -> None:
    policy.require_national(actor, policy.Action.CONFIG_MANAGE)
    with transaction.atomic():
        record(
            events.CALENDAR_CHANGED.code,
            actor=actor,
            obj=day,
            details={"op": "removed", "date": day.date.isoformat(), "name": day.name},
        )
        day.delete()


def import_year(actor: User, report: importer.Report, filename: str, digest: str) -> None:
    """The year of a checked file written whole: its recorded days replaced by the file's, the
    year marked covered, one audit event naming every day. Nothing when the file has errors."""
    policy.require_national(actor, policy.Action.CONFIG_MANAGE)
    if report.errors or not report.days:
        raise ValueError("a file with errors is not imported")
    with transaction.atomic():
        before = SpecialDay.objects.select_for_update().filter(date__year=report.year)
        replaced = list(before.values("date", "kind", "name"))
        before.delete()
        SpecialDay.objects.bulk_create(
            SpecialDay(date=d.date, kind=d.kind, name=d.name, confirmed=True) for d in report.days
        )
        covered, _created = CoveredYear.objects.update_or_create(
            year=report.year,
            defaults={"source": CoveredYear.Source.IMPORTED, "file": filename[:255]},
        )
        report.replaced = len(replaced)
        record(
            events.CALENDAR_CHANGED.code,
            actor=actor,
            obj=covered,
            details={
                "op": "imported",
                "year": report.year,
                "file": filename,
                "sha256": digest,
                "days": [[d.date.isoformat(), d.kind, d.name] for d in report.days],
                "replaced": [[r["date"].isoformat(), r["kind"], r["name"]] for r in replaced],
            },
        )
