"""Walking a workflow table. The cases come from the table itself, so a new move or a new
source state is walked without touching the tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from hoso.lib.workflow import Workflow


def made_or_refused(
    wf: Workflow[Any, Any], obj: Any, move: str, make: Callable[[Any], Any]
) -> bool:
    """`make(obj)` makes `move` on the saved record `obj`: either the record reaches the state the
    table gives, or the move is refused with a message and the record keeps its state.
    True if the move was made."""
    before = getattr(obj, wf.attr)
    try:
        goal = wf.target(obj, move)
    except wf.error:
        goal = None
    try:
        make(obj)
    except ValueError as refused:
        assert str(refused).strip(), f"{move} from {before}: refused without a message"
        obj.refresh_from_db()
        assert getattr(obj, wf.attr) == before
        return False
    obj.refresh_from_db()
    assert goal is not None, f"{move} from {before}: made although the table leads nowhere"
    assert getattr(obj, wf.attr) == goal
    return True


def undeclared_refused(wf: Workflow[Any, Any], obj: Any, states: Iterable[str]) -> None:
    """Every move from a state it does not leave, and a move the table does not have, raise the
    workflow's error with a message (`obj` need not be saved: nothing is written)."""
    for state in states:
        setattr(obj, wf.attr, state)
        for move in [*wf.moves, "no_such_move"]:
            if move in wf.moves and state in wf.moves[move].sources:
                continue
            with pytest.raises(wf.error) as refused:
                wf.check(obj, move)
            assert str(refused.value).strip()
            assert getattr(obj, wf.attr) == state
