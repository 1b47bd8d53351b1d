"""`hoso aggregates rebuild`: recount the exact member aggregates from the members (after a bulk
load, or to repair). `hoso aggregates verify`: recount and compare, print every difference,
exit non-zero if there is one. Both are audited (system.aggregates_*)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hoso.orgs.models import Organization
from hoso.people import actions

SHOWN = 200  # differences printed; the count is always complete


class Command(BaseCommand):
    help = "Rebuild or verify the exact member aggregates (counts by organization subtree)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subcommand", choices=["rebuild", "verify"])

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        started = time.perf_counter()
        if subcommand == "rebuild":
            written = actions.aggregates.rebuild()
            rows = ", ".join(f"{d} {n}" for d, n in written.items())
            self.stdout.write(
                f"member aggregates rebuilt: {sum(written.values())} rows ({rows}), "
                f"{time.perf_counter() - started:.1f} s"
            )
            return
        compared, found = actions.aggregates.verify()
        elapsed = time.perf_counter() - started
        if not found:
            self.stdout.write(f"member aggregates exact: {compared} rows checked, {elapsed:.1f} s")
            return
        ids = {d.organization_id for d in found[:SHOWN]}
        codes = dict(Organization.objects.filter(pk__in=ids).values_list("id", "code"))
        for difference in found[:SHOWN]:
            self.stdout.write(difference.line(codes))
        if len(found) > SHOWN:
            self.stdout.write(f"... and {len(found) - SHOWN} more")
        raise CommandError(
            f"member aggregates DIFFER from a recount: {len(found)} rows "
            f"({compared} stored rows checked); `hoso aggregates rebuild` repairs them"
        )
