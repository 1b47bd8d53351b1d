"""The vetting sources: the people on due and overdue cases and requests are notified once,
even with two workers."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from hoso.notices import due
from hoso.notices.due import run_once
from hoso.notices.models import Notification
from hoso.vetting import actions
from hoso.vetting.models import Case, TeamMember
from tests.conftest import World
from tests.vetting.office import D, Office, issue, open_case, to_verifying


def _keys(user: Any) -> list[str]:
    return sorted(Notification.objects.filter(user=user).values_list("key", flat=True))


def test_due_then_overdue_each_notified_once(office: Office, world: World) -> None:
    case = open_case(office, world)  # due 15/4/2026, assignee: the officer who opened it
    TeamMember.objects.create(case=case, user=office.officer2, leader=True)
    assert run_once(D(2026, 4, 1)).notifications == 0  # not yet due
    first = run_once(D(2026, 4, 13))
    assert (first.claimed, first.notifications) == (1, 2)
    assert run_once(D(2026, 4, 14)).notifications == 0  # same fact, not again
    assert run_once(D(2026, 4, 16)).notifications == 2  # now overdue
    assert run_once(D(2026, 4, 17)).notifications == 0
    assert _keys(office.officer2) == [
        f"case:{case.pk}:1:2026-04-15",
        f"case:{case.pk}:2:2026-04-15",
    ]
    text = Notification.objects.filter(user=office.officer, key__endswith=":2:2026-04-15").get()
    assert text.text == f"Hồ sơ {case.pk} đã quá hạn (hạn 15/04/2026)."


def test_a_moved_due_date_is_a_new_fact(office: Office, world: World) -> None:
    case = open_case(office, world)
    run_once(D(2026, 4, 16))  # overdue for 15/4
    actions.cases.pause_clock(office.officer, case, reason="Chờ", on=D(2026, 4, 16))
    assert run_once(D(2026, 4, 20)).notifications == 0  # paused cases are not chased
    actions.cases.resume_clock(office.officer, case, on=D(2026, 4, 23))
    case.refresh_from_db()
    assert run_once(case.due_on).notifications == 1  # due soon, for the new date
    assert run_once(case.due_on).notifications == 0


def test_overdue_requests_are_notified_once(office: Office, world: World) -> None:
    case = to_verifying(office, open_case(office, world))
    issue(office, case)  # reply due 2/4/2026
    case.due_on = D(2026, 12, 31)  # keep the case quiet
    case.save(update_fields=["due_on"])
    result = run_once(D(2026, 4, 3))
    assert result.claimed == 1 and result.notifications == 3  # the team of three
    assert run_once(D(2026, 4, 6)).notifications == 0
    assert "chưa được trả lời" in Notification.objects.filter(user=office.officer3).get().text


def test_the_worker_command_runs_one_pass(office: Office, world: World, capsys: Any) -> None:
    open_case(office, world, received_on=D(2025, 12, 1), request_date=D(2025, 11, 28))
    call_command("worker", "--once")
    assert "claimed 1, notifications 1" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_notify_twice(
    transactional_db: Any, world: World, office: Office
) -> None:
    cases = [
        open_case(office, world, received_on=D(2026, 1, 5), request_date=D(2026, 1, 2))
        for _ in range(25)
    ]
    for case in cases:
        TeamMember.objects.create(case=case, user=office.officer2, leader=True)
    errors: list[BaseException] = []
    start = threading.Barrier(2)
    passes: list[Any] = []

    def work() -> None:
        try:
            start.wait()
            passes.append(run_once(D(2026, 6, 1)))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors, errors
    assert sum(p.claimed for p in passes) == 25
    assert Notification.objects.count() == 50  # officer and officer2, once per case
    assert Notification.objects.values("user", "key").distinct().count() == 50


def test_a_claim_on_what_changed_since_wins_nothing(office: Office, world: World) -> None:
    """The worker read the case, then an officer moved it: the claim must not go through."""
    from hoso.vetting.transitions import Move

    case = open_case(office, world)
    seen = case.alert_version
    actions.cases.move(office.officer, case, Move.REVIEW)
    source = due.SOURCES["case"]
    token = due._claim(source, {(seen, due.OVERDUE): [case.pk]})
    assert not Case.objects.filter(alert_claim=token).exists()
    token = due._claim(source, {(seen + 1, due.OVERDUE): [case.pk]})
    assert Case.objects.filter(alert_claim=token, alert_stage=due.OVERDUE).exists()


def test_a_due_date_that_comes_back_is_not_told_twice(office: Office, world: World) -> None:
    """15/4, then moved to 30/4, then back to 15/4 (a pause recorded and then corrected): the
    fact of 15/4 was told already; the pass goes on instead of failing on the repeated key."""
    case = open_case(office, world)
    assert run_once(D(2026, 4, 13)).notifications == 1
    case.due_on = D(2026, 4, 30)
    case.save(update_fields=["due_on"])
    assert run_once(D(2026, 4, 28)).notifications == 1
    case.due_on = D(2026, 4, 15)
    case.save(update_fields=["due_on"])
    again = run_once(D(2026, 4, 13))
    assert again.claimed == 1 and again.notifications == 0
    assert _keys(office.officer) == [f"case:{case.pk}:1:2026-04-15", f"case:{case.pk}:1:2026-04-30"]
