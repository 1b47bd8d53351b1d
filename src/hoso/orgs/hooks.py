"""What the apps above the tree tell it, registered from their AppConfig.ready(): the tree sits
below them and imports none of them.

- PATH_COPIES: (model, field) pairs that keep a copy of an organization's path, for
  index-backed scope filters; moving a node rewrites them.
- MOVED: functions told of a node moved from one path to another, after the copies are
  rewritten, in the move's transaction (people's member counts: the subtree's counts leave the
  old ancestors and join the new ones).
- CLOSE_BLOCKERS: functions saying why a node may not close yet (None when nothing holds it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import F, Model, Value
from django.db.models.functions import Concat, Substr

PATH_COPIES: list[tuple[type[Model], str]] = []
MOVED: list[Callable[[str, str], None]] = []
CLOSE_BLOCKERS: list[Callable[[Any], str | None]] = []


def repath(old: str, new: str) -> None:
    """Rewrite every registered copy of a path under `old` to start with `new` instead."""
    for model, field in PATH_COPIES:
        model._default_manager.filter(**{f"{field}__startswith": old}).update(
            **{field: Concat(Value(new), Substr(F(field), len(old) + 1))}
        )
    for told in MOVED:
        told(old, new)


def why_not_close(node: Any) -> str | None:
    return next((why for check in CLOSE_BLOCKERS if (why := check(node))), None)
