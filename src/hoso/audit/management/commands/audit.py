from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hoso.audit.chain import rotate_key, verify


class Command(BaseCommand):
    help = (
        "Audit trail tools. `hoso audit verify` recomputes the keyed hash chain; "
        "`hoso audit rotate-key` makes a new key and introduces it in the chain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subcommand", choices=["verify", "rotate-key"])

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "rotate-key":
            key_id = rotate_key()
            self.stdout.write(f"audit key {key_id} made and introduced in the chain")
            return
        checked, broken = verify()
        if broken is None:
            self.stdout.write(f"audit chain intact: {checked} events verified")
            return
        when = broken.created_at.isoformat() if broken.created_at else "?"
        raise CommandError(
            f"audit chain BROKEN at event {broken.event_id} ({when}): {broken.problem}; "
            f"{checked} events read"
        )
