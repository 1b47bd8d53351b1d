"""The time limit: working days across Tết, pauses, the 7-day forecast."""

from __future__ import annotations

import pytest

from hoso.lib.workdays import Unit
from hoso.vetting import actions, clock
from hoso.vetting.models import Case
from tests.conftest import World
from tests.vetting.office import D, Office, make_type, open_case


def test_deadline_across_tet_and_a_pause(office: Office, world: World) -> None:
    """10 working days from Fri 6/2/2026: 9-13/2 (5), Tết 16-20/2 and the weekend skipped,
    23-27/2 (5): due Fri 27/2. A pause from Thu 12/2 to Tue 24/2 loses the working days
    13/2, 23/2 and 24/2, so the due date moves three working days: Wed 4/3."""
    short = make_type("T_SHORT", period_days=10)
    case = open_case(
        office, world, case_type=short, request_date=D(2026, 2, 5), received_on=D(2026, 2, 6)
    )
    assert case.due_on == D(2026, 2, 27)
    actions.cases.pause_clock(office.officer, case, reason="Chờ văn bản trả lời", on=D(2026, 2, 12))
    case.refresh_from_db()
    assert case.paused_since == D(2026, 2, 12)
    actions.cases.resume_clock(office.officer, case, on=D(2026, 2, 24))
    case.refresh_from_db()
    assert (case.due_on, case.paused_since) == (D(2026, 3, 4), None)
    pause = case.pauses.get()
    assert (pause.due_before, pause.due_after, pause.reason) == (
        D(2026, 2, 27),
        D(2026, 3, 4),
        "Chờ văn bản trả lời",
    )


def test_calendar_days_move_by_calendar_days(office: Office, world: World) -> None:
    calendar = make_type("T_CAL", period_days=20, period_unit=Unit.CALENDAR)
    case = open_case(
        office, world, case_type=calendar, request_date=D(2026, 2, 5), received_on=D(2026, 2, 6)
    )
    assert case.due_on == D(2026, 2, 26)
    actions.cases.pause_clock(office.officer, case, reason="Chờ", on=D(2026, 2, 12))
    actions.cases.resume_clock(office.officer, case, on=D(2026, 2, 24))
    case.refresh_from_db()
    assert case.due_on == D(2026, 3, 10)


def test_pause_rules(office: Office, world: World) -> None:
    fixed = make_type("T_FIXED", pausable=False)
    case = open_case(office, world, case_type=fixed)
    with pytest.raises(clock.ClockError, match="không được tạm dừng"):
        actions.cases.pause_clock(office.officer, case, reason="x", on=D(2026, 3, 5))
    case = open_case(office, world)
    with pytest.raises(clock.ClockError, match="lý do"):
        actions.cases.pause_clock(office.officer, case, reason=" ", on=D(2026, 3, 5))
    with pytest.raises(clock.ClockError, match="không ở trạng thái tạm dừng"):
        actions.cases.resume_clock(office.officer, case, on=D(2026, 3, 5))
    actions.cases.pause_clock(office.officer, case, reason="Chờ", on=D(2026, 3, 5))
    with pytest.raises(clock.ClockError, match="đang được tạm dừng"):
        actions.cases.pause_clock(office.officer, case, reason="Chờ", on=D(2026, 3, 6))
    with pytest.raises(clock.ClockError, match="trước ngày tạm dừng"):
        actions.cases.resume_clock(office.officer, case, on=D(2026, 3, 4))


def test_forecast_of_breaches_within_seven_days(office: Office, world: World) -> None:
    due_soon = open_case(office, world)  # due 15/4/2026
    late = open_case(office, world, received_on=D(2026, 3, 2), request_date=D(2026, 3, 1))
    paused = open_case(office, world)
    actions.cases.pause_clock(office.officer, paused, reason="Chờ", on=D(2026, 4, 9))
    today = D(2026, 4, 10)
    soon = set(clock.breaching(Case.objects.all(), today).values_list("pk", flat=True))
    assert soon == {due_soon.pk, late.pk}  # late is due 13/4
    assert not clock.breaching(Case.objects.all(), D(2026, 4, 1)).exists()
    overdue = clock.overdue(Case.objects.all(), D(2026, 4, 16))
    assert set(overdue.values_list("pk", flat=True)) == {due_soon.pk, late.pk}
