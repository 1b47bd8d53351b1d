"""A private trip abroad and a long stay abroad as data: {move: (states it leaves from, the
state it leads to, the action it needs)} and what the record needs.

A trip: request → opinion of the cell → decision of the committee (approve or refuse) → notice
to the member → departure → return → report; cancelled at any point before departure.

A long stay (work or study abroad) is recorded once the member has left: abroad → returned;
cancelled when it was recorded by mistake (with the reason), even after the return.
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.models import User
from hoso.lib.workflow import Transition, Workflow
from hoso.travel.models import Stay, Trip
from hoso.travel.models import StayState as Y
from hoso.travel.models import TripState as S

A = policy.Action


class TravelError(ValueError):
    pass


def _approved(trip: Trip) -> str | None:
    return None if trip.approved else gettext("Only an approved trip can start.")


def _may(user: User, action: str, record: Trip | Stay) -> bool:
    return policy.can(user, action, record.organization)


TRIPS = Workflow[Trip, str](
    moves={
        "opinion": Transition((S.REQUESTED,), S.OPINION, A.TRAVEL_MANAGE),
        "approve": Transition((S.OPINION,), S.APPROVED, A.TRAVEL_DECIDE),
        "refuse": Transition((S.OPINION,), S.REFUSED, A.TRAVEL_DECIDE),
        "notify": Transition((S.APPROVED, S.REFUSED), S.NOTIFIED, A.TRAVEL_MANAGE),
        "depart": Transition((S.NOTIFIED,), S.ABROAD, A.TRAVEL_MANAGE, (_approved,)),
        "return": Transition((S.ABROAD,), S.RETURNED, A.TRAVEL_MANAGE),
        "report": Transition((S.RETURNED,), S.REPORTED, A.TRAVEL_MANAGE),
        "cancel": Transition(
            (S.REQUESTED, S.OPINION, S.APPROVED, S.NOTIFIED), S.CANCELLED, A.TRAVEL_MANAGE
        ),
    },
    may=_may,
    refusal=_("This is not possible while the trip is “%(state)s”."),
    error=TravelError,
)


STAYS = Workflow[Stay, str](
    moves={
        "return": Transition((Y.ABROAD,), Y.RETURNED, A.TRAVEL_MANAGE),
        "cancel": Transition((Y.ABROAD, Y.RETURNED), Y.CANCELLED, A.TRAVEL_MANAGE),
    },
    may=_may,
    refusal=_("This is not possible while the stay is “%(state)s”."),
    error=TravelError,
)
