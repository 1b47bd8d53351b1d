"""`/api/v1/notifications/`: the caller's own notifications, and marking them read."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hoso.access.models import User
from hoso.notices import api
from hoso.notices.models import Notification
from tests.conftest import Personas, World, client_for

URL = "/api/v1/notifications/"
READ = "/api/v1/notifications/read/"


def _notify(user: User, key: str, text: str, *, read: bool = False) -> Notification:
    return Notification.objects.create(
        user=user, key=key, text=text, url="/cases/1/", read_at=timezone.now() if read else None
    )


@pytest.fixture
def inboxes(world: World, personas: Personas) -> dict[str, Notification]:
    clerk, other = personas.clerk_a, personas.officer_a
    return {
        "old": _notify(clerk, "a", "Hồ sơ 1 sắp đến hạn", read=True),
        "mid": _notify(clerk, "b", "Hồ sơ 2 sắp đến hạn"),
        "new": _notify(clerk, "c", "Hồ sơ 3 quá hạn"),
        "theirs": _notify(other, "a", "ZZB thông báo của người khác"),
        "theirs_read": _notify(other, "d", "ZZB đã đọc", read=True),
    }


def _ids(client: Client, **params: Any) -> list[int]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_own_notifications_newest_first(
    inboxes: dict[str, Notification], personas: Personas
) -> None:
    n = inboxes
    client = client_for(personas.clerk_a)
    assert _ids(client) == [n["new"].pk, n["mid"].pk, n["old"].pk]
    row = client.get(URL).json()["results"][0]
    assert set(row) == {"id", "text", "url", "created_at", "read_at"}
    assert row["text"] == "Hồ sơ 3 quá hạn" and row["read_at"] is None
    assert "ZZB" not in client.get(URL).content.decode()
    # Another user's inbox holds only their own; one with none, nothing.
    assert _ids(client_for(personas.officer_a)) == [n["theirs_read"].pk, n["theirs"].pk]
    assert _ids(client_for(personas.nobody)) == []
    assert Client().get(URL).status_code == 401


@pytest.mark.parametrize("flag", ["1", "true", "True"])
def test_unread_only(inboxes: dict[str, Notification], personas: Personas, flag: str) -> None:
    client = client_for(personas.clerk_a)
    assert _ids(client, unread=flag) == [inboxes["new"].pk, inboxes["mid"].pk]


@pytest.mark.parametrize("flag", ["0", "false", ""])
def test_unread_no_is_everything(
    inboxes: dict[str, Notification], personas: Personas, flag: str
) -> None:
    assert len(_ids(client_for(personas.clerk_a), unread=flag)) == 3


@pytest.mark.parametrize("flag", ["yes", "2", "-1"])
def test_a_bad_unread_flag_is_a_400(
    inboxes: dict[str, Notification], personas: Personas, flag: str
) -> None:
    response = client_for(personas.clerk_a).get(URL, {"unread": flag})
    assert response.status_code == 400 and list(response.json()) == ["unread"]


def test_pages_follow_the_cursor(
    inboxes: dict[str, Notification], personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api.NewestFirst, "page_size", 2)
    client = client_for(personas.clerk_a)
    first = client.get(URL).json()
    second = client.get(first["next"]).json()
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert ids == [inboxes["new"].pk, inboxes["mid"].pk, inboxes["old"].pk]
    assert second["next"] is None


def test_mark_read_marks_only_the_callers_own(
    inboxes: dict[str, Notification], personas: Personas
) -> None:
    client = client_for(personas.clerk_a)
    response = client.post(READ)
    assert response.status_code == 200 and response.json() == {"marked": 2}
    assert _ids(client, unread="1") == []
    assert client.post(READ).json() == {"marked": 0}
    inboxes["theirs"].refresh_from_db()
    assert inboxes["theirs"].read_at is None  # another user's stays unread
    inboxes["old"].refresh_from_db()
    assert inboxes["old"].read_at is not None
    assert client.get(READ).status_code == 405
    assert Client().post(READ).status_code == 401


def test_mark_read_needs_the_csrf_token(
    inboxes: dict[str, Notification], personas: Personas
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.clerk_a)
    assert client.post(READ).status_code == 403
    assert Notification.objects.filter(user=personas.clerk_a, read_at__isnull=True).count() == 2
