"""The member life cycle as data: {move: (statuses it leaves from, next status)}, plus guards."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.models import User
from hoso.lib.workflow import IllegalMove as IllegalMove  # raised by the actions too
from hoso.lib.workflow import Transition, Workflow
from hoso.people.models import EventKind, Member
from hoso.people.models import MemberStatus as S
from hoso.people.rules import probation_end


class Move(StrEnum):
    ADMIT = "admit"
    CEREMONY = "ceremony"
    RECOGNIZE = "recognize"
    EXEMPT = "exempt"
    END_EXEMPTION = "end_exemption"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    DIE = "die"
    LEAVE = "leave"


LABELS = {
    Move.ADMIT: _("Record the admission decision"),
    Move.CEREMONY: _("Record the admission ceremony"),
    Move.RECOGNIZE: _("Recognise as official member"),
    Move.EXEMPT: _("Exempt from activity"),
    Move.END_EXEMPTION: _("End the exemption"),
    Move.SUSPEND: _("Suspend"),
    Move.REINSTATE: _("Lift the suspension"),
    Move.DIE: _("Record a death"),
    Move.LEAVE: _("Record leaving the Party"),
}

EVENTS = {
    Move.ADMIT: EventKind.ADMISSION,
    Move.CEREMONY: EventKind.CEREMONY,
    Move.RECOGNIZE: EventKind.OFFICIAL,
    Move.EXEMPT: EventKind.EXEMPTION,
    Move.END_EXEMPTION: EventKind.EXEMPTION_END,
    Move.SUSPEND: EventKind.SUSPENSION,
    Move.REINSTATE: EventKind.REINSTATEMENT,
    Move.DIE: EventKind.DEATH,
    Move.LEAVE: EventKind.LEFT,
}


def _no_ceremony_yet(member: Member) -> str | None:
    if member.ceremony_on is not None:
        return gettext("The admission ceremony is already recorded.")
    return None


def _ceremony_held(member: Member) -> str | None:
    if member.ceremony_on is None:
        return gettext("Record the admission ceremony first.")
    return None


def _may(user: User, action: str, member: Member) -> bool:
    return policy.can(user, action, member.organization)


MANAGE = policy.Action.MEMBER_MANAGE
_CURRENT = (S.PROBATIONARY, S.OFFICIAL, S.EXEMPTED, S.SUSPENDED)
LIFE = Workflow[Member, Move](
    moves={
        Move.ADMIT: Transition((S.CANDIDATE,), S.PROBATIONARY, MANAGE),
        Move.CEREMONY: Transition((S.PROBATIONARY,), S.PROBATIONARY, MANAGE, (_no_ceremony_yet,)),
        Move.RECOGNIZE: Transition((S.PROBATIONARY,), S.OFFICIAL, MANAGE, (_ceremony_held,)),
        Move.EXEMPT: Transition((S.OFFICIAL,), S.EXEMPTED, MANAGE),
        Move.END_EXEMPTION: Transition((S.EXEMPTED,), S.OFFICIAL, MANAGE),
        Move.SUSPEND: Transition((S.PROBATIONARY, S.OFFICIAL), S.SUSPENDED, MANAGE),
        Move.REINSTATE: Transition((S.SUSPENDED,), S.OFFICIAL, MANAGE),
        Move.DIE: Transition(_CURRENT, S.DECEASED, MANAGE),
        Move.LEAVE: Transition(_CURRENT, S.LEFT, MANAGE),
    },
    may=_may,
    refusal=_("“%(move)s” is not possible for a member whose status is “%(status)s”."),
    attr="status",
    labels=LABELS,
    hide_refused=True,  # no ceremony button once it is recorded, no recognition before it
)

# Moves that only make sense in a certain state of the record, and why they are refused.
NEEDS_DECISION = {Move.ADMIT, Move.RECOGNIZE, Move.SUSPEND, Move.LEAVE, Move.EXEMPT}


def guard(member: Member, move: Move, date: dt.date) -> None:
    """Refuse a move that the record or its date does not allow (raises IllegalMove)."""
    LIFE.check(member, move)
    if move is Move.CEREMONY and member.admitted_on and date < member.admitted_on:
        raise IllegalMove(_("The ceremony cannot precede the admission decision."))
    if move is Move.RECOGNIZE and member.ceremony_on and date < probation_end(member.ceremony_on):
        raise IllegalMove(
            _("The 12 months of probation end on %(day)s.")
            % {"day": probation_end(member.ceremony_on).strftime("%d/%m/%Y")}
        )
