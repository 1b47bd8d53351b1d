"""What every API endpoint shares (`hoso.config.api`): ids bounded to 64 bits, bad input as a
JSON 400, and a schema that tells the truth about bodies, pages and errors (issue 10)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hoso.lib.bounds import MAX_ID
from tests.conftest import Personas, World, client_for
from tests.vetting.office import Office, open_case

TOO_BIG = [str(MAX_ID + 1), "99999999999999999999"]
OBJECT_ROUTES = [
    "orgs",
    "members",
    "audit-events",
    "cases",
    "verification-requests",
    "petitions",
    "trips",
    "foreign-relations",
]


def _client(user: Any) -> Client:
    client = client_for(user)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("route", OBJECT_ROUTES)
def test_an_id_beyond_64_bits_is_a_json_404(world: World, personas: Personas, route: str) -> None:
    client = _client(personas.head_p)
    for pk in TOO_BIG:
        response = client.get(f"/api/v1/{route}/{pk}/")
        assert response.status_code == 404, (route, pk)
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"]


def test_actions_on_an_id_beyond_64_bits_are_404(world: World, personas: Personas) -> None:
    client = _client(personas.head_p)
    for path in ("orgs/{}/rename/", "cases/{}/move/", "cases/{}/requests/"):
        response = client.post(f"/api/v1/{path.format(TOO_BIG[0])}", {}, "application/json")
        assert response.status_code == 404, path


def test_pages_with_an_id_beyond_64_bits_are_404(world: World, personas: Personas) -> None:
    client = _client(personas.head_p)
    for path in ("/members/{}/", "/orgs/{}/", "/cases/{}/", "/petitions/{}/"):
        assert client.get(path.format(TOO_BIG[0])).status_code == 404, path


def test_ids_in_bodies_and_filters_beyond_64_bits_are_400(office: Office, world: World) -> None:
    case = open_case(office, world)
    client = _client(office.officer)
    issued = client.post(
        f"/api/v1/cases/{case.pk}/requests/",
        {"persons": ["x"], "addressees": [-(2**65), 2**70], "questions": "?", "sent_on": "2026-03-12"},
        "application/json",
    )
    assert issued.status_code == 400 and "addressees" in issued.json()
    listed = client.get("/api/v1/verification-requests/", {"case": TOO_BIG[1]})
    assert listed.status_code == 400 and "case" in listed.json()
    created = _client(office.head).post(
        "/api/v1/orgs/",
        {"parent_id": 2**64, "name": "X", "code": "X1", "level": "cell"},
        "application/json",
    )
    assert created.status_code == 400 and "parent_id" in created.json()


def test_dates_in_bodies_are_within_a_plausible_range(office: Office, world: World) -> None:
    client = _client(office.head)
    for day in ("9999-12-31", "0210-09-03"):
        response = client.post(
            f"/api/v1/orgs/{world.commune_a.pk}/close/",
            {"closed_on": day, "reason": "thử"},
            "application/json",
        )
        assert response.status_code == 400 and "closed_on" in response.json(), day
