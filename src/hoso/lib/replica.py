"""Reads served by a PostgreSQL streaming replica (`HOSO_REPLICA_URL`), and the router that
sends them there.

What goes to the replica is decided per request, never per model: a view marked `@served`
(reports, exports), a read-only API list (a GET answered by a viewset's `list`), and the body
of a sensitive background job (an export) read inside `reads()`. Everything else reads the
primary, and so does, even inside those:

- every write, and every read inside a transaction of the primary (the audit chain's append,
  a job's progress): what a change reads must be what it changes;
- the tables that decide who may read (`access`: accounts, grants, clearances; sessions, auth):
  a grant revoked on the primary is revoked at once, not after the replica's lag;
- the jobs and their queue (`jobs`, the tasks' table): a job's page follows the row its worker
  just wrote.

A replica that lags more than `HOSO_REPLICA_MAX_LAG` seconds, has lost its stream from the
primary or cannot be reached is not used: the request reads the primary (checked at most once a
second per process). The audit event of a read served by the replica is written on the primary
before the answer, as any other; when the primary cannot take it, the read is refused (503) and
nothing of it is shown (`Middleware.process_exception`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY_ONLY = frozenset(
    {"access", "sessions", "auth", "contenttypes", "jobs", "django_tasks_database"}
)
CHECK_EVERY = 1.0  # seconds between two checks of the replica's lag, per process

# Whether the reads of the current request (or job) may be served by the replica.
_serving: ContextVar[bool] = ContextVar("hoso_replica_serving", default=False)
_checked: list[Any] = [float("-inf"), False]  # [monotonic time of the last check, its answer]

# One statement on the replica: is it a standby, receiving from the primary, and how far behind
# (0 when it has replayed all it received; otherwise the age of the last transaction replayed).
LAG_SQL = """
SELECT pg_is_in_recovery(),
       EXISTS (SELECT 1 FROM pg_stat_wal_receiver),
       CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()),
                          'Infinity') END
"""

_V = TypeVar("_V", bound=Callable[..., Any])


def configured() -> bool:
    return REPLICA in settings.DATABASES


def serving() -> bool:
    """Reads of this request are being sent to the replica."""
    return _serving.get()


def usable() -> bool:
    """The replica is configured, reachable, streaming, and within the allowed lag."""
    if not configured():
        return False
    now = time.monotonic()
    if now - _checked[0] >= CHECK_EVERY:
        _checked[:] = [now, _lag_within_limit()]
    return bool(_checked[1])


def forget() -> None:
    """Check the replica again at the next request (after its state was changed on purpose)."""
    _checked[:] = [float("-inf"), False]


def _lag_within_limit() -> bool:
    try:
        with connections[REPLICA].cursor() as cur:
            cur.execute(LAG_SQL)
            standby, receiving, lag = cur.fetchone()
    except DatabaseError:
        log.warning("replica unreachable: reads go to the primary", exc_info=True)
        connections[REPLICA].close()
        return False
    if not (standby and receiving):
        log.warning("replica is not a streaming standby: reads go to the primary")
        return False
    if float(lag) > settings.REPLICA_MAX_LAG:
        log.warning("replica %.1f s behind: reads go to the primary", float(lag))
        return False
    return True


@contextmanager
def reads() -> Iterator[bool]:
    """Send the reads inside to the replica if it is usable; yields whether it is."""
    token = _serving.set(usable())
    try:
        yield _serving.get()
    finally:
        _serving.reset(token)


def served(view: _V) -> _V:
    """Mark a view (function or class) whose reads the replica may serve: a report or an
    export, which reads much and writes nothing but its audit event."""
    view.replica_reads = True  # type: ignore[attr-defined]
    return view


def _marked(request: HttpRequest, view: Any) -> bool:
    """A view marked `@served` (whatever the method: an export may be a POST), or a GET of a
    read-only API list or of a list page's Excel export (`?format=xlsx`)."""
    if getattr(view, "replica_reads", False):
        return True
    if getattr(getattr(view, "view_class", None), "replica_reads", False):
        return True
    if request.method not in ("GET", "HEAD"):
        return False
    actions = getattr(view, "actions", None) or {}  # a DRF viewset's route: {"get": "list"}
    return actions.get("get") == "list" or request.GET.get("format") == "xlsx"


class Router:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if not _serving.get() or model._meta.app_label in PRIMARY_ONLY:
            return None
        if connections["default"].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same rows on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"  # a standby is read-only: it replays the primary's schema


class Middleware:
    """Serves the reads of a marked view from the replica, and refuses such a read (503) when
    the primary cannot record it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_replica_token", None)
            if token is not None:
                _serving.reset(token)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        if _marked(request, view) and usable():
            request._replica_token = _serving.set(True)  # type: ignore[attr-defined]

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not (serving() and isinstance(exception, DatabaseError)):
            return None
        log.error("a read served by the replica failed; refused", exc_info=exception)
        message = _(
            "This cannot be shown now: a database did not answer, and a read that cannot be "
            "recorded in the audit trail is not shown. Try again in a few minutes."
        )
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=503)
        return render(request, "web/unavailable.html", {"message": message}, status=503)
