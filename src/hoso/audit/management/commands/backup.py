"""`hoso backup --out FILE [--to age1…]`: the database and the files directory in one archive,
encrypted to the security officer's public key(s) and signed by the audit key (audit/backup.py).
`hoso backup keygen --identity FILE`: a new key pair for the security officer."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hoso.audit import backup
from hoso.audit.dumps import DumpError


class Command(BaseCommand):
    help = "Back up the database and the files, encrypted to the security officer's key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", nargs="?", choices=["make", "keygen"], default="make")
        parser.add_argument("--out", type=Path, help="make: the archive to write")
        parser.add_argument(
            "--to",
            action="append",
            default=[],
            help="make: an age public key (age1…) to encrypt to; default HOSO_BACKUP_RECIPIENTS",
        )
        parser.add_argument("--identity", type=Path, help="keygen: the secret key file to write")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "keygen":
                self._keygen(options["identity"])
            else:
                self._make(options["out"], options["to"] or settings.HOSO_BACKUP_RECIPIENTS)
        except (backup.BackupError, DumpError, OSError) as exc:
            raise CommandError(str(exc)) from exc

    def _keygen(self, identity: Path | None) -> None:
        if identity is None:
            raise CommandError("keygen needs --identity FILE (the secret key to keep safe)")
        public = backup.keygen(identity)
        self.stdout.write(f"secret key written to {identity}; public key (the recipient):")
        self.stdout.write(public)

    def _make(self, out: Path | None, to: list[str]) -> None:
        if out is None:
            raise CommandError("make needs --out FILE")
        summary = backup.make(out, to)
        self.stdout.write(
            f"backup written to {out}: {summary.members} members, {summary.size:,} bytes, "
            f"audit chain to event {summary.manifest['audit_head']['event_id']}, "
            f"manifest SHA-256 {summary.manifest_sha256}"
        )
