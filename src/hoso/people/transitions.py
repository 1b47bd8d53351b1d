"""The member life cycle as data: {status: {move: next status}}, plus guards."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

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

_ENDINGS = {Move.DIE: S.DECEASED, Move.LEAVE: S.LEFT}
TRANSITIONS: dict[str, dict[Move, str]] = {
    S.CANDIDATE: {Move.ADMIT: S.PROBATIONARY},
    S.PROBATIONARY: {
        Move.CEREMONY: S.PROBATIONARY,
        Move.RECOGNIZE: S.OFFICIAL,
        Move.SUSPEND: S.SUSPENDED,
        **_ENDINGS,
    },
    S.OFFICIAL: {Move.EXEMPT: S.EXEMPTED, Move.SUSPEND: S.SUSPENDED, **_ENDINGS},
    S.EXEMPTED: {Move.END_EXEMPTION: S.OFFICIAL, **_ENDINGS},
    S.SUSPENDED: {Move.REINSTATE: S.OFFICIAL, **_ENDINGS},
}

# Moves that only make sense in a certain state of the record, and why they are refused.
NEEDS_DECISION = {Move.ADMIT, Move.RECOGNIZE, Move.SUSPEND, Move.LEAVE, Move.EXEMPT}


class IllegalMove(ValueError):
    pass


def next_status(member: Member, move: Move) -> str:
    try:
        return TRANSITIONS[member.status][move]
    except KeyError:
        raise IllegalMove(
            _("“%(move)s” is not possible for a member whose status is “%(status)s”.")
            % {"move": LABELS[move], "status": member.get_status_display()}
        ) from None


def guard(member: Member, move: Move, date: dt.date) -> None:
    """Refuse a move that the record does not allow yet (raises IllegalMove)."""
    next_status(member, move)
    if move is Move.CEREMONY and member.ceremony_on is not None:
        raise IllegalMove(_("The admission ceremony is already recorded."))
    if move is Move.CEREMONY and member.admitted_on and date < member.admitted_on:
        raise IllegalMove(_("The ceremony cannot precede the admission decision."))
    if move is Move.RECOGNIZE:
        if member.ceremony_on is None:
            raise IllegalMove(_("Record the admission ceremony first."))
        if date < probation_end(member.ceremony_on):
            raise IllegalMove(
                _("The 12 months of probation end on %(day)s.")
                % {"day": probation_end(member.ceremony_on).strftime("%d/%m/%Y")}
            )


def possible_moves(member: Member) -> list[Move]:
    moves = list(TRANSITIONS.get(member.status, {}))
    if member.ceremony_on is not None and Move.CEREMONY in moves:
        moves.remove(Move.CEREMONY)
    if member.ceremony_on is None and Move.RECOGNIZE in moves:
        moves.remove(Move.RECOGNIZE)
    return moves
