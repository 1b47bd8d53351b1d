"""What the apps above people add to a person's page, registered from their AppConfig.ready().

PERSON_SECTIONS: (order, builder) pairs; a builder takes (user, person) and returns a Section
to show, or None (nothing to show, or nothing this user may see). A builder reads through
its own app's `visible_to`, so the page shows each user only what the policy allows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Section:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


Builder = Callable[[Any, Any], Section | None]
PERSON_SECTIONS: list[tuple[int, Builder]] = []


def person_section(order: int) -> Callable[[Builder], Builder]:
    def add(builder: Builder) -> Builder:
        PERSON_SECTIONS.append((order, builder))
        PERSON_SECTIONS.sort(key=lambda item: item[0])
        return builder

    return add


def sections_for(user: Any, person: Any) -> list[Section]:
    found = (builder(user, person) for _order, builder in PERSON_SECTIONS)
    return [section for section in found if section is not None]


# PERSON_SOURCES: persons an app above people shows to a user, beyond the members in their
# scope. Each takes (user, action or None, organization path or "") and returns a values
# queryset of person ids, read through its own scope (vetting: the subjects of cases the user
# may see, under the path when given).
PersonSource = Callable[[Any, str | None, str], Any]
PERSON_SOURCES: list[PersonSource] = []

# REPORTED_COUNTS: where the member counts an organization reported upward for a quarter come
# from besides those typed on the reconciliation page (reports: the count frozen in a
# submitted periodic report). Each takes (organizations, year, quarter) and returns
# {organization id: count}; a submitted report's count wins over a typed one.
ReportedCounts = Callable[[list[Any], int, int], dict[int, int]]
REPORTED_COUNTS: list[ReportedCounts] = []

# SYNTH_STAGES: the casework `hoso synth --full` adds to the synthetic members, from the apps
# above people (vetting, petitions, travel), in `order`. Each stage's `setup(world)` runs once
# (catalogues, directories) and returns its state; `province(batch, state)` adds the records
# of one province to the batch (people/synthworld.py), which numbers their documents and
# writes them.
@dataclass(frozen=True)
class SynthStage:
    order: int
    name: str
    setup: Callable[[Any], Any]
    province: Callable[[Any, Any], None]


SYNTH_STAGES: list[SynthStage] = []


def synth_stage(stage: SynthStage) -> None:
    if any(s.name == stage.name for s in SYNTH_STAGES):
        raise ValueError(f"synth stage {stage.name!r} registered twice")
    SYNTH_STAGES.append(stage)
    SYNTH_STAGES.sort(key=lambda s: s.order)


# COUNTERS: exact counters the apps above people keep (reports' casework counters), rebuilt
# and checked with the member counts by `hoso aggregates rebuild | verify` (and so after every
# bulk load): (name, rebuild() -> rows written, differences() -> (rows compared, differences,
# each with .organization_id and .line(codes))).
COUNTERS: list[tuple[str, Callable[[], int], Callable[[], tuple[int, list[Any]]]]] = []
