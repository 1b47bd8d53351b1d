"""The acting context: what the audit row takes from the request without actions carrying it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hoso.audit.models import AuditEvent
from hoso.lib import context
from tests.conftest import PASSWORD, Personas, World, record_event


def test_a_request_leaves_its_address_on_the_events_it_writes(
    world: World, personas: Personas
) -> None:
    client = Client(REMOTE_ADDR="10.1.2.3")
    client.post(reverse("login"), {"username": "clerk_a", "password": PASSWORD})
    client.post(reverse("logout"))
    rows = list(
        AuditEvent.objects.exclude(event_type="audit.key_introduced")
        .order_by("id")
        .values_list("event_type", "ip")
    )
    assert rows == [("auth.login", "10.1.2.3"), ("auth.logout", "10.1.2.3")]


def test_the_context_ends_with_its_block_even_on_error(world: World) -> None:
    acting = context.acting(None, address="10.0.0.9", channel="web", reason="kiểm tra")
    with pytest.raises(ZeroDivisionError), acting:
        assert context.current().address == "10.0.0.9"
        record_event("auth.logout")
        _ = 1 / 0
    assert context.current() == context.Context()
    event = AuditEvent.objects.exclude(event_type="audit.key_introduced").get()  # after the key's
    assert (event.ip, event.reason) == ("10.0.0.9", "kiểm tra")
    # Outside any request or command the system acts: no address is invented.
    record_event("auth.logout")
    assert AuditEvent.objects.order_by("-id").values_list("ip", flat=True)[0] is None
