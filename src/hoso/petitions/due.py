"""What falls due in petitions, for the worker (notices/due.py): an open petition near or past
its time limit (to classify it once received, to handle it once accepted; a paused clock is
not chased). Registered from PetitionsConfig.ready().

Those told are the accounts that may act on it (petition.manage, cleared for its level)
nearest to the receiving office: `access.policy.responsible`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.lib.workdays import Period, Unit
from hoso.notices.due import OVERDUE, Item, Source
from hoso.petitions.models import Petition, PetitionRule


def _open(today: dt.date) -> QuerySet[Any]:
    return Petition.objects.open().filter(paused_since__isnull=True)


def _text(item: Item) -> str:
    text = (
        _("Petition %(ref)s is overdue (due %(day)s).")
        if item.stage == OVERDUE
        else _("Petition %(ref)s is due on %(day)s.")
    )
    reference = f"{item.row['incoming__arrival_number']}/{item.row['incoming__year']}"
    return text % {"ref": reference, "day": item.due.strftime("%d/%m/%Y")}


PETITIONS = Source(
    name="petition",
    model=Petition,
    deadline=F("due_on"),
    candidates=_open,
    recipients=lambda items: policy.responsible(
        policy.Action.PETITION_MANAGE,
        {item.pk: (item.row["organization__path"], item.row["classification"]) for item in items},
    ),
    text=_text,
    url=lambda item: reverse("petition-detail", args=[item.pk]),
    fields=("organization__path", "classification", "incoming__arrival_number", "incoming__year"),
)


def periods() -> list[Period]:
    """The configured time limits (workcal.horizons); an extension is counted when granted, and
    its own due date is marked provisional then if it must be."""
    return [
        Period(days, Unit(unit)) for days, unit in PetitionRule.objects.values_list("days", "unit")
    ]
