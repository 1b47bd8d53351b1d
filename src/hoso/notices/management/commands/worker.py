"""`hoso worker`: one process for everything hoso does in the background. Every minute it
notifies the people responsible for due and overdue items, tidies the background jobs
(expired files removed, interrupted jobs marked failed) and runs the passes the apps above
register (`notices.passes`: the insider flags' scan of the audit trail); in between, every
few seconds, it runs the queued background jobs (exports, documents), one at a time. No
broker: both queues are tables of the database.

SIGTERM or SIGINT (systemctl stop, Ctrl+C) stops it cleanly: at once while it waits; after the
current step otherwise (a due pass, or a job, which runs to its end; a second signal ends the
process at once, and the interrupted job is marked failed on a later pass).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone, translation

from hoso.audit import anchors
from hoso.jobs import actions as jobs
from hoso.jobs import queue
from hoso.lib import context
from hoso.notices.due import run_once
from hoso.notices.passes import PASSES

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class _Stopped(Exception):
    """Raised by the signal handler while the loop waits: nothing is under way."""


class Stopper:
    """Turns SIGTERM and SIGINT into a clean stop (see the module docstring)."""

    def __init__(self) -> None:
        self.stopping = False
        self.waiting = False
        self._previous: dict[int, Any] = {}

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True
        for number in SIGNALS:  # the next one ends the process: the way out of a stuck job
            signal.signal(number, signal.SIG_DFL)
        if self.waiting:
            raise _Stopped

    @contextmanager
    def installed(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield  # signals reach the main thread only (a test may run a pass elsewhere)
            return
        self._previous = {number: signal.signal(number, self) for number in SIGNALS}
        try:
            yield
        finally:
            for number, handler in self._previous.items():
                signal.signal(number, handler)

    def wait(self, seconds: float) -> None:
        self.waiting = True
        try:
            if not self.stopping:
                time.sleep(seconds)
        finally:
            self.waiting = False


class Command(BaseCommand):
    help = (
        "Run hoso's background work: notify the people responsible for due and overdue items "
        "of every app (cases, requests, petitions, trip reports, admission steps, transfers), "
        "and run the queued background jobs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="one pass, the jobs queued now included; then exit"
        )
        parser.add_argument(
            "--interval", type=int, default=60, help="seconds between passes over the due items"
        )
        parser.add_argument(
            "--poll", type=float, default=2.0, help="seconds between looks at the job queue"
        )

    def handle(self, *args: Any, once: bool, interval: int, poll: float, **options: Any) -> None:
        translation.activate("vi")  # notifications are written in the interface language
        stopper = Stopper()
        worker = queue.worker_id()
        with context.acting(channel="worker"), stopper.installed():
            with suppress(_Stopped):
                self.loop(stopper, worker, once, interval, poll, options["verbosity"])
            if stopper.stopping:
                self.stdout.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} stopped")

    def loop(
        self, stopper: Stopper, worker: str, once: bool, interval: int, poll: float, verbosity: int
    ) -> None:
        next_pass = 0.0
        while not stopper.stopping:
            if time.monotonic() >= next_pass:
                self.due_pass(verbosity)
                next_pass = time.monotonic() + interval
            if stopper.stopping:
                return
            ran = queue.run_ready(worker, stop=lambda: stopper.stopping)
            if ran:
                self.stdout.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} jobs run {ran}")
            if once:
                return
            stopper.wait(max(0.0, min(poll, next_pass - time.monotonic())))
            if not stopper.stopping:
                close_old_connections()  # a long-running process must not keep a dead one

    def due_pass(self, verbosity: int) -> None:
        result = run_once(timezone.localdate())
        self.stdout.write(
            f"{timezone.now():%Y-%m-%d %H:%M:%S} claimed {result.claimed}, "
            f"notifications {result.notifications}"
        )
        if verbosity > 1:
            for name, (claimed, notified) in result.by_source.items():
                self.stdout.write(f"  {name}: claimed {claimed}, notifications {notified}")
        tidied = jobs.tidy()
        if tidied.removed or tidied.interrupted or verbosity > 1:
            self.stdout.write(
                f"  jobs: {tidied.removed} expired removed, {tidied.interrupted} interrupted, "
                f"{tidied.tasks} queue rows pruned"
            )
        anchor = anchors.daily(timezone.localdate())  # the chain's head signed, once a day
        if anchor is not None:
            self.stdout.write(f"  audit anchor: event {anchor.event_id} signed ({anchor.day})")
        for name, run in PASSES.items():  # the apps above: the insider flags' scan (trail)
            line = run()
            if line or verbosity > 1:
                self.stdout.write(f"  {name}: {line}")
