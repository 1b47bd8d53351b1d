"""The test-only audit guard (tests/audit_guard.py) sees what it must and no more."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction

from hoso.audit import events
from hoso.audit.chain import record
from hoso.orgs.models import Term
from tests import audit_guard
from tests.conftest import World

PROBE = """
def write(world, name):
    Term.objects.create(organization=world.province, name=name, starts_on='2025-01-01')

def audit(world):
    record(events.TERM_ADDED.code, organization=world.province)
"""


def _hoso_module(name: str) -> dict[str, Any]:
    """Functions compiled as if they were a module of src/hoso (the guard attributes each
    statement to the module that asked for it)."""
    code = compile(PROBE, audit_guard.SRC + name.replace(".", "/") + ".py", "exec")
    scope: dict[str, Any] = {"__name__": f"hoso.{name}", "Term": Term, "record": record}
    scope["events"] = events
    exec(code, scope)  # noqa: S102 - a fixed text of this file, not input
    return scope


@pytest.fixture
def probe(world: World) -> Any:
    guard = audit_guard.Guard()
    key = id(transaction.get_connection())
    module = _hoso_module("orgs.actions_probe")
    with connection.execute_wrapper(guard.statement):
        yield guard, key, module
    return None


@pytest.mark.audit_guard_off  # the guard under test is its own
def test_a_write_without_its_event_is_caught_one_with_it_is_not(probe: Any, world: World) -> None:
    guard, key, hoso = probe
    with transaction.atomic():
        guard.entered(key)
        hoso["write"](world, "K1")
        hoso["audit"](world)
        guard.exited(key, kept=True)
        assert guard.unaudited == []
        guard.entered(key)
        hoso["write"](world, "K2")
        guard.exited(key, kept=True)
    assert guard.unaudited == ["orgs_term by hoso.orgs.actions_probe"]
    assert guard.outside_actions == []


@pytest.mark.audit_guard_off
def test_savepoints_count_only_when_released(probe: Any, world: World) -> None:
    guard, key, hoso = probe
    with transaction.atomic():
        guard.entered(key)  # the outer block writes ...
        hoso["write"](world, "K3")
        guard.entered(key)  # ... and its event is written in a savepoint that is rolled back
        hoso["audit"](world)
        guard.exited(key, kept=False)
        guard.exited(key, kept=True)
        assert guard.unaudited == ["orgs_term by hoso.orgs.actions_probe"]
        guard.unaudited.clear()
        guard.entered(key)  # a write rolled back with its savepoint commits nothing
        guard.entered(key)
        hoso["write"](world, "K4")
        guard.exited(key, kept=False)
        guard.exited(key, kept=True)
    assert guard.unaudited == []


@pytest.mark.audit_guard_off
def test_a_write_outside_an_actions_module_is_named(world: World) -> None:
    guard = audit_guard.Guard()
    key = id(transaction.get_connection())
    view = _hoso_module("orgs.views_probe")
    with connection.execute_wrapper(guard.statement), transaction.atomic():
        guard.entered(key)
        view["write"](world, "K5")
        view["audit"](world)
        guard.exited(key, kept=True)
    assert guard.unaudited == []
    assert guard.outside_actions == ["orgs_term by hoso.orgs.views_probe"]


def test_the_workers_claim_columns_are_bookkeeping() -> None:
    claim = 'UPDATE "vetting_case" SET "alert_version" = 2, "alert_claim" = %s WHERE "id" = 1'
    change = 'UPDATE "vetting_case" SET "state" = %s, "alert_version" = 3 WHERE "id" = 1'
    assert audit_guard._bookkeeping(claim)
    assert not audit_guard._bookkeeping(change)
    assert audit_guard.WRITE.match('INSERT OR IGNORE INTO "notices_notification" ("a") ...')
