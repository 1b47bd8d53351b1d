"""Shared helpers: a scratch PostgreSQL database, timing, and the ratio line format."""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import psycopg

SOCKET = "/var/run/postgresql"
HOSO = [sys.executable, "-m", "hoso.cli"]


@contextlib.contextmanager
def scratch_database(keep: str = "") -> Iterator[dict[str, str]]:
    """Yield the environment of a fresh migrated database (or of `keep`, if it exists)."""
    name = keep or f"hoso_bench_{os.getpid()}"
    with psycopg.connect(f"dbname=postgres host={SOCKET}", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "HOSO_DATABASE_URL": f"postgresql:///{name}?host={SOCKET}",
        "HOSO_DEBUG": "1",
        "HOSO_HTTPS": "0",
        "HOSO_ALLOWED_HOSTS": "testserver,localhost",  # the dossier benchmark's test client
    }
    subprocess.run([*HOSO, "migrate", "-v0"], env=env, check=True)
    try:
        yield env
    finally:
        if not keep:
            from django.conf import settings
            from django.db import connections

            if settings.configured:  # import_bomb.py keeps Django out of its parent process
                connections.close_all()
            with psycopg.connect(f"dbname=postgres host={SOCKET}", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def setup_django(env: dict[str, str]) -> None:
    import django

    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoso.config.settings")
    django.setup()


def timed(fn: Callable[[], Any], runs: int = 50) -> tuple[float, float]:
    """(median, p95) in milliseconds over `runs` calls after one warm-up call."""
    fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def row(label: str, ours: float, base: float, unit: str) -> None:
    print(
        f"{label:<44} {ours:>9.2f} {unit}   baseline {base:>9.2f} {unit}   ratio {ours / base:5.2f}"
    )


def compare(label: str, ours: Callable[[], Any], base: Callable[[], Any], runs: int = 50) -> None:
    o50, o95 = timed(ours, runs)
    b50, b95 = timed(base, runs)
    row(f"{label} p50", o50, b50, "ms")
    row(f"{label} p95", o95, b95, "ms")


def machine() -> str:
    import platform

    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        version = cur.fetchone()[0]
    return (
        f"{platform.node()} · {os.cpu_count()} cores · Python "
        f"{platform.python_version()} · PostgreSQL {version}"
    )
