"""The case workflow: legal moves only, guards, side states, who may do what."""

from __future__ import annotations

import pytest

from hoso.access.policy import Denied
from hoso.audit.models import AuditEvent
from hoso.vetting import actions, transitions
from hoso.vetting.models import CaseStep, State
from hoso.vetting.transitions import IllegalMove, Move
from tests.conftest import World
from tests.vetting.office import (
    D,
    Office,
    conclude,
    make_type,
    open_case,
    to_proposed,
    to_verifying,
)


def test_a_case_opens_received_with_its_handover_and_due_date(office: Office, world: World) -> None:
    case = open_case(office, world)
    assert case.state == State.RECEIVED
    assert case.version == office.case_type.current
    assert case.handover_items.startswith("Tờ trình")
    # 30 working days from Wed 4/3/2026, no holiday in between: 6 weeks later, Wed 15/4.
    assert case.due_on == D(2026, 4, 15)
    assert AuditEvent.objects.filter(event_type="case.opened", object_id=str(case.pk)).exists()


@pytest.mark.parametrize(
    "move",
    [
        Move.COMPILE,
        Move.PROPOSE,
        Move.ARCHIVE,
        Move.RESUME,
        Move.DOCUMENTS_RECEIVED,
        Move.START_VERIFYING,
    ],
)
def test_illegal_moves_are_refused_and_change_nothing(
    office: Office, world: World, move: Move
) -> None:
    case = open_case(office, world)
    with pytest.raises(IllegalMove, match="Không thể thực hiện"):
        actions.cases.move(office.head, case, move)
    case.refresh_from_db()
    assert case.state == State.RECEIVED
    assert CaseStep.objects.filter(case=case).count() == 1  # only the opening


def test_conclude_is_not_a_plain_move(office: Office, world: World) -> None:
    case = open_case(office, world)
    with pytest.raises(IllegalMove):
        actions.cases.move(office.head, case, Move.CONCLUDE)


def test_the_decision_to_verify_needs_its_number_and_date(office: Office, world: World) -> None:
    case = open_case(office, world)
    actions.cases.move(office.officer, case, Move.REVIEW)
    actions.cases.move(office.officer, case, Move.ASK_DECISION)
    with pytest.raises(IllegalMove, match="số và ngày"):
        actions.cases.move(office.officer, case, Move.RECORD_DECISION, decision_number="5-QĐ/ĐU")
    with pytest.raises(IllegalMove):
        actions.cases.move(
            office.officer,
            case,
            Move.RECORD_DECISION,
            decision_number="5-QĐ/ĐU",
            decision_date=D(2026, 3, 1),  # before receipt
        )
    case.refresh_from_db()
    assert case.state == State.AWAITING_DECISION and case.decision_number == ""


def test_verification_needs_a_full_team_with_a_leader_and_a_plan(
    office: Office, world: World
) -> None:
    case = open_case(office, world)
    for move in (Move.REVIEW, Move.ASK_DECISION):
        actions.cases.move(office.officer, case, move)
    actions.cases.move(
        office.officer,
        case,
        Move.RECORD_DECISION,
        decision_number="5-QĐ/ĐU",
        decision_date=D(2026, 3, 10),
    )
    actions.cases.set_team(office.head, case, [office.officer, office.officer2], office.officer)
    with pytest.raises(IllegalMove, match="ít nhất 3"):
        actions.cases.move(office.officer, case, Move.START_VERIFYING)
    actions.cases.set_team(
        office.head, case, [office.officer, office.officer2, office.officer3], office.officer2
    )
    with pytest.raises(IllegalMove, match="kế hoạch"):
        actions.cases.move(office.officer, case, Move.START_VERIFYING)
    actions.cases.write(office.officer, case, field="plan", text="Kế hoạch xác minh")
    assert actions.cases.move(office.officer, case, Move.START_VERIFYING).state == State.VERIFYING


