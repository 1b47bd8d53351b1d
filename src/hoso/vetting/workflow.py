"""The case workflow as data: moves, the states they lead to, who may make them, and guards.

The main line is fixed (domain.md §2); a case type says which optional steps apply, and a
forward move goes to the next state whose step applies. Side states (more documents,
suspended) remember where the case was and return there.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.models import User
from hoso.vetting.models import Case, ReplyItem, RequestState, State, Step, Verdict


class Move(StrEnum):
    REVIEW = "review"
    ASK_DECISION = "ask_decision"
    RECORD_DECISION = "record_decision"
    START_VERIFYING = "start_verifying"
    COMPILE = "compile"
    PROPOSE = "propose"
    CONCLUDE = "conclude"
    ARCHIVE = "archive"
    REQUEST_DOCUMENTS = "request_documents"
    DOCUMENTS_RECEIVED = "documents_received"
    SUSPEND = "suspend"
    RESUME = "resume"
    WITHDRAW = "withdraw"


LABELS = {
    Move.REVIEW: _("Begin the first review"),
    Move.ASK_DECISION: _("Submit for a decision to verify"),
    Move.RECORD_DECISION: _("Record the decision to verify"),
    Move.START_VERIFYING: _("Approve the plan and start verifying"),
    Move.COMPILE: _("Finish verifying and compile"),
    Move.PROPOSE: _("Submit the appraisal and proposal"),
    Move.CONCLUDE: _("Record the conclusion"),
    Move.ARCHIVE: _("Archive"),
    Move.REQUEST_DOCUMENTS: _("Request more documents"),
    Move.DOCUMENTS_RECEIVED: _("Documents received, continue"),
    Move.SUSPEND: _("Suspend"),
    Move.RESUME: _("Resume"),
    Move.WITHDRAW: _("Withdraw"),
}

# The main line: (state, the step it belongs to or None if always, the move that enters it).
MAIN_LINE: list[tuple[State, str | None, Move | None]] = [
    (State.RECEIVED, None, None),
    (State.REVIEW, Step.REVIEW, Move.REVIEW),
    (State.AWAITING_DECISION, Step.VERIFICATION, Move.ASK_DECISION),
    (State.PLANNING, Step.VERIFICATION, Move.RECORD_DECISION),
    (State.VERIFYING, Step.VERIFICATION, Move.START_VERIFYING),
    (State.COMPILING, Step.COMPILING, Move.COMPILE),
    (State.PROPOSED, Step.PROPOSAL, Move.PROPOSE),
    (State.CONCLUDED, None, Move.CONCLUDE),
    (State.ARCHIVED, None, Move.ARCHIVE),
]
_WORKING = [state for state, _step, _move in MAIN_LINE[:-2]]  # received .. proposed

# Side moves: {move: (states it leaves from, target; None = back where the case was)}.
SIDE: dict[Move, tuple[tuple[State, ...], State | None]] = {
    Move.REQUEST_DOCUMENTS: (
        (State.REVIEW, State.PLANNING, State.VERIFYING, State.COMPILING),
        State.MORE_DOCUMENTS,
    ),
    Move.DOCUMENTS_RECEIVED: ((State.MORE_DOCUMENTS,), None),
    Move.SUSPEND: ((*tuple(_WORKING), State.MORE_DOCUMENTS), State.SUSPENDED),
    Move.RESUME: ((State.SUSPENDED,), None),
    Move.WITHDRAW: (
        (*tuple(_WORKING), State.MORE_DOCUMENTS, State.SUSPENDED),
        State.WITHDRAWN,
    ),
}

A = policy.Action
WHO: dict[Move, str] = {move: A.CASE_MANAGE for move in Move}
WHO.update(
    {
        Move.CONCLUDE: A.CASE_CONCLUDE,
        Move.SUSPEND: A.CASE_DIRECT,
        Move.RESUME: A.CASE_DIRECT,
        Move.WITHDRAW: A.CASE_DIRECT,
    }
)


class IllegalMove(ValueError):
    pass


def _applies(case: Case, step: str | None) -> bool:
    return step is None or case.version.has(step)


def forward(case: Case) -> tuple[Move, State] | None:
    """The next main-line move from the case's state, skipping steps its type leaves out."""
    states = [s for s, _step, _m in MAIN_LINE]
    if case.state not in states:
        return None
    for state, step, move in MAIN_LINE[states.index(State(case.state)) + 1 :]:
        if _applies(case, step) and move is not None:
            return move, state
    return None


def target(case: Case, move: Move) -> State:
    """The state `move` leads to from here, or IllegalMove."""
    ahead = forward(case)
    if ahead is not None and ahead[0] is move:
        return ahead[1]
    if move in SIDE:
        sources, goal = SIDE[move]
        if case.state in sources:
            return goal if goal is not None else State(case.return_state)
    raise IllegalMove(
        _("“%(move)s” is not possible while the case is “%(state)s”.")
        % {"move": LABELS[move], "state": case.get_state_display()}
    )


def _open_requests(case: Case) -> bool:
    return case.requests.filter(state=RequestState.OPEN).exists()


def _unresolved(case: Case) -> bool:
    return ReplyItem.objects.filter(
        reply__request__case=case, verdict=Verdict.DISCREPANCY, resolution=""
    ).exists()


def guard(case: Case, move: Move) -> None:
    """What must exist before the move (IllegalMove with the reason)."""
    goal = target(case, move)
    if goal is State.PLANNING and not (case.decision_number and case.decision_date):
        raise IllegalMove(_("Record the number and date of the decision to verify."))
    if goal is State.VERIFYING:
        minimum = case.version.min_team_size
        if case.team.count() < minimum or not case.team.filter(leader=True).exists():
            raise IllegalMove(
                _("The team needs at least %(n)s members, one of them its leader.") % {"n": minimum}
            )
        if not case.plan.strip():
            raise IllegalMove(_("Write the verification plan first."))
    if move is Move.COMPILE:
        if _open_requests(case):
            raise IllegalMove(_("Some verification requests still await a reply."))
        if _unresolved(case):
            raise IllegalMove(_("Some discrepancies in the replies are not resolved."))
    if goal is State.PROPOSED and not case.proposal.strip():
        raise IllegalMove(_("Write the appraisal report and proposal first."))
    if goal is State.CONCLUDED:
        if case.petitions.filter(consideration="").exists():
            raise IllegalMove(_("A petition about this person is not yet taken into account."))
        if _unresolved(case):
            raise IllegalMove(_("Some discrepancies in the replies are not resolved."))


def allowed(user: User, case: Case, move: Move) -> bool:
    return policy.can(user, WHO[move], case.organization, case.classification)


def available(user: User, case: Case) -> list[Move]:
    """The moves this user may make on this case now (guards are checked when made)."""
    moves = []
    ahead = forward(case)
    if ahead is not None:
        moves.append(ahead[0])
    moves += [m for m, (sources, _goal) in SIDE.items() if case.state in sources]
    return [m for m in moves if allowed(user, case, m)]
