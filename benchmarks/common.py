"""Shared helpers: a scratch PostgreSQL database, timing, and the ratio line format."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
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


@contextlib.contextmanager
def loaded(kind: str, keep: str, members: int, **settings: str) -> Iterator[dict[str, str]]:
    """A scratch database loaded once by `hoso synth --full` (kept with `keep`), Django set up
    on it, and the environment a production server of it runs with (`settings` added). One
    data directory for the migration, the server and the worker: the keys are there."""
    default = Path(tempfile.gettempdir()) / f"hoso-{kind}-{keep or os.getpid()}"
    os.environ.setdefault("HOSO_DATA_DIR", str(default))
    with scratch_database(keep) as env:
        env = {**env, "HOSO_DEBUG": "0", "HOSO_HTTPS": "0", "HOSO_ALLOWED_HOSTS": "127.0.0.1",
               "HOSO_SECRET_KEY": secrets.token_urlsafe(64), **settings}  # fmt: skip
        setup_django(env)
        from hoso.people.models import Member

        if not Member.objects.exists():
            synth = [*HOSO, "synth", "--members", str(members), "--seed", "7", "--full"]
            subprocess.run(synth, env=env, check=True)
        yield env


def data_dir() -> Path:
    return Path(os.environ["HOSO_DATA_DIR"])


def serve(env: dict[str, str], log: Any) -> tuple[subprocess.Popen[bytes], str]:
    """`hoso serve` on a free loopback port, once it answers: (process, base address)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    command = [*HOSO, "serve", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(90):  # the server starting (static files collected first)
        try:
            urllib.request.urlopen(base + "/login/", timeout=5).read()  # noqa: S310 (loopback)
            return server, base
        except OSError:
            time.sleep(1)
    server.terminate()
    raise SystemExit("the server did not answer")


def children(pid: int) -> list[int]:
    """Every descendant process of `pid` (from /proc)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    found = [int(p) for p in text.split()]
    return found + [grand for child in found for grand in children(child)]
