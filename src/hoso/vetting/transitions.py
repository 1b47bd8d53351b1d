"""The workflows of cases, of verification requests and of requests for verification help as
data: moves, the states they lead
to, who may make them, and guards.

The main line is fixed (domain.md §2); a case type says which optional steps apply, and a
forward move goes to the next state whose step applies. Side states (more documents,
suspended) remember where the case was and return there.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.models import User
from hoso.lib.workflow import Guard, Transition, Workflow
from hoso.lib.workflow import IllegalMove as IllegalMove  # raised by the actions too
from hoso.vetting import plan
from hoso.vetting.models import (
    OPEN_HELP,
    Case,
    HelpRequest,
    HelpState,
    ReplyItem,
    RequestState,
    State,
    Step,
    Verdict,
    VerificationRequest,
)

A = policy.Action


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


# Moves that set the work aside rather than advance it: never the page's primary button, and
# listed after the moves that advance the case.
SIDE_MOVES = frozenset({Move.SUSPEND.value, Move.WITHDRAW.value, Move.REQUEST_DOCUMENTS.value})

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
    Move.SUSPEND: pgettext_lazy("case", "Suspend"),
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
_LINE = [state for state, _step, _move in MAIN_LINE]
_WORKING = tuple(_LINE[:-2])  # received .. proposed


def _applies(case: Case, step: str | None) -> bool:
    return step is None or case.version.has(step)


def forward(case: Case) -> tuple[Move, State] | None:
    """The next main-line move from the case's state, skipping steps its type leaves out."""
    if case.state not in _LINE:
        return None
    for state, step, move in MAIN_LINE[_LINE.index(State(case.state)) + 1 :]:
        if _applies(case, step) and move is not None:
            return move, state
    return None


def _ahead(move: Move) -> Callable[[Case], State | None]:
    """The target of a main-line move: its state, if it is the case's next one."""

    def goal(case: Case) -> State | None:
        ahead = forward(case)
        return ahead[1] if ahead is not None and ahead[0] is move else None

    return goal


def _back(case: Case) -> State:
    """The target of leaving a side state: where the case was."""
    return State(case.return_state)


def _decided(case: Case) -> str | None:
    if case.decision_number and case.decision_date:
        return None
    return gettext("Record the number and date of the decision to verify.")


def _team(case: Case) -> str | None:
    minimum = case.version.min_team_size
    if case.team.count() < minimum or not case.team.filter(leader=True).exists():
        return gettext("The team needs at least %(n)s members, one of them its leader.") % {
            "n": minimum
        }
    return None


def _planned(case: Case) -> str | None:
    return None if case.plan.strip() else gettext("Write the verification plan first.")


def _replied(case: Case) -> str | None:
    if case.requests.filter(state=RequestState.OPEN).exists():
        return gettext("Some verification requests still await a reply.")
    return None


def _plan_covered(case: Case) -> str | None:
    """Every line of the type's verification plan has its requests or a recorded reason for
    not verifying (a case opened under a version without a plan is not held)."""
    missing = plan.unsatisfied(case)
    if not missing:
        return None
    return gettext(
        "The verification plan is not complete: %(lines)s. Issue the verification requests or"
        " record why a line is not verified."
    ) % {"lines": "; ".join(missing)}


def _resolved(case: Case) -> str | None:
    if ReplyItem.objects.filter(
        reply__request__case=case, verdict=Verdict.DISCREPANCY, resolution=""
    ).exists():
        return gettext("Some discrepancies in the replies are not resolved.")
    return None


def _proposed(case: Case) -> str | None:
    if case.proposal.strip():
        return None
    return gettext("Write the appraisal report and proposal first.")


def _considered(case: Case) -> str | None:
    if case.petitions.filter(consideration="").exists():
        return gettext("A petition about this person is not yet taken into account.")
    return None


# What a state needs from the case to be entered, along the main line or back from a side
# state (the team may have changed meanwhile).
NEEDS: dict[str, tuple[Guard[Case], ...]] = {
    State.PLANNING: (_decided,),
    State.VERIFYING: (_team, _planned),
    State.PROPOSED: (_proposed,),
    State.CONCLUDED: (_considered, _resolved),
}


def _returning(case: Case) -> str | None:
    for guard in NEEDS.get(case.return_state, ()):
        reason = guard(case)
        if reason is not None:
            return reason
    return None


def _line(
    move: Move, action: str = A.CASE_MANAGE, guards: tuple[Guard[Case], ...] = ()
) -> Transition[Case]:
    """A main-line move: from any earlier state, to its own when it is the case's next one,
    if the case has what that state needs."""
    i = next(i for i, (_state, _step, m) in enumerate(MAIN_LINE) if m is move)
    return Transition(tuple(_LINE[:i]), _ahead(move), action, NEEDS.get(_LINE[i], ()) + guards)


