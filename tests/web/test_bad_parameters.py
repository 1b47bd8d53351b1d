"""Every page that reads a year, a number, a date or a record id from its query string answers a
bad value with 400 and a message saying what is expected: never a server error (issue 10)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import Personas, World, client_for

HUGE, NEGATIVE, TEXT = "99999", "-3", "abc"
HUGE_ID = "99999999999999999999"  # beyond 2**63-1: overflowed SQLite before

# (persona, path, parameter, bad values); each page also has its happy default checked.
PAGES = [
    ("clerk_a", "/members/registers/transfers/", "year", [HUGE, NEGATIVE, TEXT]),
    ("clerk_a", "/calendar/", "year", [HUGE, NEGATIVE, TEXT]),
    ("clerk_a", "/members/supplements/", "year", [HUGE, NEGATIVE, TEXT]),
    ("head_p", "/members/reconciliation/", "year", [HUGE, NEGATIVE, TEXT]),
    ("head_p", "/members/reconciliation/", "quarter", ["5", "0", NEGATIVE, TEXT]),
    ("officer_a", "/cases/requests/", "addressee", [HUGE_ID, NEGATIVE, TEXT]),
    ("officer_a", "/cases/requests/", "from", ["9999-12-31", "2026-13-01", TEXT]),
    ("clerk_a", "/travel/", "to", ["0001-01-01", TEXT]),
    ("clerk_a", "/petitions/", "from", ["99999-01-01", TEXT]),
    ("officer_a", "/cases/new/", "member", [HUGE_ID, NEGATIVE, TEXT]),
    ("officer_a", "/cases/new/", "petition", [HUGE_ID, TEXT]),
    ("clerk_a", "/travel/new/", "member", [HUGE_ID, TEXT]),
    ("clerk_a", "/petitions/new/", "member", [HUGE_ID, TEXT]),
]


def _client(personas: Personas, name: str) -> Client:
    client = client_for(getattr(personas, name))
    client.raise_request_exception = False  # a 500 is an answer to assert on, not a crash
    return client


@pytest.mark.parametrize(("persona", "path", "name", "values"), PAGES)
def test_a_bad_parameter_is_a_clear_400(
    world: World, personas: Personas, persona: str, path: str, name: str, values: list[str]
) -> None:
    client = _client(personas, persona)
    for value in values:
        response = client.get(path, {name: value})
        assert response.status_code == 400, (path, name, value, response.status_code)
        # The message names the parameter, in Vietnamese (the default language).
        assert f"“{name}”" in response.content.decode(), (path, value)
        assert "phải là" in response.content.decode()


@pytest.mark.parametrize("path", sorted({p for _, p, _, _ in PAGES} - {"/travel/new/"}))
def test_without_the_parameter_the_page_still_opens(
    world: World, personas: Personas, path: str
) -> None:
    persona = next(p for p, page, _, _ in PAGES if page == path)
    assert _client(personas, persona).get(path).status_code == 200


def test_keyset_cursors_beyond_64_bits_start_from_the_top(world: World, personas: Personas) -> None:
    client = _client(personas, "officer_a")
    assert client.get("/members/", {"after": f"AAAA.{HUGE_ID}"}).status_code == 200
    assert client.get("/cases/", {"after": f"2026-01-01.{HUGE_ID}"}).status_code == 200


def test_audit_dates_at_the_end_of_the_calendar_are_refused(
    world: World, personas: Personas
) -> None:
    client = _client(personas, "auditor_p")
    response = client.get("/audit/", {"date_to": "9999-12-31"})
    assert response.status_code == 200  # was a 500: 9999-12-31 + 1 day overflowed
    assert "Nhập ngày từ" in str(response.context["form"].errors["date_to"])


def test_the_api_answers_a_bad_filter_with_a_json_400(world: World, personas: Any) -> None:
    client = _client(personas, "officer_a")
    response = client.get("/api/v1/verification-requests/", {"case": HUGE_ID})
    assert response.status_code == 400
    assert "case" in response.json()
