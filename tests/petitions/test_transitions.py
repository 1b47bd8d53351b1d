"""The handling table walked: every move from every state it leaves is made or refused with a
message; any other move, from any state, is refused."""

from __future__ import annotations

import pytest

from hoso.documents.models import DocumentKind
from hoso.petitions import actions
from hoso.petitions.models import Petition, State
from hoso.petitions.transitions import PETITIONS
from tests.conftest import World
from tests.petitions.test_petitions import classify, receive
from tests.vetting.office import D, Office
from tests.walk import made_or_refused, undeclared_refused


def petition_in(office: Office, world: World, state: str) -> Petition:
    """A denunciation within the office's competence, classified, then put in `state`."""
    petition = classify(office, receive(office, world))
    Petition.objects.filter(pk=petition.pk).update(state=state)
    petition.refresh_from_db()
    return petition


@pytest.mark.counts_stale  # the setup puts records in a state around the models
@pytest.mark.parametrize("move", list(PETITIONS.moves))
def test_each_move_from_each_state_it_leaves(move: str, office: Office, world: World) -> None:
    DocumentKind.objects.get_or_create(code="CV", defaults={"name": "Công văn"})

    def make(petition: Petition) -> None:
        actions.move(
            office.head,
            petition,
            move,
            on=D(2026, 4, 2),
            note="Lý do ghi nhận",
            to="Ủy ban Kiểm tra Tỉnh ủy",
            outcome="partly",
            text="Đúng một phần",
            reference="3-KL/ĐU",
        )

    sources = PETITIONS.moves[move].sources
    made = [made_or_refused(PETITIONS, petition_in(office, world, s), move, make) for s in sources]
    assert any(made), f"{move} was made from none of its states"


def test_every_other_move_is_refused() -> None:
    undeclared_refused(PETITIONS, Petition(), State.values)
