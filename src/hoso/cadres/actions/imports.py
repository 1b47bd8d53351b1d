"""Importing a cadre list from Excel: the whole file is checked, then written in one
transaction with its one audit event, or nothing is (the parsing is hoso.cadres.importer's,
on people.importer's machinery)."""

from __future__ import annotations

import hashlib
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.cadres import importer
from hoso.cadres.actions import depends
from hoso.cadres.models import Cadre, Post
from hoso.lib import xlsxread
from hoso.orgs.models import Organization
from hoso.people.importer import Report, _batches, _parse, _rows


def _digest(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    handle.seek(0)
    for block in iter(lambda: handle.read(1 << 20), b""):
        digest.update(block)
    handle.seek(0)
    return digest.hexdigest()


def import_file(
    handle: IO[bytes], organization: Organization, actor: User, filename: str = ""
) -> Report:
    """Validate the whole file; if nothing is wrong, write every row in one transaction. New
    cadre records are kept by `organization`. Raises Refused when the file is not read at all."""
    policy.require(actor, policy.Action.CADRE_MANAGE, organization)
    sha256 = _digest(handle)
    report = Report()
    counts = {"cadres": 0, "categories": 0, "posts": 0}
    touched: set[int] = set()
    with transaction.atomic():
        limits = xlsxread.Limits.from_settings()
        for batch in _batches(_rows(handle, report, limits, importer.COLUMNS)):
            parsed = [
                (n, row)
                for n, raw in batch
                if (row := _parse(n, raw, report, importer.COLUMNS)) is not None
            ]
            meant = importer.check(parsed, importer.lookups(actor, organization, parsed), report)
            if report.truncated:
                break
            if not report.errors:
                for values in meant:
                    _write(actor, organization, values, counts)
                    touched.add(values["person"].pk)
        if not report.rows and not report.errors:
            report.add(2, "", _("The file has no cadre rows."))
        if report.errors:
            transaction.set_rollback(True)  # the batches written before the first error
            report.imported = 0
            return report
        depends.refresh(touched)
        report.imported = report.rows
        record(
            events.CADRES_IMPORTED.code,
            actor=actor,
            organization=organization,
            details={"rows": report.rows, **counts, "file": filename, "sha256": sha256},
        )
    return report


def _write(
    actor: User, organization: Organization, values: dict[str, Any], counts: dict[str, int]
) -> None:
    person = values["person"]
    cadre = Cadre.objects.filter(person=person).first()
    if cadre is None:
        cadre = Cadre.objects.create(person=person, organization=organization, created_by=actor)
        counts["cadres"] += 1
    if values["category"] is not None:
        for name, value in values["category"].items():
            setattr(cadre, name, value)
        cadre.save(update_fields=list(values["category"]))
        counts["categories"] += 1
    if values["post"] is not None:
        Post.objects.create(cadre=cadre, recorded_by=actor, **values["post"])
        counts["posts"] += 1
