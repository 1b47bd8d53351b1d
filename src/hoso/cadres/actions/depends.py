"""The conclusion each cadre's posts and each list entry depend on, copied onto their rows.

The worker's deadline must be a column of the reminded row (notices/due.py claims rows by
compare-and-swap on their own columns), but until when a conclusion serves lives in vetting's
tables. So each cadre and each current entry keeps `conclusion` (the latest one of the case
types that serve it: in force today if there is one, else the latest not superseded, which
may have expired) and `conclusion_until` (its end; None: without an end, or no conclusion).
They are refreshed in the transaction of whatever changes them: a conclusion recorded or
corrected, or a validity record (vetting.hooks.ON_CONCLUSION), a cadre record opened, an
entry added. A moved date bumps `alert_version`, so a claim the worker made on the old one
is void.

Called only from actions (this module writes no audit event of its own: the change that
moved the date does).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Model

from hoso.cadres.models import Cadre, CadreRule, Entry
from hoso.vetting.models import Conclusion
from hoso.vetting.validity import latest_in_force


def latest(person_ids: Iterable[int], case_types: list[str] | None) -> dict[int, Conclusion]:
    """Person id -> the conclusion their posts or entries depend on: the latest in force
    today, else the latest not superseded (expired). Two queries at most."""
    ids = set(person_ids)
    found = latest_in_force(ids, case_types=case_types)
    missing = ids - found.keys()
    if missing:
        found.update(latest_in_force(missing, case_types=case_types, on=dt.date.min))
    return found


def _store(model: type[Model], row: Any, conclusion: Conclusion | None) -> None:
    until = getattr(conclusion, "serves_until", None)
    pk = conclusion.pk if conclusion is not None else None
    if (row.conclusion_id, row.conclusion_until) == (pk, until):
        return
    model._default_manager.filter(pk=row.pk).update(
        conclusion_id=pk, conclusion_until=until, alert_version=F("alert_version") + 1
    )
    row.conclusion_id, row.conclusion_until = pk, until


def refresh(person_ids: Iterable[int]) -> None:
    """Recompute the copies for these persons' cadre records and current entries."""
    ids = set(person_ids)
    cadres = list(Cadre.objects.filter(person_id__in=ids))
    if cadres:
        found = latest(ids, CadreRule.current().case_types)
        for cadre in cadres:
            _store(Cadre, cadre, found.get(cadre.person_id))
    groups: dict[tuple[str, ...], list[Entry]] = defaultdict(list)
    for entry in Entry.objects.filter(person_id__in=ids, removed_on__isnull=True).select_related(
        "plan"
    ):
        groups[tuple(entry.plan.type_codes or ())].append(entry)
    for types, entries in groups.items():
        found = latest({e.person_id for e in entries}, list(types) or None)
        for entry in entries:
            _store(Entry, entry, found.get(entry.person_id))


def conclusion_recorded(conclusion: Conclusion) -> None:
    """vetting.hooks.ON_CONCLUSION: a conclusion (or its validity) of this person changed."""
    refresh([conclusion.case.person_id])
