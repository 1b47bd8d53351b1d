"""Load the current 34 provinces and 3,321 communes (in force since 01/07/2025) from the
`vietnam-provinces` package, which ships them as data: no network needed. Idempotent."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from hoso.audit import events
from hoso.audit.chain import record
from hoso.people.models import AdminUnit

REFORM_DATE = dt.date(2025, 7, 1)


def _divisions() -> list[dict[str, Any]]:
    import vietnam_provinces

    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as handle:
        data: list[dict[str, Any]] = json.load(handle)
    return data


class Command(BaseCommand):
    help = "Load the current provinces and communes (since 01/07/2025) into the unit register."

    def handle(self, *args: Any, **options: Any) -> None:
        created = 0
        with transaction.atomic():
            for province in _divisions():
                parent, new = AdminUnit.objects.get_or_create(
                    level=AdminUnit.Level.PROVINCE,
                    code=f"{province['code']:02d}",
                    valid_from=REFORM_DATE,
                    defaults={"name": province["name"], "kind": province["division_type"]},
                )
                created += new
                for ward in province["wards"]:
                    _, new = AdminUnit.objects.get_or_create(
                        level=AdminUnit.Level.COMMUNE,
                        code=f"{ward['code']:05d}",
                        valid_from=REFORM_DATE,
                        defaults={
                            "name": ward["name"],
                            "kind": ward["division_type"],
                            "parent": parent,
                        },
                    )
                    created += new
            if created:
                record(events.ADMIN_UNITS_LOADED.code, details={"created": created})
        total = AdminUnit.objects.filter(valid_from=REFORM_DATE).count()
        self.stdout.write(f"administrative units: {created} added, {total} current")
