from __future__ import annotations

from django.urls import reverse

from hoso.audit import events
from hoso.audit.models import AuditEvent
from tests.conftest import Personas, World, client_for, record_event, xlsx_cells


def _seed(world: World, personas: Personas) -> None:
    record_event(
        events.ORG_RENAMED.code, actor=personas.head_p, obj=world.commune_a, reason="EVT-A"
    )
    record_event(
        events.ORG_RENAMED.code, actor=personas.head_p, obj=world.commune_b, reason="EVT-ZZB"
    )
    record_event(events.LOGIN_FAILED.code, details={"username": "ghost"}, reason="EVT-NOORG")


def test_auditor_sees_own_scope_only(world: World, personas: Personas) -> None:
    _seed(world, personas)
    body = client_for(personas.auditor_a).get(reverse("audit-list")).content.decode()
    assert "EVT-A" in body and "EVT-ZZB" not in body and "EVT-NOORG" not in body
    body = client_for(personas.auditor_p).get(reverse("audit-list")).content.decode()
    assert "EVT-A" in body and "EVT-ZZB" in body


def test_root_auditor_sees_events_without_organization(world: World) -> None:
    from tests.conftest import make_user

    root_auditor = make_user("root_auditor", world.root, "auditor")
    record_event(events.LOGIN_FAILED.code, details={"username": "ghost"}, reason="EVT-NOORG")
    body = client_for(root_auditor).get(reverse("audit-list")).content.decode()
    assert "EVT-NOORG" in body


def test_non_auditors_get_404(world: World, personas: Personas) -> None:
    for user in (personas.head_p, personas.admin_root, personas.clerk_a):
        assert client_for(user).get(reverse("audit-list")).status_code == 404
        assert client_for(user).get(reverse("audit-export")).status_code == 404


def test_filters_and_export_are_audited(world: World, personas: Personas) -> None:
    _seed(world, personas)
    client = client_for(personas.auditor_p)
    body = client.get(reverse("audit-list"), {"event_type": "org.renamed"}).content.decode()
    assert "EVT-A" in body
    record_event(
        events.ORG_RENAMED.code, actor=personas.head_p, obj=world.commune_a,
        reason="=cmd|' /C calc'!A0",
    )  # fmt: skip
    response = client.get(reverse("audit-export"), {"event_type": "org.renamed"})
    rows = [[c.value for c in row] for row in xlsx_cells(response.content)]
    assert rows[0][:4] == ["id", "time", "actor", "event"]
    assert len(rows) == 4  # header + the three renames in scope
    assert rows[1][8] == "=cmd|' /C calc'!A0"  # kept as typed, and text (xlsx_cells checks)
    exported = AuditEvent.objects.filter(event_type="audit.exported").get()
    assert exported.actor == personas.auditor_p
    assert exported.details == {"event_type": "org.renamed"}


def test_keyset_pagination(world: World, personas: Personas) -> None:
    for i in range(105):
        record_event(
            events.ORG_RENAMED.code, actor=personas.head_p, obj=world.commune_a, reason=f"R{i}"
        )
    client = client_for(personas.auditor_p)
    first = client.get(reverse("audit-list"), {"event_type": "org.renamed"})
    assert len(first.context["events"]) == 100
    before = first.context["next_before"]
    second = client.get(reverse("audit-list"), {"event_type": "org.renamed", "before": before})
    assert [e.reason for e in second.context["events"]] == ["R4", "R3", "R2", "R1", "R0"]
    assert second.context["next_before"] is None


def test_filter_by_organization_subtree(world: World, personas: Personas) -> None:
    _seed(world, personas)
    record_event(
        events.ORG_RENAMED.code, actor=personas.head_p, obj=world.cell_a, reason="EVT-CELL"
    )
    client = client_for(personas.auditor_p)
    rows = client.get(reverse("audit-list"), {"organization": "dua"}).context["events"]
    assert {e.reason for e in rows} == {"EVT-A", "EVT-CELL"}
    assert not client.get(reverse("audit-list"), {"organization": "NOPE"}).context["events"]
