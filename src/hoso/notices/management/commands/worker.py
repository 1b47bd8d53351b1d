"""`hoso worker`: notify the people responsible for due and overdue items, every minute."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone, translation

from hoso.lib import context
from hoso.notices.due import run_once


class Command(BaseCommand):
    help = (
        "Notify the people responsible for due and overdue items of every app (cases, "
        "requests, petitions, trip reports, admission steps, transfers)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=int, default=60, help="seconds between passes")

    def handle(self, *args: Any, once: bool, interval: int, **options: Any) -> None:
        translation.activate("vi")  # notifications are written in the interface language
        with context.acting(channel="worker"):
            while True:
                result = run_once(timezone.localdate())
                self.stdout.write(
                    f"{timezone.now():%Y-%m-%d %H:%M:%S} claimed {result.claimed}, "
                    f"notifications {result.notifications}"
                )
                if options["verbosity"] > 1:
                    for name, (claimed, notified) in result.by_source.items():
                        self.stdout.write(f"  {name}: claimed {claimed}, notifications {notified}")
                if once:
                    return
                time.sleep(interval)
                close_old_connections()  # a long-running process must not keep a dead one
