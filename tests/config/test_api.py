"""What every API endpoint shares (`hoso.lib.api`): ids bounded to 64 bits, bad input as a
JSON 400, and a schema that tells the truth about bodies, pages and errors (issue 10)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command
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
    "outgoing-documents",
    "incoming-documents",
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
        {
            "persons": ["x"],
            "addressees": [-(2**65), 2**70],
            "questions": "?",
            "sent_on": "2026-03-12",
        },
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


def _schema(user: Any) -> dict[str, Any]:
    response = _client(user).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return dict(json.loads(response.content))


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_the_member_list_is_described_as_its_keyset_page(world: World, personas: Personas) -> None:
    schema = _schema(personas.clerk_a)
    ok = schema["paths"]["/api/v1/members/"]["get"]["responses"]["200"]
    page = _resolve(schema, ok["content"]["application/json"]["schema"])
    assert page["type"] == "object"  # it said "array"
    assert set(page["properties"]) == {"next", "results"}
    assert set(page["required"]) == {"next", "results"}
    assert page["properties"]["next"]["nullable"] is True
    member = _resolve(schema, page["properties"]["results"]["items"])
    # Every field is in every answer, so each is required; nullable ones say so.
    assert set(member["required"]) == set(member["properties"])
    assert member["properties"]["citizen_id"]["nullable"] is True
    body = _client(personas.clerk_a).get("/api/v1/members/").json()
    assert set(body) == {"next", "results"}


def test_every_operation_documents_its_error_answers(world: World, personas: Personas) -> None:
    schema = _schema(personas.clerk_a)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403"} <= codes, (method, path)
            if "{id}" in path:
                assert "404" in codes, (method, path)
            if method == "post" or any(p["in"] == "query" for p in operation.get("parameters", [])):
                assert "400" in codes, (method, path)
            assert codes & {"200", "201"}, (method, path)


def test_request_bodies_mark_their_required_fields(world: World, personas: Personas) -> None:
    schema = _schema(personas.clerk_a)
    paths = schema["paths"]
    bodies = {
        ("/api/v1/orgs/", "post"): {"parent_id", "name", "code", "level"},
        ("/api/v1/orgs/{id}/close/", "post"): {"closed_on", "reason"},
        ("/api/v1/cases/{id}/move/", "post"): {"move"},
        ("/api/v1/cases/{id}/requests/", "post"): {"persons", "addressees", "questions", "sent_on"},
    }
    for (path, method), required in bodies.items():
        body = paths[path][method]["requestBody"]["content"]["application/json"]["schema"]
        assert set(_resolve(schema, body)["required"]) == required, path
    ids = paths["/api/v1/members/{id}/"]["get"]["parameters"][0]["schema"]
    assert ids == {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def test_the_schema_generates_without_warnings(tmp_path: Any) -> None:
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))


# Found by the fuzz (tests/fuzz), each a 500 before.


def test_a_nul_character_in_a_query_parameter_is_a_400(world: World, personas: Personas) -> None:
    """PostgreSQL refuses NUL in text ("cannot contain NUL (0x00) bytes"): ?code=\\x00 was a 500."""
    client = _client(personas.head_p)
    api = client.get("/api/v1/orgs/", {"code": "A\x00"})
    assert api.status_code == 400 and "code" in api.json()
    page = client.get("/cases/", {"org": "\x00"})
    assert page.status_code == 400 and "ký tự NUL" in page.content.decode()


def test_a_second_term_with_the_same_name_is_a_400(world: World, personas: Personas) -> None:
    client = _client(personas.head_p)
    url = f"/api/v1/orgs/{world.commune_a.pk}/terms/"
    first = {"name": "2020-2025", "starts_on": "2020-10-01", "ends_on": "2025-09-30"}
    assert client.post(url, first, "application/json").status_code == 201
    again = {"name": "2020-2025", "starts_on": "2025-10-01"}
    response = client.post(url, again, "application/json")
    assert response.status_code == 400, response.status_code  # was an IntegrityError
    assert "cùng tên" in str(response.json())
