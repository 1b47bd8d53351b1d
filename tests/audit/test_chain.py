from __future__ import annotations

import itertools
from typing import Any

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
    # The chain's first event introduces the installation's key; every event after it is an
    # HMAC under that key.
    first = AuditEvent.objects.order_by("id").first()
    assert first is not None and first.event_type == events.KEY_INTRODUCED.code
    assert first.prev_hash == "0" * 64 and first.key_id == ""
    assert made[0].prev_hash == first.hash
    assert {e.key_id for e in made} == {first.details["key_id"]}
    for before, after in itertools.pairwise(made):
        assert after.prev_hash == before.hash
    assert verify() == (6, None)
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
            cur.execute("DROP TRIGGER IF EXISTS audit_event_append_only")
            cur.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
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
    """Someone with the key who rehashes an edited event still breaks the next link."""
    from hoso.audit import keys

    made = _some_events(personas, world)
    forged = AuditEvent.objects.get(pk=made[1].pk)
    forged.reason = "forged"
    new_hash = forged.compute_hash(keys.ring()[forged.key_id])
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
    assert "4 events verified" in capsys.readouterr().out  # the key's introduction, 3 events


def test_a_change_event_refuses_to_be_written_outside_a_transaction(
    world: World, personas: Personas
) -> None:
    """A change and its event commit together or not at all: record() does not open a
    transaction of its own for a change (the test suite's wrapping block does not count)."""
    from hoso.audit.chain import record

    before = AuditEvent.objects.count()  # the key's introduction, made at migrate
    with pytest.raises(RuntimeError, match="outside a transaction"):
        record(events.ORG_RENAMED.code, actor=personas.head_p, obj=world.commune_a)
    assert AuditEvent.objects.count() == before
    # A read has no change to share a transaction with: its event stands alone (after the
    # introduction of the installation's key, the chain's first event).
    record(events.AUDIT_VIEWED.code, actor=personas.auditor_p, organization=world.province)
    types = list(AuditEvent.objects.order_by("id").values_list("event_type", flat=True))
    assert types == [events.KEY_INTRODUCED.code, events.AUDIT_VIEWED.code]


# ---- an insider with the database but not the key (audit/keys.py) ---------------------------


def _rewrite_without_key(start_id: int) -> None:
    """Recompute every hash from `start_id` on, as someone who can write the database but not
    read the key can: SHA-256 over the same fields, the links made to match."""
    rows = list(AuditEvent.objects.filter(pk__gte=start_id).order_by("id"))
    previous = AuditEvent.objects.filter(pk__lt=start_id).order_by("-id").first()
    last = previous.hash if previous else "0" * 64
    for event in rows:
        event.prev_hash = last
        event.hash = event.compute_hash()  # no key at hand
        _tamper(
            "UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
            [event.prev_hash, event.hash, event.pk],
        )
        last = event.hash
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_chainhead SET last_hash = %s", [last])


def test_an_edited_event_rehashed_without_the_key_is_found(
    world: World, personas: Personas
) -> None:
    made = _some_events(personas, world)
    _tamper("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["sửa lén", made[2].pk])
    _rewrite_without_key(made[2].pk)
    _, broken = verify()
    assert broken is not None and broken.event_id == made[2].pk
    assert "does not match its hash" in broken.problem


def test_a_forged_append_and_the_head_moved_are_found(world: World, personas: Personas) -> None:
    made = _some_events(personas, world)
    last = made[-1]
    forged = AuditEvent(
        created_at=last.created_at,
        actor_name="giả mạo",
        event_type=events.ORG_RENAMED.code,
        details={},
        prev_hash=last.hash,
        key_id=last.key_id,
    )
    forged.hash = forged.compute_hash()  # the attacker has no key: SHA-256 at best
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO audit_auditevent (created_at, actor_name, event_type, object_type,"
            " object_id, reason, details, prev_hash, hash, key_id)"
            " VALUES (%s, %s, %s, '', '', '', '{}', %s, %s, %s)",
            [forged.created_at, forged.actor_name, forged.event_type, forged.prev_hash,
             forged.hash, forged.key_id],
        )  # fmt: skip
        cur.execute("UPDATE audit_chainhead SET last_hash = %s", [forged.hash])
    _, broken = verify()
    assert broken is not None and "does not match its hash" in broken.problem


def test_the_whole_chain_rewritten_as_before_any_key_is_found(
    world: World, personas: Personas
) -> None:
    """Hashes recomputed from the first event with SHA-256 and the key ids cleared: the key
    in the directory was never introduced by this chain."""
    _some_events(personas, world)
    first = AuditEvent.objects.order_by("id").first()
    assert first is not None
    _tamper("DELETE FROM audit_auditevent WHERE event_type = %s", [events.KEY_INTRODUCED.code])
    _tamper("UPDATE audit_auditevent SET key_id = ''", [])
    _rewrite_without_key(first.pk)
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_chainhead SET key_id = '', seal = ''")
    _, broken = verify()
    assert broken is not None and "never introduced" in broken.problem


def test_a_cut_tail_with_the_head_moved_back_is_found(world: World, personas: Personas) -> None:
    made = _some_events(personas, world)
    _tamper("DELETE FROM audit_auditevent WHERE id >= %s", [made[3].pk])
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE audit_chainhead SET last_hash = %s, last_event_id = %s",
            [made[2].hash, made[2].pk],
        )
    _, broken = verify()
    assert broken is not None and "moved without the key" in broken.problem


@pytest.fixture
def own_keys(own_audit_keys: Any) -> Any:
    return own_audit_keys


def test_a_rotation_is_chained_and_old_events_still_verify(
    world: World, personas: Personas, own_keys: Any
) -> None:
    from hoso.audit import keys

    before = _some_events(personas, world, 2)
    old = keys.newest(keys.ring())
    call_command("audit", "rotate-key")
    after = _some_events(personas, world, 2)
    new = keys.newest(keys.ring())
    assert old is not None and new is not None and new.id > old.id
    assert {e.key_id for e in before} == {old.id} and {e.key_id for e in after} == {new.id}
    introduced = AuditEvent.objects.filter(event_type=events.KEY_INTRODUCED.code).order_by("id")
    assert [e.details["key_id"] for e in introduced] == [old.id, new.id]
    assert introduced.last().key_id == old.id  # the rotation made under the key before it
    assert verify()[1] is None
    # The key in use lost: nothing more is written (fail closed), and the check says so.
    (own_keys / f"{new.id}{keys.SUFFIX}").unlink()
    (own_keys / f"{new.id}{keys.PUBLIC_SUFFIX}").unlink()
    with pytest.raises(RuntimeError, match="is missing"):
        _some_events(personas, world, 1)
    _, broken = verify()
    assert broken is not None and "not in the key directory" in broken.problem
