"""The worker's periodic passes that belong to apps above notices (the insider flags' scan of
the audit trail, `trail`), registered from their `AppConfig.ready()`, as the due items are in
`due.SOURCES`: notices runs them each due pass without importing them."""

from __future__ import annotations

from collections.abc import Callable

# name -> a pass run by `hoso worker` every due pass; it returns a line to print, or "".
PASSES: dict[str, Callable[[], str]] = {}


def register(name: str, run: Callable[[], str]) -> None:
    known = PASSES.get(name)
    if known is not None and known is not run:
        raise ValueError(f"worker pass {name!r} registered twice")
    PASSES[name] = run
