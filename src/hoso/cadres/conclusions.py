"""What the pages and the API show of the conclusions cadres and entries depend on.

A conclusion belongs to its vetting case: its number and date are shown to those who may see
the case; anyone else sees only that one is in force and until when (what the lists need).
These are dates, never a judgement about the person.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from hoso.cadres.models import Entry, Plan
from hoso.people.models import Member
from hoso.vetting.models import Case, Conclusion
from hoso.vetting.validity import latest_in_force


def visible_cases(user: Any, case_ids: set[int]) -> set[int]:
    """Of these cases, the ones the user may see (one query)."""
    if not case_ids:
        return set()
    return set(Case.objects.visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True))


def case_link(person_id: int, member_id: int | None, case_type: str, purpose: str) -> str:
    """The vetting case-open page for this person, with the type and purpose to prefill."""
    params = {"type": case_type, "purpose": purpose[:255]}
    params.update({"member": str(member_id)} if member_id else {"person": str(person_id)})
    return f"{reverse('case-new')}?{urlencode(params)}"


def purpose(plan: Plan, entry: Entry) -> str:
    return f"{plan.name}: {entry.target_post}" if entry.target_post else plan.name


def entry_lines(user: Any, entries: list[Entry]) -> list[dict[str, Any]]:
    """Each entry with the conclusion in force for its list's purpose, whether its case is
    the user's to see, and the link to open a case: a few queries for the whole page (one
    per distinct set of case types), never one per entry."""
    ids = {entry.person_id for entry in entries}
    by_types: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for entry in entries:
        by_types[tuple(entry.plan.type_codes or ())].add(entry.person_id)
    found: dict[tuple[tuple[str, ...], int], Conclusion] = {}
    for types, people in by_types.items():
        for person_id, latest in latest_in_force(people, case_types=list(types) or None).items():
            found[(types, person_id)] = latest
    shown = visible_cases(user, {c.case_id for c in found.values()})
    members = dict(Member.objects.filter(person_id__in=ids).values_list("person_id", "pk"))
    lines = []
    for entry in entries:
        types = tuple(entry.plan.type_codes or ())
        conclusion = found.get((types, entry.person_id))
        lines.append(
            {
                "entry": entry,
                "conclusion": conclusion,
                "until": getattr(conclusion, "serves_until", None),
                "shown": conclusion is not None and conclusion.case_id in shown,
                "case_url": case_link(
                    entry.person_id,
                    members.get(entry.person_id),
                    types[0] if types else "",
                    purpose(entry.plan, entry),
                ),
            }
        )
    return lines
