"""API tokens: made by their owner and shown once, stored hashed, scoped, expiring, revocable,
every use audited; a token never reads Tối mật data nor reveals a sealed identity."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hoso.access.models import ApiToken
from hoso.access.roles import Clearance
from hoso.accounts import actions
from hoso.audit.models import AuditEvent
from tests.conftest import Personas, World, client_for


def bearer(text: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}


def test_a_token_is_shown_once_and_stored_hashed(world: World, personas: Personas) -> None:
    officer = personas.officer_a
    client = client_for(officer)
    page = client.post(
        reverse("api-tokens"), {"name": "Hệ thống cán bộ", "scope": "read", "days": 90}
    )
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=officer)
    text = page.context["shown"]
    assert text.startswith(f"hoso_{token.prefix}_") and text in page.content.decode()
    assert token.digest == hashlib.sha256(text.encode()).hexdigest() and text not in token.digest
    assert text not in client.get(reverse("api-tokens")).content.decode()  # never again
    assert (token.expires_at - timezone.now()).days in (89, 90)
    made = AuditEvent.objects.filter(event_type="account.token_created").get()
    assert made.details["name"] == "Hệ thống cán bộ" and text not in str(made.details)


def test_each_use_is_audited_and_a_read_token_only_reads(world: World, personas: Personas) -> None:
    officer = personas.officer_a
    _token, text = actions.create_token(officer, "Đọc", "read", 30)
    client = Client()
    answer = client.get(reverse("api-org-list"), **bearer(text))
    assert answer.status_code == 200
    used = AuditEvent.objects.filter(event_type="api.token_used").get()
    assert used.actor_id == officer.pk and used.details["path"] == reverse("api-org-list")
    refused = client.post(reverse("api-org-rename", args=[world.cell_a.pk]), {"name": "X"},
                          content_type="application/json", **bearer(text))  # fmt: skip
    assert refused.status_code == 403 and "read-only" in refused.content.decode()
    assert client.get(reverse("api-org-list")).status_code == 401  # no token, no session


def test_expired_revoked_and_wrong_tokens_are_refused(world: World, personas: Personas) -> None:
    officer = personas.officer_a
    token, text = actions.create_token(officer, "Hết hạn", "actions", 1)
    client = Client()
    url = reverse("api-org-list")
    assert client.get(url, **bearer(text[:-1] + "x")).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(url, **bearer(text)).status_code == 401
    token2, text2 = actions.create_token(officer, "Thu hồi", "actions", 10)
    assert client.get(url, **bearer(text2)).status_code == 200
    client_for(officer).post(reverse("api-token-revoke", args=[token2.pk]))
    assert client.get(url, **bearer(text2)).status_code == 401
    assert AuditEvent.objects.filter(event_type="account.token_revoked").count() == 1


def test_a_token_never_reaches_top_secret_nor_a_sealed_identity(
    world: World, personas: Personas
) -> None:
    from hoso.access import policy, tokens

    head = personas.head_p
    head.clearance = Clearance.TOP_SECRET
    head.save(update_fields=["clearance"])
    token, _text = actions.create_token(head, "Tích hợp", "actions", 30)
    acting = tokens.acting(ApiToken.objects.select_related("user").get(pk=token.pk))
    assert acting.clearance == Clearance.SECRET
    assert policy.scope_paths(head, "petition.reveal")
    assert policy.scope_paths(acting, "petition.reveal") == ()
    with pytest.raises(RuntimeError, match="not saved"):
        acting.save()


def test_nobody_makes_a_token_for_someone_else(world: World, personas: Personas) -> None:
    token, _text = actions.create_token(personas.officer_b, "B", "read", 30)
    answer = client_for(personas.officer_a).post(reverse("api-token-revoke", args=[token.pk]))
    assert answer.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    with pytest.raises(ValueError):
        actions.create_token(personas.officer_a, "", "read", 30)
    with pytest.raises(ValueError):
        actions.create_token(personas.officer_a, "X", "read", 400)
