"""The task queue's side of `hoso worker`: run the queued tasks that are ready, one at a time.

The queue is django-tasks' database backend (the `DBTaskResult` table): no broker. Claiming is
the package's own (`ready()`, a row lock with SKIP LOCKED on PostgreSQL, an exclusive
transaction on SQLite, then `claim()`), so several workers never run one task twice; running
is its `Worker.run_task` (status, timings, the traceback of a failure, the signals). Unlike its
`db_worker` loop, this one checks connections only where `hoso worker` sleeps, so that one
pass can run inside a test's transaction, and stops between two tasks when asked to.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable

from django.db.utils import OperationalError
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception


def worker_id() -> str:
    """This process, as the queue records who ran a task (at most 64 characters)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def _claim(worker: str, backend: str) -> DBTaskResult[..., object] | None:
    ready = DBTaskResult.objects.ready().filter(backend_name=backend)
    with exclusive_transaction(ready.db):
        try:
            task = ready.get_locked()
        except OperationalError as exc:
            if is_locked_database_exception(exc):  # SQLite busy: the next pass tries again
                return None
            raise
        if task is not None:
            task.claim(worker)
    return task


def run_ready(
    worker: str,
    *,
    stop: Callable[[], bool] = lambda: False,
    limit: int | None = None,
    backend: str = DEFAULT_TASK_BACKEND_ALIAS,
) -> int:
    """Run the ready tasks until none is left, `limit` ran, or `stop()` says so (checked
    between two tasks: a task that started runs to its end). Returns how many ran; a task that
    failed counts, its failure is the queue's row and the job's message."""
    runner = Worker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name=backend,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker,
    )
    ran = 0
    while not stop() and (limit is None or ran < limit):
        task = _claim(worker, backend)
        if task is None:
            break
        runner.run_task(task)
        ran += 1
    return ran
