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


def _hoso_write(world: World, *, audited: bool) -> None:
    """A write as hoso's code would make it: the guard attributes statements to their module,
    so the function is compiled as if it were a module of src/hoso."""
    code = compile(
        "def write(world, audited):\n"
        "    with transaction.atomic():\n"
        "        Term.objects.create(organization=world.province, name=f'K{audited}',\n"
        "                            starts_on='2025-01-01')\n"
        "        if audited:\n"
        "            record(events.TERM_ADDED.code, organization=world.province)\n",
        audit_guard.SRC + "orgs/probe.py",
        "exec",
    )
    scope: dict[str, Any] = {
        "__name__": "hoso.orgs.probe",
        "transaction": transaction,
        "Term": Term,
        "record": record,
        "events": events,
    }
    exec(code, scope)  # noqa: S102 - a fixed text of this file, not input
    scope["write"](world, audited)


@pytest.mark.audit_guard_off  # the guard under test is its own
def test_an_unaudited_write_by_hoso_is_caught_an_audited_one_is_not(world: World) -> None:
    guard = audit_guard.Guard()
    with connection.execute_wrapper(guard.statement):
        guard.open = audit_guard.Transaction()
        _hoso_write(world, audited=True)
        guard.check(guard.open)
        assert guard.unaudited == []
        guard.open = audit_guard.Transaction()
        _hoso_write(world, audited=False)
        guard.check(guard.open)
    assert guard.unaudited == ["orgs_term by hoso.orgs.probe"]


def test_the_workers_claim_columns_are_bookkeeping() -> None:
    claim = 'UPDATE "vetting_case" SET "alert_version" = 2, "alert_claim" = %s WHERE "id" = 1'
    change = 'UPDATE "vetting_case" SET "state" = %s, "alert_version" = 3 WHERE "id" = 1'
    assert audit_guard._bookkeeping(claim)
    assert not audit_guard._bookkeeping(change)
