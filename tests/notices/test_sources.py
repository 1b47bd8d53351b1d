"""Every registered due-item source, through the same tests: notified once per stage, to the
people responsible and nobody else; a change of state voids a claim; two workers at once never
notify twice (run them on PostgreSQL with HOSO_DATABASE_URL)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from hoso.notices import due
from hoso.notices.models import Notification
from tests.conftest import Personas, World
from tests.notices.scenarios import SCENARIOS, Scenario
from tests.vetting.office import Office

NAMES = sorted(SCENARIOS)


def _scenario(name: str, office: Office, world: World, personas: Personas, count: int = 1) -> Any:
    return SCENARIOS[name](office, world, personas, count)


def _notified(name: str) -> list[tuple[int, str]]:
    return sorted(
        Notification.objects.filter(key__startswith=f"{name}:").values_list("user_id", "key")
    )


def _pass(name: str, day: Any) -> tuple[int, int]:
    return due.run_once(day).by_source[name]


def test_every_registered_source_has_a_scenario() -> None:
    """A source registered without a scenario here fails: each is exercised by the tests below."""
    assert set(due.SOURCES) == set(SCENARIOS)


@pytest.mark.parametrize("name", NAMES)
def test_each_stage_is_notified_once_to_the_people_responsible(
    name: str, office: Office, world: World, personas: Personas
) -> None:
    s: Scenario = _scenario(name, office, world, personas)
    (item,) = s.items
    told = {user.pk for user in s.told}
    assert _pass(name, s.quiet) == (0, 0)
    stages = 1
    if s.soon is not None:
        assert _pass(name, s.soon) == (1, len(told))
        assert _pass(name, s.soon) == (0, 0)  # the same fact, not again
        assert _pass(name, s.deadline) == (0, 0)  # still due soon, on the day itself
        stages = 2
    assert _pass(name, s.late) == (1, len(told))  # now overdue
    assert _pass(name, s.late + (s.late - s.quiet)) == (0, 0)
    notified = _notified(name)
    assert {user for user, _key in notified} == told  # nobody outside them
    assert len(notified) == stages * len(told)
    assert all(str(item.pk) in key for _user, key in notified)
    texts = Notification.objects.filter(key__startswith=f"{name}:").values_list("text", "url")
    assert all(text and url.startswith("/") for text, url in texts)


@pytest.mark.parametrize("name", NAMES)
def test_a_change_of_state_voids_a_claim(
    name: str, office: Office, world: World, personas: Personas
) -> None:
    """The worker read the item, then someone changed it: the claim must not go through."""
    s = _scenario(name, office, world, personas)
    (item,) = s.items
    source = due.SOURCES[name]
    seen = type(item)._default_manager.get(pk=item.pk).alert_version
    s.change(type(item)._default_manager.get(pk=item.pk))
    token = due._claim(source, {(seen, due.OVERDUE): [item.pk]})
    assert not type(item)._default_manager.filter(alert_claim=token).exists()
    assert not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", NAMES)
def test_two_workers_never_notify_twice(
    name: str, transactional_db: Any, world: World, office: Office, personas: Personas
) -> None:
    s = _scenario(name, office, world, personas, count=6)
    errors: list[BaseException] = []
    start = threading.Barrier(2)
    passes: list[Any] = []

    def work() -> None:
        try:
            start.wait()
            passes.append(due.run_source(due.SOURCES[name], s.late))
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
    assert sum(claimed for claimed, _n in passes) == len(s.items)
    assert sum(notified for _c, notified in passes) == len(s.items) * len(s.told)
    written = Notification.objects.count()
    assert written == len(s.items) * len(s.told)
    assert Notification.objects.values("user", "key").distinct().count() == written
    assert due.run_source(due.SOURCES[name], s.late) == (0, 0)
