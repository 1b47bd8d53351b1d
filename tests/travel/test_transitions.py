"""The trip and stay tables walked: every move from every state it leaves is made or refused with a
message; any other move, from any state, is refused."""

from __future__ import annotations

import pytest

from hoso.travel import actions
from hoso.travel.models import Stay, StayState, Trip, TripState
from hoso.travel.transitions import STAYS, TRIPS
from tests.travel.test_stays import record as record_stay
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


@pytest.mark.counts_stale  # the setup puts trips in a state around the models
@pytest.mark.parametrize("move", list(TRIPS.moves))
def test_each_move_from_each_state_it_leaves(move: str, office: Office) -> None:
    def make(trip: Trip) -> None:
        actions.move(office.head, trip, move, on=D(2026, 6, 19), text="Ghi nhận", number="45-QĐ/ĐU")

    sources = TRIPS.moves[move].sources
    made = [made_or_refused(TRIPS, trip_in(office, s), move, make) for s in sources]
    assert any(made), f"{move} was made from none of its states"


def test_every_other_move_is_refused() -> None:
    undeclared_refused(TRIPS, Trip(), TripState.values)


def stay_in(office: Office, state: str) -> Stay:
    stay = record_stay(office)
    Stay.objects.filter(pk=stay.pk).update(
        state=state, returned_on=D(2026, 10, 1) if state == StayState.RETURNED else None
    )
    stay.refresh_from_db()
    return stay


STAY_MOVES = {
    "return": lambda office, stay: actions.record_return(office.head, stay, on=D(2026, 11, 2)),
    "cancel": lambda office, stay: actions.cancel_stay(office.head, stay, reason="Ghi nhầm"),
}


def test_every_stay_move_has_its_action() -> None:
    assert set(STAY_MOVES) == set(STAYS.moves)


@pytest.mark.parametrize("move", list(STAYS.moves))
def test_each_stay_move_from_each_state_it_leaves(move: str, office: Office) -> None:
    sources = STAYS.moves[move].sources
    made = [
        made_or_refused(STAYS, stay_in(office, s), move, lambda y: STAY_MOVES[move](office, y))
        for s in sources
    ]
    assert all(made), f"{move} was refused from one of its states"


def test_every_other_stay_move_is_refused() -> None:
    undeclared_refused(STAYS, Stay(), StayState.values)
