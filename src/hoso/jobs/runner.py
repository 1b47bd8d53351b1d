"""Defining a background job, and running it as the user who asked.

    # <app>/jobs.py
    from hoso.jobs.runner import Run, define

    @define(sensitive=True)
    def export_members(run: Run, filters: dict[str, str]) -> None:
        ...                                  # run.owner is the actor of every action called
        run.progress(done, total, "…")       # what the job's page shows, polled
        run.save(content, "name.xlsx", excel.CONTENT_TYPE)

`define` makes the function a django-tasks `Task` (its module path is how the worker finds it
again, so it must stay a module-level name) whose queued arguments are the job's id and the
keyword parameters given to `actions.start`, which must be JSON values. The worker runs the
body inside the owner's acting context (`hoso.lib.context`): the owner's language, the address
they asked from, channel "job"; policy checks and audit events inside are theirs.
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks.base import Task

from hoso.jobs import actions, kinds
from hoso.jobs.models import Job
from hoso.lib import context, replica

_T = TypeVar("_T")
Body = Callable[..., None]
JobTask = Task[..., None]

PROGRESS_EVERY = 1.0  # seconds: a row update at most this often, whatever the loop's pace


def define(*, sensitive: bool) -> Callable[[Body], JobTask]:
    """The job `body(run, **params)`, as a task of the database queue. `sensitive`: its output
    holds records (a member list, a report), so each download is an audited read."""

    def wrap(body: Body) -> JobTask:
        @functools.wraps(body)  # keeps the module path the worker imports the task from
        def run(job_id: int, **params: Any) -> None:
            execute(body, job_id, params, sensitive)

        defined: JobTask = task()(run)
        kinds.DEFINED[defined.module_path] = sensitive
        return defined

    return wrap


class Run:
    """What a job's body works with: its owner, its progress and its output."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.owner = job.owner
        self._written = 0.0

    def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        """Tell the owner how far the job is (`total` None keeps the one given before). Written
        at most once a second, and always when it reaches the total."""
        total = self.job.total if total is None else total
        now = time.monotonic()
        reached = bool(total) and done >= total
        if not (message or reached or now - self._written >= PROGRESS_EVERY):
            return
        self._written = now
        actions.advance(self.job, done, total, message or self.job.message)

    def each(self, items: Iterable[_T], total: int, message: str = "") -> Iterator[_T]:
        """`items`, counting them into the progress as they are consumed."""
        self.progress(0, total, message)
        done = 0
        for item in items:
            yield item
            done += 1
            self.progress(done, total)
        self.progress(done, max(done, total))

    def save(self, content: bytes, filename: str, content_type: str) -> None:
        """The job's output: stored privately, downloadable by its owner only."""
        actions.store_output(self.job, content, filename, content_type)


def failure_message(exc: BaseException, job: Job) -> str:
    """What the owner reads of a failure, in their language: a refusal of hoso's own is shown as
    it was worded; anything else says that it failed and how to report it, never the trace
    (which the task queue keeps for the operators)."""
    if isinstance(exc, PermissionDenied):
        return _("You are not, or no longer, allowed to do this.")
    if isinstance(exc, Http404):
        return _("What this job was about is gone, or no longer within your scope.")
    if isinstance(exc, ValueError) and type(exc).__module__.startswith("hoso."):
        return str(exc)
    if not isinstance(exc, Exception):
        return _("The job was interrupted before it finished. Start it again.")
    return _(
        "The job stopped on an unexpected error. Try again later; if it fails again, tell your "
        "administrator the job number %(id)s."
    ) % {"id": job.pk}


def execute(body: Body, job_id: int, params: dict[str, Any], sensitive: bool) -> None:
    """Run the body of job `job_id` as its owner; a job removed or already taken is skipped.
    A failure is recorded for the owner and raised again, so that the task queue records it
    with its traceback. A sensitive job is an export: the replica may serve its reads."""
    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or not actions.begin(job):
        return
    with (
        context.acting(job.owner, address=job.address, channel="job"),
        translation.override(job.language),
        replica.reads() if sensitive else contextlib.nullcontext(),
    ):
        try:
            body(Run(job), **params)
        except BaseException as exc:
            actions.fail(job, failure_message(exc, job))
            raise
        actions.finish(job)
