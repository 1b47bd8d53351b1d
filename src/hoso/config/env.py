"""Typed parsers for HOSO_* environment variables.

Each parser fails loudly with the variable's name, so a misconfigured server refuses to start
instead of running with a silent default.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


class ConfigError(RuntimeError):
    """A HOSO_* variable is present but unusable."""


def _raw(name: str, env: Mapping[str, str] | None) -> str | None:
    value = (env if env is not None else os.environ).get(name)
    return None if value is None or value.strip() == "" else value.strip()


def env_str(name: str, default: str, env: Mapping[str, str] | None = None) -> str:
    value = _raw(name, env)
    return default if value is None else value


def env_bool(name: str, default: bool, env: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, env)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={value!r}: expected one of 1/0, true/false, yes/no, on/off")


def env_int(
    name: str,
    default: int,
    env: Mapping[str, str] | None = None,
    minimum: int = 0,
    maximum: int | None = None,
) -> int:
    value = _raw(name, env)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r}: expected a whole number") from None
    if number < minimum:
        raise ConfigError(f"{name}={number}: must be at least {minimum}")
    if maximum is not None and number > maximum:
        raise ConfigError(f"{name}={number}: must be at most {maximum}")
    return number


def env_time(name: str, default: str, env: Mapping[str, str] | None = None) -> dt.time:
    """A time of day written HH:MM (24-hour clock)."""
    value = _raw(name, env) or default
    try:
        return dt.datetime.strptime(value, "%H:%M").time()
    except ValueError:
        raise ConfigError(f"{name}={value!r}: expected a time of day as HH:MM") from None


def env_list(name: str, default: list[str], env: Mapping[str, str] | None = None) -> list[str]:
    value = _raw(name, env)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def parse_database_url(url: str, name: str = "HOSO_DATABASE_URL") -> dict[str, Any]:
    """Turn `postgresql://user:pass@host:port/name?host=/socket` into a Django DATABASES entry.

    Only PostgreSQL is accepted: SQLite is configured by the data directory instead.
    """
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ConfigError(
            f"{name}: scheme {parts.scheme!r} is not supported; "
            "use postgresql://user:password@host:port/database"
        )
    database = unquote(parts.path.lstrip("/"))
    if not database:
        raise ConfigError(f"{name}: the database name is missing (…/database)")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    host = query.pop("host", None) or unquote(parts.hostname or "")
    # No JIT: hoso's queries are short and scoped, and a planner's cost estimate inflated by
    # correlated subqueries made PostgreSQL spend seconds compiling one that runs in 6 ms
    # (a commune clerk's home page: 2.7 s → 6 ms; benchmarks/RESULTS.md).
    options: dict[str, Any] = {"options": "-c jit=off"}
    if "sslmode" in query:
        options["sslmode"] = query.pop("sslmode")
    if query:
        raise ConfigError(f"{name}: unknown parameters {sorted(query)}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": database,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": options,
    }
