"""The replica tests run against a real PostgreSQL streaming standby (`.ci/replica` makes one):
`make test-replica` with HOSO_DATABASE_URL and HOSO_REPLICA_URL set. Django's test run makes
the primary's test database, which the standby replays; the `replica` connection is pointed at
the standby's copy of it here (the settings mark it as a test mirror, so Django creates nothing
on a server that cannot write)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connections

from hoso.lib import replica
from tests.conftest import require_env

pytestmark = pytest.mark.replica


@pytest.fixture(scope="session")
def standby(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    if not replica.configured():
        if require_env("HOSO_REQUIRE_REPLICA"):
            pytest.fail("HOSO_REPLICA_URL is not set: the replica tests need a standby")
        pytest.skip("HOSO_REPLICA_URL is not set (see .ci/replica)")
    conn = connections[replica.REPLICA]
    configured = connections.settings[replica.REPLICA]
    conn.close()
    conn.settings_dict = {  # the primary's test database, on the standby's server
        **connections["default"].settings_dict,
        **{key: configured[key] for key in ("HOST", "PORT", "USER", "PASSWORD")},
    }
    with django_db_blocker.unblock(), conn.cursor() as cur:
        cur.execute("SELECT pg_is_in_recovery()")
        assert cur.fetchone()[0], "HOSO_REPLICA_URL is not a standby"
    yield


@pytest.fixture
def fresh(standby: None, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test sees the replica's state of now, and a session saved once (a session write
    of its own would hide the one under test)."""
    from hoso.access import middleware

    monkeypatch.setattr(middleware, "current_minute", lambda: 1)
    settings.REPLICA_MAX_LAG = 3600
    replica.forget()
    yield
    replica.forget()


def _one(alias: str, sql: str, params: list[Any] | None = None) -> Any:
    with connections[alias].cursor() as cur:
        cur.execute(sql, params or [])
        return cur.fetchone()[0]


def _run(alias: str, sql: str) -> None:
    with connections[alias].cursor() as cur:
        cur.execute(sql)


def _wait(position: str, timeout: float = 20.0) -> None:
    lsn = _one("default", "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    while not _one(replica.REPLICA, f"SELECT {position}() >= %s::pg_lsn", [lsn]):
        assert time.monotonic() < deadline, f"the standby's {position} did not reach {lsn}"
        time.sleep(0.02)


def caught_up() -> None:
    """Wait until the standby has replayed everything the primary has written."""
    _wait("pg_last_wal_replay_lsn")


def received() -> None:
    """Wait until the standby has received everything the primary has written."""
    _wait("pg_last_wal_receive_lsn")


@contextmanager
def replay_paused() -> Iterator[None]:
    """The standby keeps receiving but stops applying: what the primary writes now is not on
    the replica until the block ends."""
    caught_up()
    _run(replica.REPLICA, "SELECT pg_wal_replay_pause()")
    while _one(replica.REPLICA, "SELECT pg_get_wal_replay_pause_state()") != "paused":
        time.sleep(0.01)
    try:
        yield
    finally:
        _run(replica.REPLICA, "SELECT pg_wal_replay_resume()")
        replica.forget()
