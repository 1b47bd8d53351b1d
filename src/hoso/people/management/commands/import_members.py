"""`hoso import-members FILE.xlsx --org CODE --user USERNAME`: all rows or none."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from hoso.access.models import User
from hoso.access.policy import Denied
from hoso.orgs.models import Organization
from hoso.people import actions, importer


class Command(BaseCommand):
    help = "Import members from an Excel file made from the template: every row or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", required=True, help="code of the organization to import into")
        parser.add_argument("--user", required=True, help="the officer doing the import")
        parser.add_argument("--lang", default="vi", choices=["vi", "en"])

    def handle(
        self, *args: Any, file: Path, org: str, user: str, lang: str, **options: Any
    ) -> None:
        translation.activate(lang)
        actor = User.objects.filter(username=user, is_active=True).first()
        target = Organization.objects.filter(code=org.upper()).first()
        if actor is None or target is None:
            raise CommandError(f"unknown user {user!r} or organization {org!r}")
        if not file.exists():
            raise CommandError(f"no such file: {file}")
        started = time.perf_counter()
        try:
            with file.open("rb") as handle:
                report = actions.imports.import_file(handle, target, actor, file.name)
        except Denied:
            raise CommandError(f"{user} may not import members into {target.code}") from None
        except importer.Refused as exc:
            raise CommandError(f"{exc} (nothing was imported)") from None
        elapsed = time.perf_counter() - started
        for error in report.errors:
            self.stderr.write(f"row {error.row} · {error.column}: {error.message}")
        if report.errors:
            more = " (more not shown)" if report.truncated else ""
            raise CommandError(f"{len(report.errors)} errors{more}: nothing was imported")
        self.stdout.write(
            f"imported {report.imported} members into {target.code} in "
            f"{elapsed:.1f} s ({report.imported / elapsed:,.0f} rows/s)"
        )
