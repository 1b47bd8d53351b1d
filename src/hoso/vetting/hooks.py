"""What the apps above vetting tell it, registered from their AppConfig.ready().

OPENED_FROM: a case can be opened from a record of another app (a petition). The key is the
query parameter that names the record (?petition=ID); `find(user, pk)` returns it if the user
may see it (else raises Http404), `attach(user, record, case)` links the new case to
it inside the opening transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Source:
    find: Callable[[Any, int], Any]
    attach: Callable[[Any, Any, Any], Any]


OPENED_FROM: dict[str, Source] = {}


# COMMITTEE_PROPOSERS: who may propose the competent committee of a new case (the cadres app,
# from the subject's management category). Each takes (user, person) and returns an
# Organization or None; the first answer is offered in the form, the officer decides.
CommitteeProposer = Callable[[Any, Any], Any]
COMMITTEE_PROPOSERS: list[CommitteeProposer] = []


def proposed_committee(user: Any, person: Any) -> Any:
    for propose in COMMITTEE_PROPOSERS:
        committee = propose(user, person)
        if committee is not None:
            return committee
    return None


# ON_CONCLUSION: told, inside the writing transaction, of each conclusion recorded or
# corrected and of each record of its validity (the cadres app keeps a copy of until when the
# conclusions its posts and lists depend on serve). Each takes the Conclusion.
ConclusionListener = Callable[[Any], None]
ON_CONCLUSION: list[ConclusionListener] = []


def conclusion_recorded(conclusion: Any) -> None:
    for listener in ON_CONCLUSION:
        listener(conclusion)
