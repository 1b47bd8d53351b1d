"""Load the current 34 provinces and 3,321 communes (in force since 01/07/2025) from the
`vietnam-provinces` package, which ships them as data: no network needed. Idempotent."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand

from hoso.people import actions
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
        created = actions.units.load(_divisions(), valid_from=REFORM_DATE)
        total = AdminUnit.objects.filter(valid_from=REFORM_DATE).count()
        self.stdout.write(f"administrative units: {created} added, {total} current")
