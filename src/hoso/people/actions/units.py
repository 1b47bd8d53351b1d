"""The register of administrative units (provinces, communes), loaded from data shipped with
hoso: idempotent, audited when it adds anything."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from hoso.audit import events
from hoso.audit.chain import record
from hoso.people.models import AdminUnit


def load(divisions: list[dict[str, Any]], *, valid_from: dt.date) -> int:
    """Add the provinces and their communes not yet in the register; returns how many."""
    created = 0
    with transaction.atomic():
        for province in divisions:
            parent, new = AdminUnit.objects.get_or_create(
                level=AdminUnit.Level.PROVINCE,
                code=f"{province['code']:02d}",
                valid_from=valid_from,
                defaults={"name": province["name"], "kind": province["division_type"]},
            )
            created += new
            for ward in province["wards"]:
                _, new = AdminUnit.objects.get_or_create(
                    level=AdminUnit.Level.COMMUNE,
                    code=f"{ward['code']:05d}",
                    valid_from=valid_from,
                    defaults={
                        "name": ward["name"],
                        "kind": ward["division_type"],
                        "parent": parent,
                    },
                )
                created += new
        if created:
            record(events.ADMIN_UNITS_LOADED.code, details={"created": created})
    return created
