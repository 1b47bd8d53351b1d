"""The deadlines the apps compute, for the horizon the calendar must cover.

workcal sits below the apps whose records have deadlines: each registers, from its
AppConfig.ready(), a function giving the periods of its catalogues' time limits; the worker's
calendar check (and the calendar page) take the longest."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from hoso.lib.workdays import Period

# name -> the periods of the deadlines an app computes.
HORIZONS: dict[str, Callable[[], Iterable[Period]]] = {}


def register(name: str, periods: Callable[[], Iterable[Period]]) -> None:
    known = HORIZONS.get(name)
    if known is not None and known is not periods:
        raise ValueError(f"deadline horizon {name!r} registered twice")
    HORIZONS[name] = periods
