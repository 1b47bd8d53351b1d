"""The case, request and help-request tables walked: every move from every state it leaves is
made or refused with a message; any other move, from any state, is refused."""

from __future__ import annotations

import pytest

from hoso.vetting import actions
from hoso.vetting.models import (
    Case,
    HelpRequest,
    HelpState,
    RequestState,
    State,
    VerificationRequest,
)
from hoso.vetting.transitions import CASES, HELP, REQUESTS, HelpMove, Move
from tests.conftest import World
from tests.vetting.office import D, Office, conclude, issue, open_case, to_verifying
from tests.vetting.test_help import receive
from tests.walk import made_or_refused, undeclared_refused


def case_in(office: Office, world: World, state: str) -> Case:
    """A case in `state` with all a move may need: the decision, a full team, the plan and the
    proposal; from a side state it returns to the first review."""
    case = open_case(office, world)
    team = [office.officer, office.officer2, office.officer3]
    actions.cases.set_team(office.head, case, team, office.officer)
    Case.objects.filter(pk=case.pk).update(
        state=state,
        return_state=State.REVIEW if state in (State.MORE_DOCUMENTS, State.SUSPENDED) else "",
        decision_number="05-QĐ/ĐU",
        decision_date=D(2026, 3, 10),
        plan="Xác minh lý lịch bản thân và bố mẹ.",
        proposal="Đề nghị kết luận.",
    )
    case.refresh_from_db()
    return case


@pytest.mark.parametrize("move", list(CASES.moves))
def test_each_case_move_from_each_state_it_leaves(move: Move, office: Office, world: World) -> None:
    def make(case: Case) -> None:
        if move is Move.CONCLUDE:
            conclude(office, case)
        else:
            actions.cases.move(
                office.head,
                case,
                move,
                note="Lý do ghi nhận",
                on=D(2026, 3, 11),
                decision_number="05-QĐ/ĐU",
                decision_date=D(2026, 3, 10),
            )

    sources = CASES.moves[move].sources
    made = [made_or_refused(CASES, case_in(office, world, s), move, make) for s in sources]
    assert any(made), f"{move} was made from none of its states"


def test_every_other_case_move_is_refused(office: Office) -> None:
    undeclared_refused(CASES, Case(version=office.case_type.current), State.values)


@pytest.mark.parametrize("move", list(REQUESTS.moves))
def test_each_request_move_from_each_state_it_leaves(
    move: str, office: Office, world: World
) -> None:
    def answer(vr: VerificationRequest) -> None:
        actions.requests.record_reply(
            office.officer,
            vr,
            received_on=D(2026, 3, 20),
            reference="9/PV06",
            summary="Không có vấn đề",
            items=[],
        )

    def cancel(vr: VerificationRequest) -> None:
        actions.requests.cancel(office.officer, vr, reason="Người được xác minh đã mất")

    make = {"answer": answer, "cancel": cancel}[move]  # a new move: say how it is made
    case = to_verifying(office, open_case(office, world))
    made = []
    for state in REQUESTS.moves[move].sources:
        (vr,) = issue(office, case)
        VerificationRequest.objects.filter(pk=vr.pk).update(state=state)
        vr.refresh_from_db()
        made.append(made_or_refused(REQUESTS, vr, move, make))
    assert any(made), f"{move} was made from none of its states"


def test_every_other_request_move_is_refused() -> None:
    undeclared_refused(REQUESTS, VerificationRequest(), RequestState.values)


@pytest.mark.parametrize("move", list(HELP.moves))
def test_each_help_move_from_each_state_it_leaves(
    move: HelpMove, office: Office, world: World
) -> None:
    def make(hr: HelpRequest) -> None:
        if move is HelpMove.ASSIGN:
            actions.help.assign(office.head, hr, office.officer2)
        elif move is HelpMove.ANSWER:
            actions.help.answer(office.head, hr, answered_on=D(2026, 3, 10), summary="Đã xác minh")
        else:
            actions.help.move(office.head, hr, move, reason="Vào sổ nhầm")

    made = []
    for state in HELP.moves[move].sources:
        hr = receive(office, world)
        HelpRequest.objects.filter(pk=hr.pk).update(state=state, assignee=office.officer)
        hr.refresh_from_db()
        made.append(made_or_refused(HELP, hr, move, make))
    assert all(made), f"{move} was refused from one of its states"


def test_every_other_help_move_is_refused() -> None:
    undeclared_refused(HELP, HelpRequest(), HelpState.values)
