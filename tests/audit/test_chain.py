from __future__ import annotations

import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from hoso.audit import events
from hoso.audit.chain import verify
from hoso.audit.models import AuditEvent
from tests.conftest import Personas, World, record_event


def _some_events(personas: Personas, world: World, n: int = 5) -> list[AuditEvent]:
    return [
        record_event(
            events.ORG_RENAMED.code,
            actor=personas.head_p,
            obj=world.commune_a,
            reason=f"Quyết định số {i}-QĐ/TU",
            details={"i": i, "tên": "Đảng ủy"},
        )
        for i in range(n)
    ]


def test_events_link_into_a_chain(world: World, personas: Personas) -> None:
    made = _some_events(personas, world)
    assert made[0].prev_hash == "0" * 64
    for before, after in itertools.pairwise(made):
        assert after.prev_hash == before.hash
    assert verify() == (5, None)
    assert made[2].organization == world.commune_a
    assert made[2].object_type == "orgs.organization"


def test_unknown_event_type_refused(db: object) -> None:
    with pytest.raises(KeyError, match="unknown audit event type"):
        record_event("no.such.event")


def test_orm_refuses_update_and_delete(world: World, personas: Personas) -> None:
    event = _some_events(personas, world, 1)[0]
    event.reason = "changed"
    with pytest.raises(RuntimeError, match="append-only"):
        event.save()
    with pytest.raises(RuntimeError, match="append-only"):
        event.delete()


def test_database_trigger_refuses_update_and_delete(world: World, personas: Personas) -> None:
    event = _some_events(personas, world, 1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    # A queryset delete skips the model's delete(): the database itself refuses, on both.
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk)._raw_delete(connection.alias)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def _tamper(sql: str, params: list[object]) -> None:
    """Alter the table the way someone with database access would: around the trigger."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # A superuser can switch ordinary triggers off for the session.
            cur.execute("SET session_replication_role = replica")
            cur.execute(sql, params)
            cur.execute("SET session_replication_role = DEFAULT")
        else:  # someone holding the SQLite file can drop the triggers (rolled back after)
            cur.execute("DROP TRIGGER audit_event_append_only")
            cur.execute("DROP TRIGGER audit_event_no_delete")
            cur.execute(sql, params)


def test_verify_finds_an_altered_row(world: World, personas: Personas) -> None:
    made = _some_events(personas, world)
    _tamper("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["sửa lén", made[2].pk])
    _checked, broken = verify()
    assert broken is not None and broken.event_id == made[2].pk
    assert broken.created_at == made[2].created_at
    assert "hash" in broken.problem
    with pytest.raises(CommandError, match=f"BROKEN at event {made[2].pk}"):
        call_command("audit", "verify")


def test_verify_finds_a_rehashed_row_through_the_next_link(
    world: World, personas: Personas
) -> None:
    made = _some_events(personas, world)
    forged = AuditEvent.objects.get(pk=made[1].pk)
    forged.reason = "forged"
    new_hash = forged.compute_hash()
    _tamper(
        "UPDATE audit_auditevent SET reason = %s, hash = %s WHERE id = %s",
        ["forged", new_hash, made[1].pk],
    )
    _, broken = verify()
    assert broken is not None and broken.event_id == made[2].pk


def test_verify_finds_deleted_rows(world: World, personas: Personas) -> None:
    made = _some_events(personas, world)
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [made[3].pk])
    _, broken = verify()
    assert broken is not None and broken.event_id == made[4].pk


def test_verify_finds_a_truncated_tail(world: World, personas: Personas) -> None:
    made = _some_events(personas, world)
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [made[4].pk])
    _, broken = verify()
    assert broken is not None and "newest" in broken.problem


def test_verify_command_ok(
    world: World, personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    _some_events(personas, world, 3)
    call_command("audit", "verify")
    assert "3 events verified" in capsys.readouterr().out


def test_a_change_event_refuses_to_be_written_outside_a_transaction(
    world: World, personas: Personas
) -> None:
    """A change and its event commit together or not at all: record() does not open a
    transaction of its own for a change (the test suite's wrapping block does not count)."""
    from hoso.audit.chain import record

    with pytest.raises(RuntimeError, match="outside a transaction"):
        record(events.ORG_RENAMED.code, actor=personas.head_p, obj=world.commune_a)
    assert not AuditEvent.objects.exists()
    # A read has no change to share a transaction with: its event stands alone.
    record(events.AUDIT_VIEWED.code, actor=personas.auditor_p, organization=world.province)
    assert AuditEvent.objects.get().event_type == events.AUDIT_VIEWED.code
