import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from hoso.audit import events
from hoso.audit.chain import record
from hoso.orgs.models import Organization
from hoso.people import synth, synthworld
from hoso.people.actions import aggregates


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
            help="also residences, declared relatives, identity overlaps (people/synth.py) and"
            " the casework of the years since 2022 (people/synthworld.py)",
        )
        parser.add_argument(
            "--add-casework",
            action="store_true",
            help="only add the casework of --full to the tree of this seed, loaded before"
            " without it",
        )
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            default=None,
            help="the day the casework runs to (YYYY-MM-DD, default today): the same seed and"
            " day give the same database",
        )

    def handle(
        self,
        *args: Any,
        members: int,
        seed: int,
        full: bool,
        add_casework: bool,
        as_of: dt.date | None,
        **options: Any,
    ) -> None:
        if members < 1:
            raise CommandError("--members must be at least 1")
        as_of = as_of or timezone.localdate()
        if as_of > timezone.localdate() or as_of < synthworld.START:
            raise CommandError(f"--as-of must be from {synthworld.START} to today")
        if add_casework:
            self._casework_only(seed, as_of)
            return
        started = time.perf_counter()
        try:
            plan = synth.load(members, seed, full=full)  # committed before the casework
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        # The casework commits on its own (on PostgreSQL written by a thread while the next
        # province is made): if it fails, the members stay, and --add-casework adds it later.
        casework = synthworld.build(plan.root_code, seed, as_of) if full else None
        began = time.perf_counter()
        aggregates.rebuild()  # bulk rows bypass the models' member counts
        plan.seconds["counts"] = time.perf_counter() - began
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
        steps = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in plan.seconds.items())
        self.stdout.write(f"synth steps: {steps}")
        if plan.full is not None:
            f = plan.full
            self.stdout.write(
                f"synth --full: {f.relatives} relatives, {f.couples} couples of members, "
                f"{f.twins} second person records without ID"
            )
        if casework is not None:
            self._report(casework)

    def _casework_only(self, seed: int, as_of: dt.date) -> None:
        root = Organization.objects.filter(code=f"SYN{seed}").first()
        if root is None:
            raise CommandError(f"no synthetic tree for seed {seed}: load it with --full first")
        if synthworld.loaded(seed):
            raise CommandError(f"the casework of seed {seed} is already loaded")
        casework = synthworld.build(root.code, seed, as_of)
        aggregates.rebuild()  # the life-cycle stage changed members in bulk
        with transaction.atomic():
            details = {"seed": seed, "casework": True, "as_of": as_of.isoformat()}
            record(events.SYNTH_LOADED.code, obj=root, details=details)
        self._report(casework)

    def _report(self, casework: synthworld.Casework) -> None:
        self.stdout.write(f"synth casework: {casework.seconds:.1f} s")
        for name, seconds in casework.timings.items():
            self.stdout.write(f"  {name:<40} {seconds:8.1f} s")
        for table, n in sorted(casework.counts.items()):
            self.stdout.write(f"  {table:<40} {n:>12,}")