def _may(user: User, action: str, case: Case) -> bool:
    return policy.can(user, action, case.organization, case.classification)


_SUSPENDABLE = (*_WORKING, State.MORE_DOCUMENTS)
CASES = Workflow[Case, Move](
    moves={
        Move.REVIEW: _line(Move.REVIEW),
        Move.ASK_DECISION: _line(Move.ASK_DECISION),
        Move.RECORD_DECISION: _line(Move.RECORD_DECISION),
        Move.START_VERIFYING: _line(Move.START_VERIFYING),
        Move.COMPILE: _line(Move.COMPILE, guards=(_plan_covered, _replied, _resolved)),
        Move.PROPOSE: _line(Move.PROPOSE),
        Move.CONCLUDE: _line(Move.CONCLUDE, A.CASE_CONCLUDE),
        Move.ARCHIVE: _line(Move.ARCHIVE),
        Move.REQUEST_DOCUMENTS: Transition(
            (State.REVIEW, State.PLANNING, State.VERIFYING, State.COMPILING),
            State.MORE_DOCUMENTS,
            A.CASE_MANAGE,
        ),
        Move.DOCUMENTS_RECEIVED: Transition(
            (State.MORE_DOCUMENTS,), _back, A.CASE_MANAGE, (_returning,)
        ),
        Move.SUSPEND: Transition(_SUSPENDABLE, State.SUSPENDED, A.CASE_DIRECT),
        Move.RESUME: Transition((State.SUSPENDED,), _back, A.CASE_DIRECT, (_returning,)),
        Move.WITHDRAW: Transition((*_SUSPENDABLE, State.SUSPENDED), State.WITHDRAWN, A.CASE_DIRECT),
    },
    may=_may,
    refusal=_("“%(move)s” is not possible while the case is “%(state)s”."),
    labels=LABELS,
)


class RequestError(ValueError):
    pass


def _may_request(user: User, action: str, vr: VerificationRequest) -> bool:
    return _may(user, action, vr.case)


# A verification request awaits its reply, then is answered or cancelled.
REQUESTS = Workflow[VerificationRequest, str](
    moves={
        "answer": Transition((RequestState.OPEN,), RequestState.ANSWERED, A.CASE_MANAGE),
        "cancel": Transition((RequestState.OPEN,), RequestState.CANCELLED, A.CASE_MANAGE),
    },
    may=_may_request,
    refusal=_("This request is not awaiting a reply."),
    error=RequestError,
)


class HelpError(ValueError):
    pass


class HelpMove(StrEnum):
    ASSIGN = "assign"
    START = "start"
    ANSWER = "answer"
    DECLINE = "decline"
    CANCEL = "cancel"


HELP_LABELS = {
    HelpMove.ASSIGN: _("Assign"),
    HelpMove.START: _("Start working on it"),
    HelpMove.ANSWER: _("Answer (numbered letter)"),
    HelpMove.DECLINE: _("Decline"),
    HelpMove.CANCEL: _("Cancel (registered by mistake, or withdrawn)"),
}


def _assigned(hr: HelpRequest) -> str:
    """Assigning a new request makes it assigned; reassigning keeps where the work is."""
    return HelpState.ASSIGNED if hr.state == HelpState.RECEIVED else hr.state


def _may_help(user: User, action: str, hr: HelpRequest) -> bool:
    return policy.can(user, action, hr.organization, hr.classification)


# A request for verification help from another body: received, assigned to an officer (by a
# head), worked on, answered by a numbered letter; or declined (a head's decision) or cancelled
# (registered by mistake, withdrawn by the sender), each with its reason.
HELP = Workflow[HelpRequest, HelpMove](
    moves={
        HelpMove.ASSIGN: Transition(OPEN_HELP, _assigned, A.CASE_DIRECT),
        HelpMove.START: Transition((HelpState.ASSIGNED,), HelpState.IN_PROGRESS, A.CASE_MANAGE),
        HelpMove.ANSWER: Transition(
            (HelpState.ASSIGNED, HelpState.IN_PROGRESS), HelpState.ANSWERED, A.CASE_MANAGE
        ),
        HelpMove.DECLINE: Transition(OPEN_HELP, HelpState.DECLINED, A.CASE_DIRECT),
        HelpMove.CANCEL: Transition(OPEN_HELP, HelpState.CANCELLED, A.CASE_MANAGE),
    },
    may=_may_help,
    refusal=_("“%(move)s” is not possible while the request is “%(state)s”."),
    labels=HELP_LABELS,
    error=HelpError,
)
