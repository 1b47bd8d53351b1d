from __future__ import annotations

import os
import subprocess
import sys

import pytest

from hoso.config.env import ConfigError, env_bool, env_int, env_list, parse_database_url


def test_parsers_fail_loudly_with_the_name() -> None:
    with pytest.raises(ConfigError, match="HOSO_DEBUG"):
        env_bool("HOSO_DEBUG", False, {"HOSO_DEBUG": "maybe"})
    with pytest.raises(ConfigError, match="HOSO_WORKERS"):
        env_int("HOSO_WORKERS", 2, {"HOSO_WORKERS": "two"})
    with pytest.raises(ConfigError, match="at least 1"):
        env_int("HOSO_X", 2, {"HOSO_X": "0"}, minimum=1)
    assert env_list("H", [], {"H": "a, b,,c"}) == ["a", "b", "c"]
    assert env_bool("H", True, {"H": ""}) is True


def test_database_url() -> None:
    db = parse_database_url("postgresql://hoso:p%40ss@db.local:5433/hoso?sslmode=require")
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "hoso",
        "p@ss",
        "db.local",
        "5433",
        "hoso",
    )
    assert db["OPTIONS"] == {"sslmode": "require", "options": "-c jit=off"}
    socket = parse_database_url("postgresql:///hoso?host=/var/run/postgresql")
    assert socket["HOST"] == "/var/run/postgresql"
    with pytest.raises(ConfigError, match="scheme"):
        parse_database_url("mysql://x/y")
    with pytest.raises(ConfigError, match="database name"):
        parse_database_url("postgresql://host/")
    standby = parse_database_url("postgresql://:5433/hoso?host=/run/pg", "HOSO_REPLICA_URL")
    assert (standby["HOST"], standby["PORT"]) == ("/run/pg", "5433")
    with pytest.raises(ConfigError, match="HOSO_REPLICA_URL: unknown parameters"):
        parse_database_url("postgresql:///hoso?port=5433", "HOSO_REPLICA_URL")


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HOSO_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "-m", "hoso.cli", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_need_a_secret_key(tmp_path: object) -> None:
    result = _run({"HOSO_DATA_DIR": str(tmp_path)}, "check")
    assert result.returncode != 0
    assert "HOSO_SECRET_KEY is required" in result.stderr


def test_production_settings_pass_check_deploy(tmp_path: object) -> None:
    env = {
        "HOSO_SECRET_KEY": "k" * 20 + "-Z9x" * 10,
        "HOSO_DATA_DIR": str(tmp_path),
        "HOSO_ALLOWED_HOSTS": "hoso.example.vn",
    }
    result = _run(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_a_replica_needs_postgresql_as_the_primary(tmp_path: object) -> None:
    env = {
        "HOSO_SECRET_KEY": "k" * 20 + "-Z9x" * 10,
        "HOSO_DATA_DIR": str(tmp_path),
        "HOSO_REPLICA_URL": "postgresql://:5433/hoso?host=/var/run/postgresql",
    }
    result = _run(env, "check")
    assert result.returncode != 0
    assert "HOSO_REPLICA_URL needs HOSO_DATABASE_URL" in result.stderr
