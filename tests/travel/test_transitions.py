"""The trip table walked: every move from every state it leaves is made or refused with a
message; any other move, from any state, is refused."""

from __future__ import annotations

import pytest

from hoso.travel import actions
from hoso.travel.models import Trip, TripState
from hoso.travel.transitions import TRIPS
from tests.travel.test_travel import request
from tests.vetting.office import D, Office
from tests.walk import made_or_refused, undeclared_refused


def trip_in(office: Office, state: str) -> Trip:
    """A visit to relatives, approved if it was decided, put in `state`."""
    trip = request(office)
    Trip.objects.filter(pk=trip.pk).update(
        state=state, approved=True, decision_number="45-QĐ/ĐU", decision_date=D(2026, 5, 8)
    )
    trip.refresh_from_db()
    return trip


@pytest.mark.parametrize("move", list(TRIPS.moves))
def test_each_move_from_each_state_it_leaves(move: str, office: Office) -> None:
    def make(trip: Trip) -> None:
        actions.move(office.head, trip, move, on=D(2026, 6, 19), text="Ghi nhận", number="45-QĐ/ĐU")

    sources = TRIPS.moves[move].sources
    made = [made_or_refused(TRIPS, trip_in(office, s), move, make) for s in sources]
    assert any(made), f"{move} was made from none of its states"


def test_every_other_move_is_refused() -> None:
    undeclared_refused(TRIPS, Trip(), TripState.values)
