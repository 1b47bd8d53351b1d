"""The handling of a petition after its classification, as data: {move: (states it leaves
from, the state it leads to)}, who may make it, and the record it needs.

Classification itself (received → classified or not handled) applies the rules of the field
in `actions.classify`.
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.models import User
from hoso.lib.workflow import Transition, Workflow
from hoso.petitions.models import Petition
from hoso.petitions.models import State as S


class PetitionError(ValueError):
    pass


def _competent(petition: Petition) -> str | None:
    if petition.within_competence:
        return None
    return gettext("Outside this office's competence: forward it.")


def _may(user: User, action: str, petition: Petition) -> bool:
    return policy.can(user, action, petition.organization, petition.classification)


MANAGE = policy.Action.PETITION_MANAGE
PETITIONS = Workflow[Petition, str](
    moves={
        "accept": Transition((S.CLASSIFIED,), S.ACCEPTED, MANAGE, (_competent,)),
        "forward": Transition((S.CLASSIFIED,), S.FORWARDED, MANAGE),
        "not_handle": Transition((S.CLASSIFIED,), S.NOT_HANDLED, MANAGE),
        "verify": Transition((S.ACCEPTED,), S.VERIFYING, MANAGE),
        "conclude": Transition((S.VERIFYING,), S.CONCLUDED, MANAGE),
        "notify": Transition((S.CONCLUDED,), S.NOTIFIED, MANAGE),
        "close": Transition((S.NOTIFIED, S.NOT_HANDLED, S.FORWARDED), S.CLOSED, MANAGE),
    },
    may=_may,
    refusal=_("This is not possible while the petition is “%(state)s”."),
    error=PetitionError,
    hide_refused=True,  # a petition outside the office's competence is not offered "accept"
)
