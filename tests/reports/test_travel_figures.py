"""Trips abroad approved by purpose, by country and by the traveller's management category,
on trips whose true values are known: two approved in Q2 2026 (one to two countries), one
approved on 1 July (outside), one refused, and the second traveller a cadre."""

from __future__ import annotations

from typing import Any

import pytest

from hoso.lib.periods import parse
from hoso.reports import compute, indicators, reads
from hoso.travel import actions
from hoso.travel.models import Destination, Trip
from tests.cadres.helpers import cadre, category
from tests.conftest import World
from tests.reports.test_figures import member_in
from tests.vetting.office import D, Office, office

__all__ = ["office"]

Q2 = parse("2026-q2")


def trip(o: Office, member: Any, countries: str, decided: Any, *, approve: bool = True) -> Trip:
    found = actions.request_trip(
        o.officer,
        member,
        purpose="private",
        countries=countries,
        planned_from=D(2026, 8, 1),
        planned_to=D(2026, 8, 10),
        funding="self",
        passport_type="ordinary",
        requested_on=D(2026, 4, 1),
    )
    actions.move(o.officer, found, "opinion", on=D(2026, 4, 3), text="Chi bộ đồng ý")
    move = "approve" if approve else "refuse"
    return actions.move(o.head, found, move, on=decided, number="1-QĐ")


@pytest.fixture
def trips(office: Office, world: World) -> Office:
    o = office
    second = member_in(world.cell_a, "Lê", "Minh")
    trip(o, o.member, " Nhật Bản ,  Hàn Quốc", D(2026, 4, 8))
    trip(o, second, "Nhật Bản", D(2026, 6, 30))
    trip(o, second, "Lào", D(2026, 7, 1))  # after the period
    trip(o, o.member, "Pháp", D(2026, 5, 5), approve=False)
    record = cadre(o, world, second)
    record.category = category("BTVXT")
    record.save(update_fields=["category"])  # the casework counters follow the model's save
    return o


def figure(user: Any, code: str, org: Any) -> compute.Figure:
    indicator = indicators.get(code)
    assert indicator is not None
    return compute.compute(user, indicator, org, Q2, parts=True)


def test_a_trip_keeps_its_countries_as_rows_in_the_order_named(trips: Office) -> None:
    first = Trip.objects.get(countries="Nhật Bản, Hàn Quốc")
    rows = list(Destination.objects.filter(trip=first).values_list("position", "country"))
    assert rows == [(0, "Nhật Bản"), (1, "Hàn Quốc")]


def test_countries_count_each_country_of_a_trip(trips: Office, world: World) -> None:
    countries = figure(trips.head, "trips.approved_by_country", world.commune_a)
    assert {c.value: c.n for c in countries.categories} == {"Nhật Bản": 2, "Hàn Quốc": 1}
    assert countries.total == 3  # three countries of two trips: not the number of trips
    assert figure(trips.head, "trips.approved", world.commune_a).total == 2
    # The drill-down lists the two trips to Japan, each linked to its trip.
    indicator = indicators.REGISTRY["trips.approved_by_country"]
    count, rows = reads.drill(trips.head, indicator, world.commune_a, Q2, value="Nhật Bản")
    assert count == 2
    assert sorted(r.trip.decision_date for r in rows) == [D(2026, 4, 8), D(2026, 6, 30)]
    assert indicator.link_for(rows[0]) == f"/travel/{rows[0].trip_id}/"


def test_the_management_category_of_the_traveller(trips: Office, world: World) -> None:
    found = figure(trips.head, "trips.approved_by_category", world.commune_a)
    counts = {c.value: c.n for c in found.categories if c.n}
    assert counts == {"BTVXT": 1, None: 1}  # the cadre's trip; the other member is no cadre
    labels = {c.value: str(c.label) for c in found.categories}
    assert labels["BTVXT"] == "Diện BTVXT quản lý"


def test_no_trip_figure_outside_the_viewers_scope(trips: Office, world: World) -> None:
    indicator = indicators.REGISTRY["trips.approved_by_country"]
    assert not compute.may_see(trips.officer, indicator, world.province)
    assert compute.may_see(trips.officer, indicator, world.commune_a)
