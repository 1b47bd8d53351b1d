"""What falls due in cadre work, for the worker (notices/due.py): the end of the conclusion a
person depends on, warned a configured number of days before (CadreRule, 60 by default) and
again once it has passed. Registered from CadresConfig.ready().

- cadre-conclusion: a cadre holding a current key, secret or elected post; the conclusion is
  the latest of the post case types (`Cadre.conclusion_until`).
- entry-conclusion: a person in a current entry of a list still in use; the conclusion is the
  latest of the list's case types (`Entry.conclusion_until`).

The dates are copies kept by `cadres.actions.depends`. Those told are the accounts that may
act on the record (cadre.manage) nearest to its organization: `access.policy.responsible`.
These are dates, never a judgement about the person.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet, Value
from django.urls import reverse
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.cadres.models import Cadre, CadreRule, Entry, Post, depends_on_conclusion
from hoso.lib import vntext
from hoso.notices.due import OVERDUE, Item, Row, Source

MANAGE = policy.Action.CADRE_MANAGE
_NAME = ("person__family_name", "person__middle_name", "person__given_name")


def _window(today: dt.date) -> tuple[Value, Q]:
    """The lead time as a column the warning reads, and the rows whose warning has begun."""
    days = CadreRule.current().lead_days
    soon = Q(conclusion_until__lte=today + dt.timedelta(days=days))
    return Value(days, output_field=IntegerField()), soon


def _warns_on(row: Row) -> dt.date:
    due: dt.date = row["deadline"]
    return due - dt.timedelta(days=row["lead_days"])


def _name(row: Row) -> str:
    return vntext.Name(*(row[part] for part in _NAME)).full


def _day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# ---- cadres holding a post that depends on a conclusion --------------------------------------


def _cadres(today: dt.date) -> QuerySet[Any]:
    posts = Post.objects.filter(depends_on_conclusion(), cadre=OuterRef("pk"))
    lead, soon = _window(today)
    return Cadre.objects.filter(soon).filter(Exists(posts)).annotate(lead_days=lead)


def _cadre_text(item: Item) -> str:
    values = {"name": _name(item.row), "day": _day(item.due)}
    if item.stage == OVERDUE:
        return (
            _(
                "%(name)s holds a key, secret or elected post; the conclusion it depends on "
                "served until %(day)s."
            )
            % values
        )
    return (
        _(
            "%(name)s holds a key, secret or elected post; the conclusion it depends on "
            "serves until %(day)s."
        )
        % values
    )


CADRES = Source(
    name="cadre-conclusion",
    model=Cadre,
    deadline=F("conclusion_until"),
    candidates=_cadres,
    recipients=lambda items: policy.responsible(
        MANAGE, {item.pk: (item.row["org_path"], 0) for item in items}
    ),
    text=_cadre_text,
    url=lambda item: reverse("cadre-detail", args=[item.pk]),
    fields=("org_path", "lead_days", *_NAME),
    warns_on=_warns_on,
)


# ---- people in a current planning or candidacy entry -----------------------------------------


def _entries(today: dt.date) -> QuerySet[Any]:
    lead, soon = _window(today)
    in_use = Q(plan__ends_on__isnull=True) | Q(plan__ends_on__gte=today)
    return Entry.objects.filter(soon, in_use, removed_on__isnull=True).annotate(lead_days=lead)


def _entry_text(item: Item) -> str:
    values = {"name": _name(item.row), "list": item.row["plan__name"], "day": _day(item.due)}
    if item.stage == OVERDUE:
        return _("%(name)s is in %(list)s; the conclusion for it served until %(day)s.") % values
    return _("%(name)s is in %(list)s; the conclusion for it serves until %(day)s.") % values


ENTRIES = Source(
    name="entry-conclusion",
    model=Entry,
    deadline=F("conclusion_until"),
    candidates=_entries,
    recipients=lambda items: policy.responsible(
        MANAGE, {item.pk: (item.row["plan__organization__path"], 0) for item in items}
    ),
    text=_entry_text,
    url=lambda item: reverse("plan-detail", args=[item.row["plan_id"]]),
    fields=("plan_id", "plan__name", "plan__organization__path", "lead_days", *_NAME),
    warns_on=_warns_on,
)
