"""Every change to a background job: starting one, its progress, its output, its end, and the
worker's tidying (expired outputs removed, interrupted jobs marked failed).

A job is its owner's own bookkeeping, like a notification: these changes are not audit events.
What a job does is audited by the actions its body calls, as its owner; the download of a
sensitive output is a read event (`reads.open_output`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hoso.access.models import User
from hoso.jobs import kinds
from hoso.jobs.models import UNFINISHED, Job, State
from hoso.lib import context, files

MAX_UNFINISHED = 5  # per owner: a few exports at once, not a queue flooded by one account


class JobError(ValueError):
    pass


def start(actor: User, job_task: Any, *, title: str, classification: int = 0, **params: Any) -> Job:
    """Queue `job_task` (a job defined with `runner.define`) for `actor`, with `params` (JSON
    values). The job row and the queued task commit together. The caller has checked that the
    actor may ask for it; the body checks again, as the owner, when it runs."""
    sensitive = kinds.is_sensitive(job_task)
    if not actor.is_active:
        raise JobError(_("This account is not active."))
    if Job.objects.filter(owner=actor, state__in=UNFINISHED).count() >= MAX_UNFINISHED:
        raise JobError(
            _("You already have %(count)s background jobs waiting or running: wait for one to end.")
            % {"count": MAX_UNFINISHED}
        )
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.create(
            owner=actor,
            kind=job_task.module_path,
            title=title[:200],
            sensitive=sensitive,
            classification=classification,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            address=context.current().address,
            updated_at=now,
        )
        queued = job_task.enqueue(job.pk, **params)
        Job.objects.filter(pk=job.pk).update(task_id=str(queued.id))
        job.task_id = str(queued.id)
    return job


def begin(job: Job) -> bool:
    """Take a queued job (compare-and-swap: a job delivered twice runs once)."""
    now = timezone.now()
    with transaction.atomic():
        taken = Job.objects.filter(pk=job.pk, state=State.QUEUED).update(
            state=State.RUNNING, started_at=now, updated_at=now
        )
    if taken:
        job.state, job.started_at, job.updated_at = State.RUNNING, now, now
    return bool(taken)


def advance(job: Job, done: int, total: int, message: str) -> None:
    now = timezone.now()
    fields = {"done": max(0, done), "total": max(0, total), "message": message[:300]}
    with transaction.atomic():
        Job.objects.filter(pk=job.pk, state=State.RUNNING).update(updated_at=now, **fields)
    for name, value in fields.items():
        setattr(job, name, value)


def store_output(job: Job, content: bytes, filename: str, content_type: str) -> None:
    """Keep the job's output under a random name (never the title, never guessable), with its
    type's extension; the name shown to the owner is `filename`."""
    kind = content_type if content_type in files.EXTENSIONS else "application/octet-stream"
    name = files.named(filename, kind) if kind in files.EXTENSIONS else filename[:255]
    with transaction.atomic():
        job.output.save(uuid.uuid4().hex, ContentFile(content), save=False)
        job.output_name, job.output_type, job.output_size = name, kind, len(content)
        job.output_sha256 = hashlib.sha256(content).hexdigest()
        Job.objects.filter(pk=job.pk).update(
            output=job.output.name,
            output_name=job.output_name,
            output_type=job.output_type,
            output_size=job.output_size,
            output_sha256=job.output_sha256,
            updated_at=timezone.now(),
        )


def _ended(job: Job, state: State, **fields: Any) -> None:
    now = timezone.now()
    values = {
        "state": state,
        "finished_at": now,
        "updated_at": now,
        "expires_at": now + dt.timedelta(days=settings.JOBS_KEEP_DAYS),
        **fields,
    }
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(**values)
    for name, value in values.items():
        setattr(job, name, value)


def finish(job: Job) -> None:
    _ended(job, State.DONE, done=max(job.done, job.total), message="")


def fail(job: Job, error: str) -> None:
    """The job failed: the owner reads `error`; a partial output is dropped."""
    if job.output:
        job.output.delete(save=False)
    _ended(job, State.FAILED, error=error[:500], output="", output_size=0)


@dataclass(frozen=True)
class Tidied:
    removed: int  # jobs past their keeping time, with their output files
    interrupted: int  # running jobs that gave no sign of life: the worker stopped under them
    tasks: int  # the task queue's finished rows past the keeping time


def tidy(now: dt.datetime | None = None) -> Tidied:
    """What the worker does on each pass besides running jobs."""
    now = now or timezone.now()
    removed = 0
    for job in Job.objects.filter(expires_at__lte=now).only("pk", "output").iterator(1000):
        if job.output:
            job.output.storage.delete(job.output.name)
        with transaction.atomic():
            removed += Job.objects.filter(pk=job.pk).delete()[0]
    interrupted = 0
    quiet = now - dt.timedelta(minutes=settings.JOBS_STALE_MINUTES)
    for job in Job.objects.filter(state=State.RUNNING, updated_at__lt=quiet):
        with translation.override(job.language):
            error = _("The job was interrupted: the worker stopped while it ran. Start it again.")
        with transaction.atomic():
            interrupted += Job.objects.filter(pk=job.pk, state=State.RUNNING).update(
                state=State.FAILED,
                error=error,
                finished_at=now,
                updated_at=now,
                expires_at=now + dt.timedelta(days=settings.JOBS_KEEP_DAYS),
            )
            if job.task_id:  # the queue's row too, so that its pruning reaches it
                DBTaskResult.objects.filter(pk=job.task_id, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.FAILED, finished_at=now
                )
    kept_from = now - dt.timedelta(days=settings.JOBS_KEEP_DAYS)
    with transaction.atomic():
        tasks = DBTaskResult.objects.finished().filter(finished_at__lt=kept_from).delete()[0]
    return Tidied(removed, interrupted, tasks)
