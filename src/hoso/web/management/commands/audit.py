"""`hoso audit verify [--anchors FILE]`: recompute the keyed hash chain (and check the signed
heads of an anchor file against it). `hoso audit rotate-key`: make a new key and introduce it
in the chain. `hoso audit anchor [--pdf FILE]`: sign the head now (the worker does it daily),
append it to the anchor file, and print it, or write it as a paper for the security officer.
`hoso audit flags`: scan the events written since the last scan for insider flags (the worker
does it each pass); `hoso audit flags --purge`: delete the flags past their retention."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hoso.audit import anchors
from hoso.audit.chain import rotate_key, verify
from hoso.trail import actions as flags


class Command(BaseCommand):
    help = (
        "Audit trail tools: verify the chain (and anchors), rotate the key, sign the head, "
        "scan for insider flags (or purge old ones)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subcommand", choices=["verify", "rotate-key", "anchor", "flags"])
        parser.add_argument("--anchors", type=Path, help="verify: an anchor file to check too")
        parser.add_argument("--pdf", type=Path, help="anchor: also write it as a paper (PDF)")
        parser.add_argument(
            "--purge",
            action="store_true",
            help="flags: delete the flags older than HOSO_FLAG_RETENTION_DAYS instead of scanning",
        )

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "rotate-key":
            key_id = rotate_key()
            self.stdout.write(f"audit key {key_id} made and introduced in the chain")
            return
        if subcommand == "anchor":
            self._anchor(options["pdf"])
            return
        if subcommand == "flags":
            self._flags(options["purge"])
            return
        self._verify(options["anchors"])

    def _flags(self, purge: bool) -> None:
        if purge:
            self.stdout.write(f"insider flags purged: {flags.purge()}")
            return
        done = flags.scan()
        self.stdout.write(
            f"insider flags: {done.read} events read, {done.raised} raised, "
            f"{done.extended} extended; scanned up to event {done.through}"
        )

    def _anchor(self, pdf: Path | None) -> None:
        anchor = anchors.make()
        self.stdout.write(anchor.line())
        if pdf is not None:
            from hoso.web.anchor_paper import anchor_pdf

            pdf.write_bytes(anchor_pdf(anchor))
            self.stdout.write(f"paper written to {pdf}")

    def _verify(self, anchor_file: Path | None) -> None:
        checked, broken = verify()
        if broken is not None:
            when = broken.created_at.isoformat() if broken.created_at else "?"
            raise CommandError(
                f"audit chain BROKEN at event {broken.event_id} ({when}): {broken.problem}; "
                f"{checked} events read"
            )
        self.stdout.write(f"audit chain intact: {checked} events verified")
        if anchor_file is None:
            return
        try:
            found = anchors.read(anchor_file)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        wrong = anchors.problems(found)
        for line in wrong:
            self.stdout.write(line)
        if wrong:
            raise CommandError(f"{len(wrong)} of {len(found)} anchors do NOT hold")
        self.stdout.write(f"anchors hold: {len(found)} signed heads checked")
