"""One shape for every workflow: a table of moves, their guards and the permission each needs.

A move leaves from some states and leads to a state, or to one a function computes from the
record (the next step the case's type applies, the state it was in before a side state); the
function returns None where the move leads nowhere. A guard returns why the record does not
allow the move yet, or None. Each move names the policy action it needs; `may(actor, action,
obj)`, given by the app, answers it, so this module knows nothing of access.

The actions keep their order: permission first (access's own refusal), then `check()` where
they validate, `apply()` where they set the state, then save and audit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")  # the record: a member, a case, a request, a petition, a trip
M = TypeVar("M", bound=str)  # its moves

Guard = Callable[[T], str | None]


class IllegalMove(ValueError):
    """A move the workflow refuses, with the reason in the user's language."""


@dataclass(frozen=True)
class Transition(Generic[T]):
    sources: tuple[str, ...]
    target: str | Callable[[T], str | None]
    action: str  # the policy action the move needs
    guards: tuple[Guard[T], ...] = ()


@dataclass(frozen=True)
class Workflow(Generic[T, M]):
    moves: Mapping[M, Transition[T]]
    may: Callable[[Any, str, T], bool]
    # A lazy message, translated when raised: %(move)s is the move's label, %(<attr>)s the
    # display of the record's state.
    refusal: object
    attr: str = "state"
    labels: Mapping[M, object] = field(default_factory=dict)
    error: type[ValueError] = IllegalMove
    # available() leaves out a move a guard refuses; otherwise it is offered and says why
    # when it is made.
    hide_refused: bool = False

    def _goal(self, obj: T, move: M) -> str | None:
        transition = self.moves.get(move)
        if transition is None or getattr(obj, self.attr) not in transition.sources:
            return None
        return transition.target(obj) if callable(transition.target) else transition.target

    def target(self, obj: T, move: M) -> str:
        """The state `move` leads to from here; the error if it leads nowhere."""
        goal = self._goal(obj, move)
        if goal is None:
            state = getattr(obj, f"get_{self.attr}_display")()
            label = self.labels.get(move, move)
            raise self.error(str(self.refusal) % {"move": label, self.attr: state})
        return goal

    def refused(self, obj: T, move: M) -> str | None:
        """The first guard's reason against `move` on this record, or None."""
        for guard in self.moves[move].guards:
            reason = guard(obj)
            if reason is not None:
                return reason
        return None

    def check(self, obj: T, move: M) -> str:
        """The state `move` leads to, or the error: not from here, or a guard's reason."""
        goal = self.target(obj, move)
        reason = self.refused(obj, move)
        if reason is not None:
            raise self.error(reason)
        return goal

    def apply(self, obj: T, move: M) -> str:
        """Check `move` and set the record's state (the caller saves it); an action that
        validated its input after an earlier check() checks again here."""
        goal = self.check(obj, move)
        setattr(obj, self.attr, goal)
        return goal

    def possible(self, obj: T) -> list[M]:
        """The moves from the record's state in the table's order, whoever asks (without those
        a guard refuses, if the workflow hides them)."""
        return [
            move
            for move in self.moves
            if self._goal(obj, move) is not None
            and not (self.hide_refused and self.refused(obj, move))
        ]

    def allowed(self, obj: T, move: M, actor: Any) -> bool:
        return self.may(actor, self.moves[move].action, obj)

    def available(self, obj: T, actor: Any) -> list[M]:
        """The moves this actor may make on this record now."""
        return [move for move in self.possible(obj) if self.allowed(obj, move, actor)]
