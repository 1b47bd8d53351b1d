"""What falls due in the member life cycle, for the worker (notices/due.py). Registered from
PeopleConfig.ready().

- admission: a probationary member's next step. The ceremony is due 30 working days after the
  admission decision (warned 3 days before); once it is held, official recognition is to be
  considered when the 12 months of probation end (warned that day) and is due 30 working days
  later (people/rules.py). Both dates are stored on the member and never set together.
- transfer: a member introduced to an organization in hoso is to present the letter there
  within 30 working days; the receiving organization records it (accepts the transfer).

Those told are the accounts that may act (member.manage) nearest to the organization:
`access.policy.responsible`.

The same deadlines as a user sees them, for the deadlines page and the home page's counts:
`upcoming` and `to_accept`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.lib import vntext
from hoso.notices.due import OVERDUE, WARN_DAYS, Item, Row, Source
from hoso.people import rules
from hoso.people.models import Member, MemberStatus, Transfer, TransferState

MANAGE = policy.Action.MEMBER_MANAGE
# add_months() keeps the day of the month where it can (29/02 + 12 months is 28/02), so a
# ceremony up to this many days later than 12 months before today may have ended its
# probation: the window is this much wider, and the exact day is computed per member.
_MONTH_END_SLACK = dt.timedelta(days=3)


def _day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _name(row: Row, prefix: str) -> str:
    return vntext.Name(
        row[f"{prefix}family_name"], row[f"{prefix}middle_name"], row[f"{prefix}given_name"]
    ).full


def _names(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}{part}" for part in ("family_name", "middle_name", "given_name"))


# ---- admission: the ceremony, then official recognition --------------------------------------


def _admission(today: dt.date) -> QuerySet[Any]:
    probation_over = rules.add_months(today, -rules.PROBATION_MONTHS) + _MONTH_END_SLACK
    return Member.objects.filter(status=MemberStatus.PROBATIONARY).filter(
        Q(ceremony_due_on__lte=today + dt.timedelta(days=WARN_DAYS))
        | Q(
            ceremony_due_on__isnull=True,
            recognition_due_on__isnull=False,
            ceremony_on__lte=probation_over,
        )
    )


def _admission_warning(row: Row) -> dt.date | None:
    if row["ceremony_due_on"] is not None:
        due: dt.date = row["ceremony_due_on"]
        return due - dt.timedelta(days=WARN_DAYS)
    if row["ceremony_on"] is None:  # a recognition date without a ceremony: not ours to guess
        return None
    return rules.probation_end(row["ceremony_on"])


def _admission_text(item: Item) -> str:
    values = {"name": _name(item.row, "person__"), "day": _day(item.due)}
    if item.row["ceremony_due_on"] is not None:
        text = (
            _("The admission ceremony of %(name)s is overdue (due %(day)s).")
            if item.stage == OVERDUE
            else _("The admission ceremony of %(name)s is due by %(day)s.")
        )
        return text % values
    if item.stage == OVERDUE:
        return _("Official recognition of %(name)s is overdue (due %(day)s).") % values
    values["end"] = _day(rules.probation_end(item.row["ceremony_on"]))
    return (
        _("The probation of %(name)s ends on %(end)s: official recognition is due by %(day)s.")
        % values
    )


ADMISSION = Source(
    name="admission",
    model=Member,
    # Never both set (people.actions._set_deadlines): the step the member is at.
    deadline=Coalesce("ceremony_due_on", "recognition_due_on"),
    candidates=_admission,
    recipients=lambda items: policy.responsible(
        MANAGE, {item.pk: (item.row["org_path"], 0) for item in items}
    ),
    text=_admission_text,
    url=lambda item: reverse("member-detail", args=[item.pk]),
    fields=("ceremony_due_on", "ceremony_on", "org_path", *_names("person__")),
    warns_on=_admission_warning,
)


# ---- transfers awaiting the receiving organization -------------------------------------------


def _transfers(today: dt.date) -> QuerySet[Any]:
    return Transfer.objects.filter(state=TransferState.PENDING, to_org__isnull=False)


def _transfer_text(item: Item) -> str:
    values = {
        "name": _name(item.row, "member__person__"),
        "org": item.row["to_org__name"],
        "day": _day(item.due),
    }
    text = (
        _("The transfer of %(name)s to %(org)s is overdue (to present by %(day)s).")
        if item.stage == OVERDUE
        else _("The transfer of %(name)s to %(org)s: to present by %(day)s.")
    )
    return text % values


TRANSFERS = Source(
    name="transfer",
    model=Transfer,
    deadline=F("present_due_on"),
    candidates=_transfers,
    # The receiving organization accepts the transfer: its people are told.
    recipients=lambda items: policy.responsible(
        MANAGE, {item.pk: (item.row["to_org__path"], 0) for item in items}
    ),
    text=_transfer_text,
    url=lambda item: reverse("transfer-list"),
    fields=("to_org__path", "to_org__name", *_names("member__person__")),
)


# ---- the same deadlines as one user sees them (the deadlines page, the home page) -----------

HORIZON = dt.timedelta(days=30)  # the deadlines page: due within 30 days, or overdue


def upcoming(user: Any, today: dt.date) -> dict[str, QuerySet[Any]]:
    """The deadlines page's three lists, earliest first: admission ceremonies, official
    recognitions and transfers to present, due by `today` + 30 days or overdue."""
    horizon = today + HORIZON
    members = Member.objects.visible_to(user)
    return {
        "ceremonies": members.filter(ceremony_due_on__lte=horizon).order_by("ceremony_due_on"),
        "recognitions": members.filter(recognition_due_on__lte=horizon).order_by(
            "recognition_due_on"
        ),
        "transfers": Transfer.objects.visible_to(user)
        .filter(state=TransferState.PENDING, present_due_on__lte=horizon)
        .order_by("present_due_on"),
    }


def to_accept(user: Any) -> QuerySet[Transfer]:
    """Pending transfers into an organization where the user may record the member's arrival
    (member.manage there): the receiving side's list on the transfers page."""
    where = Q(pk__in=[])
    for path in policy.scope_paths(user, MANAGE):
        where |= Q(to_org__path__startswith=path)
    return Transfer.objects.visible_to(user).filter(where, state=TransferState.PENDING)
