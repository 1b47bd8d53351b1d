"""`hoso worker`: notify the people on due and overdue cases and requests, every minute."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone, translation

from hoso.vetting.worker import run_once


class Command(BaseCommand):
    help = "Notify assignees of due and overdue cases and verification requests."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=int, default=60, help="seconds between passes")

    def handle(self, *args: Any, once: bool, interval: int, **options: Any) -> None:
        translation.activate("vi")  # notifications are written in the interface language
        while True:
            result = run_once(timezone.localdate())
            self.stdout.write(
                f"{timezone.now():%Y-%m-%d %H:%M:%S} claimed {result.claimed}, "
                f"notifications {result.notifications}"
            )
            if once:
                return
            time.sleep(interval)
            close_old_connections()  # a long-running process must not keep a dead connection