def test_team_members_must_be_able_to_see_the_case(office: Office, world: World) -> None:
    case = open_case(office, world)
    clerk = office.clerk  # a records clerk has no vetting role
    with pytest.raises(actions.cases.CaseError):
        actions.cases.set_team(office.head, case, [office.officer, clerk], office.officer)
    with pytest.raises(Denied):  # an officer does not form teams; a head does
        actions.cases.set_team(office.officer, case, [office.officer], office.officer)


def test_the_whole_line_to_archive(office: Office, world: World) -> None:
    case = to_verifying(office, open_case(office, world))
    case = to_proposed(office, case)
    conclude(office, case)
    case.refresh_from_db()
    assert case.state == State.CONCLUDED
    case = actions.cases.move(office.officer, case, Move.ARCHIVE)
    assert case.state == State.ARCHIVED
    path = list(CaseStep.objects.filter(case=case).values_list("to_state", flat=True))
    assert path == [
        "received",
        "review",
        "awaiting_decision",
        "planning",
        "verifying",
        "compiling",
        "proposed",
        "concluded",
        "archived",
    ]
    assert transitions.CASES.available(case, office.head) == []


def test_a_type_without_verification_skips_those_steps(office: Office, world: World) -> None:
    travel = make_type("T_TRAVEL", steps=["review", "compiling"], min_team_size=1)
    case = open_case(office, world, case_type=travel)
    actions.cases.move(office.officer, case, Move.REVIEW)
    assert transitions.forward(case) == (Move.COMPILE, State.COMPILING)
    with pytest.raises(IllegalMove):
        actions.cases.move(office.officer, case, Move.ASK_DECISION)
    case = actions.cases.move(office.officer, case, Move.COMPILE)
    assert transitions.forward(case) == (Move.CONCLUDE, State.CONCLUDED)


def test_side_states_return_where_the_case_was(office: Office, world: World) -> None:
    case = open_case(office, world)
    actions.cases.move(office.officer, case, Move.REVIEW)
    with pytest.raises(IllegalMove, match="lý do"):
        actions.cases.move(office.officer, case, Move.REQUEST_DOCUMENTS)
    case = actions.cases.move(
        office.officer, case, Move.REQUEST_DOCUMENTS, note="Thiếu bản kiểm điểm"
    )
    assert case.state == State.MORE_DOCUMENTS
    case = actions.cases.move(office.officer, case, Move.DOCUMENTS_RECEIVED)
    assert (case.state, case.return_state) == (State.REVIEW, "")


def test_suspension_and_withdrawal_are_for_heads(office: Office, world: World) -> None:
    case = open_case(office, world)
    assert Move.SUSPEND not in transitions.CASES.available(case, office.officer)
    assert Move.SUSPEND in transitions.CASES.available(case, office.head)
    with pytest.raises(Denied):
        actions.cases.move(office.officer, case, Move.WITHDRAW, note="Rút hồ sơ")
    case = actions.cases.move(
        office.head, case, Move.SUSPEND, note="Chờ ý kiến cấp trên", on=D(2026, 3, 5)
    )
    assert case.state == State.SUSPENDED and case.paused_since == D(2026, 3, 5)
    case = actions.cases.move(office.head, case, Move.RESUME, on=D(2026, 3, 9))
    assert case.state == State.RECEIVED and case.paused_since is None
    assert case.due_on == D(2026, 4, 17)  # two working days (6 and 9 March) added back
    case = actions.cases.move(office.head, case, Move.WITHDRAW, note="Cơ quan đề nghị rút")
    assert case.state == State.WITHDRAWN and not case.is_open
    assert transitions.CASES.available(case, office.head) == []


def test_the_page_offers_only_what_this_user_may_do_now(office: Office, world: World) -> None:
    case = open_case(office, world)
    assert transitions.CASES.available(case, office.officer) == [Move.REVIEW]
    assert set(transitions.CASES.available(case, office.head)) == {
        Move.REVIEW,
        Move.SUSPEND,
        Move.WITHDRAW,
    }
