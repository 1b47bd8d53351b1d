"""`hoso files verify`: every stored file against the SHA-256 its record holds."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from hoso.audit import events, files
from hoso.audit.chain import record


class Command(BaseCommand):
    help = "Check every stored file (scans, evidence, templates, job files) against its hash."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problems = files.verify()
        counts = {kind: sum(p.problem == kind for p in problems) for kind in ("missing", "altered")}
        with transaction.atomic():
            record(events.FILES_VERIFIED.code, details={"checked": checked, **counts})
        for problem in problems:
            self.stdout.write(problem.line())
        if problems:
            raise CommandError(f"{len(problems)} of {checked} stored files are missing or altered")
        self.stdout.write(f"stored files intact: {checked} checked against their SHA-256")
