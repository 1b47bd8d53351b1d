"""The database in one consistent file, and back: PostgreSQL through pg_dump/pg_restore, SQLite
through its online backup API. Used by audit/backup.py.

A dump is taken together with the audit chain's head as the dump holds it, so that a restore
can show that the database it wrote is the chain the archive's signed manifest names.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from hoso.audit.models import ChainHead

NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class DumpError(Exception):
    """pg_dump or pg_restore failed, or the target database is not empty."""


@dataclass(frozen=True)
class Head:
    event_id: int
    hash: str


def _head(row: Any) -> Head:
    return Head(int(row[0]), str(row[1])) if row else Head(0, "")


def vendor() -> str:
    if connection.vendor not in NAMES:
        raise DumpError(f"no backup for the {connection.vendor} database")
    return connection.vendor


def dump(target: Path) -> Head:
    """Write the whole database to `target`; the chain head returned is the dump's own."""
    if connection.in_atomic_block:
        raise DumpError("a backup is taken outside any transaction: it would miss the open one")
    if vendor() == "postgresql":
        return _pg_dump(target)
    return _sqlite_dump(target)


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """Connection arguments of the configured database, the password in the environment."""
    conf = connection.settings_dict
    args = ["--dbname", str(conf["NAME"])]
    if conf.get("HOST"):
        args += ["--host", str(conf["HOST"])]
    if conf.get("PORT"):
        args += ["--port", str(conf["PORT"])]
    if conf.get("USER"):
        args += ["--username", str(conf["USER"])]
    env = {**os.environ, "PGPASSWORD": str(conf.get("PASSWORD") or "")}
    sslmode = conf.get("OPTIONS", {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise DumpError(f"{command[0]} is not installed (Debian: postgresql-client)")
    # A fixed program and arguments built from the settings, never a shell.
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise DumpError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def _pg_dump(target: Path) -> Head:
    # pg_dump reads the snapshot this transaction exports: the head read here is the one the
    # dump holds, whatever is appended meanwhile.
    args, env = _pg_env()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        head = _head(ChainHead.objects.values_list("last_event_id", "last_hash").first())
        _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", "--file", str(target),
              *args], env)  # fmt: skip
    return head


def _sqlite_dump(target: Path) -> Head:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)  # one consistent copy, even while others write
        table = ChainHead._meta.db_table  # the model's own name, not input
        row = copy.execute(f"SELECT last_event_id, last_hash FROM {table}").fetchone()  # noqa: S608
    finally:
        copy.close()
    return _head(row)


def require_empty() -> None:
    """A restore writes into an empty database only: never over an installation's data."""
    tables = connection.introspection.table_names()
    if tables:
        raise DumpError(
            f"the target database is not empty ({len(tables)} tables): restore into a new one"
        )


def load(source: Path) -> None:
    """Write the dump into the configured (empty) database."""
    require_empty()
    if vendor() == "postgresql":
        # No owner and no grants: the target's roles are the target's (docs/operations.md).
        args, env = _pg_env()
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
              "--single-transaction", *args, str(source)], env)  # fmt: skip
        return
    name = Path(str(connection.settings_dict["NAME"]))
    connection.close()
    # The empty database's write-ahead log belongs to the file being replaced.
    for stale in ("-wal", "-shm"):
        name.with_name(name.name + stale).unlink(missing_ok=True)
    partial = name.with_name(name.name + ".restoring")
    shutil.copyfile(source, partial)
    os.replace(partial, name)
