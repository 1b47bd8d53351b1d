import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from hoso.audit import events
from hoso.audit.chain import record
from hoso.orgs.models import Organization
from hoso.people import synth
from hoso.people.actions import aggregates  # AGGREGATES: rebuilt after the load


class Command(BaseCommand):
    help = (
        "Load a deterministic synthetic organization tree and members (for demos and benchmarks)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--full",
            action="store_true",
            help="also residences, declared relatives and identity overlaps (people/synth.py)",
        )

    def handle(self, *args: Any, members: int, seed: int, full: bool, **options: Any) -> None:
        if members < 1:
            raise CommandError("--members must be at least 1")
        started = time.perf_counter()
        try:
            plan = synth.load(members, seed, full=full)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        aggregates.rebuild()  # AGGREGATES: bulk rows bypass the models' member counts
        root = Organization.objects.get(code=plan.root_code)
        with transaction.atomic():
            details = {"members": members, "seed": seed, **({"full": True} if full else {})}
            record(events.SYNTH_LOADED.code, obj=root, details=details)
        elapsed = time.perf_counter() - started
        orgs = Organization.objects.filter(path__startswith=root.path).count()
        self.stdout.write(
            f"synth: {members} members, {orgs} organizations, seed {seed}, "
            f"root {plan.root_code}, {elapsed:.1f} s ({members / elapsed:,.0f} members/s)"
        )
        if plan.full is not None:
            f = plan.full
            self.stdout.write(
                f"synth --full: {f.relatives} relatives, {f.couples} couples of members, "
                f"{f.twins} second person records without ID"
            )
