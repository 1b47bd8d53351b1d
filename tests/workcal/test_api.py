"""`/api/v1/calendar/?year=`: the special days of a year, for everyone signed in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from hoso.workcal.models import SpecialDay
from tests.conftest import Personas, World, client_for

URL = "/api/v1/calendar/"


def test_a_year_of_special_days_in_date_order(world: World, personas: Personas) -> None:
    body = client_for(personas.clerk_a).get(URL, {"year": "2026"}).json()
    assert body["year"] == 2026
    dates = [day["date"] for day in body["days"]]
    assert dates == sorted(dates) and all(d.startswith("2026-") for d in dates)
    tet = [day for day in body["days"] if day["name"] == "Tết Nguyên đán Bính Ngọ"]
    assert [day["date"] for day in tet] == [f"2026-02-{d}" for d in range(16, 21)]
    assert set(tet[0]) == {"id", "date", "kind", "name", "confirmed"}
    assert tet[0]["kind"] == "holiday" and tet[0]["confirmed"] is False
    assert len(body["days"]) == SpecialDay.objects.filter(date__year=2026).count()


def test_substituted_working_days_are_listed(world: World, personas: Personas) -> None:
    days = client_for(personas.clerk_a).get(URL, {"year": "2025"}).json()["days"]
    working = [day for day in days if day["kind"] == "working"]
    assert {"date": "2025-04-26", "kind": "working"}.items() <= working[0].items()


def test_default_is_this_year_and_an_empty_year_is_empty(world: World, personas: Personas) -> None:
    client = client_for(personas.clerk_a)
    this_year = timezone.localdate().year
    assert client.get(URL).json()["year"] == this_year
    assert client.get(URL, {"year": ""}).json()["year"] == this_year
    assert client.get(URL, {"year": "2100"}).json() == {"year": 2100, "days": []}


def test_everyone_signed_in_reads_it(world: World, personas: Personas) -> None:
    SpecialDay.objects.create(date=dt.date(2026, 9, 3), kind="holiday", name="Nghỉ thêm")
    for user in (personas.nobody, personas.auditor_a, personas.officer_b, personas.admin_root):
        days = client_for(user).get(URL, {"year": "2026"}).json()["days"]
        assert "2026-09-03" in [day["date"] for day in days], user
    assert Client().get(URL).status_code == 401


@pytest.mark.parametrize("year", ["1899", "2101", "99999", "-1", "2026.5", "năm nay"])
def test_a_bad_year_is_a_400_that_says_why(world: World, personas: Personas, year: str) -> None:
    response = client_for(personas.clerk_a).get(URL, {"year": year})
    assert response.status_code == 400
    assert list(response.json()) == ["year"]
    assert "1900" in response.json()["year"][0] and "2100" in response.json()["year"][0]


def test_it_only_reads(world: World, personas: Personas) -> None:
    client = client_for(personas.admin_root)
    assert client.post(URL, {"date": "2026-12-31"}, "application/json").status_code == 405


def test_the_schema_describes_one_year_not_a_list(world: World, personas: Personas) -> None:
    schema = client_for(personas.clerk_a).get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"][URL]["get"]
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/CalendarYear"}
    year = schema["components"]["schemas"]["CalendarYear"]
    assert set(year["required"]) == {"year", "days"}
    assert {"200", "400", "401", "403"} == set(operation["responses"])
