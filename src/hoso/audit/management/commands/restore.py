"""`hoso restore ARCHIVE --identity FILE`: a backup written into the configured database and
files directory, both empty, after its signature and every member's hash are checked."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hoso.audit import backup
from hoso.audit.dumps import DumpError


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and files directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--identity", type=Path, required=True, help="the age secret key")

    def handle(self, *args: Any, archive: Path, identity: Path, **options: Any) -> None:
        try:
            summary = backup.restore(archive, identity)
        except (backup.BackupError, DumpError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored {archive}: made {summary.manifest['made_at']}, {summary.members} members, "
            f"audit chain to event {summary.manifest['audit_head']['event_id']}; "
            "run `hoso audit verify` and `hoso files verify` next"
        )
