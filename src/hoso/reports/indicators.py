"""The registry of report indicators: each figure a report can show, with its definition.

An indicator is a count of records that hoso already holds (cases, requests, conclusions,
petitions, trips, member events ...), never a number typed in. It says:
- which records make it, as the viewer may see them, for a period (`records`);
- where each record sits in the tree (`path`, a lookup to an organization path), so that an
  organization's figure counts its whole subtree and breaks down by the organizations
  directly below;
- optionally a category (`by`: case type, addressee, outcome ...), one figure per value;
- what is counted: rows (additive: the figures of the organizations below sum to the total)
  or distinct values of `distinct` (e.g. persons: recomputed at each level, never summed).

Apps above `reports` (campaigns, inspections) add their own with `register()` from their
`AppConfig.ready()`; the reports app registers those of the apps below it (`figures/`).
Codes are stable identifiers, as audit event codes are: a submitted report refers to them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Expression, Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hoso.lib.periods import Period

Text = str | Promise
# The records of a figure, as `user` may see them, for `period`.
Records = Callable[[Any, Period], QuerySet[Any]]
# (header, cell of one record) of the list a figure drills down to.
Column = tuple[Text, Callable[[Any], Any]]


@dataclass(frozen=True)
class Section:
    code: str
    title: Text
    order: int


VETTING = Section("vetting", _("Vetting cases"), 10)
CONCLUSIONS = Section("conclusions", _("Conclusions recorded"), 20)
REQUESTS = Section("requests", _("Verification requests"), 30)
HELP = Section("help", _("Verification and research for others"), 35)
PETITIONS = Section("petitions", _("Petitions"), 40)
TRAVEL = Section("travel", _("Travel abroad"), 50)
MEMBERS = Section("members", _("Party members"), 60)


@dataclass(frozen=True)
class Indicator:
    code: str
    section: Section
    label: Text
    definition: Text
    action: str  # the policy action whose scope the records are read in
    records: Records
    path: str  # lookup from a record to its organization's path
    by: str = ""  # lookup to the category of a record: one figure per value
    by_label: str = ""  # lookup to the category's display name (default: the value itself)
    categories: Callable[[], dict[str, Text]] | None = None  # names and order of known values
    distinct: str | Expression | None = None  # count distinct values: not additive
    columns: tuple[Column, ...] = ()  # the drill-down list
    link: Callable[[Any], str] | None = None  # a record's own page
    sensitive: bool = False  # about persons' attributes: a sensitive read, audited by name
    dated: bool = True  # False: the records as they stand now (the period does not apply)
    version: int = 1  # raised whenever the definition changes what is counted
    # Served by exact counters an app keeps (people's member aggregates): called as
    # aggregate(indicator, user, org, period, parts) -> (total, categories, parts) in
    # compute's types, or None to compute from `records` (the drill-down always does).
    aggregate: Callable[..., Any] | None = None

    @property
    def additive(self) -> bool:
        return self.distinct is None

    def label_for(self, value: Any, shown: Any = None) -> Text:
        if value is None or value == "":
            return _("(not recorded)")
        known = self.categories() if self.categories else {}
        return known.get(value, shown if shown not in (None, "") else str(value))

    def link_for(self, record: Model) -> str:
        if self.link is not None:
            return self.link(record)
        url = getattr(record, "get_absolute_url", None)
        return url() if callable(url) else ""


REGISTRY: dict[str, Indicator] = {}


def register(*indicators: Indicator) -> None:
    for indicator in indicators:
        if indicator.code in REGISTRY:
            raise ValueError(f"indicator {indicator.code!r} registered twice")
        REGISTRY[indicator.code] = indicator


def get(code: str) -> Indicator | None:
    return REGISTRY.get(code)


def by_section(codes: Iterable[str] | None = None) -> list[tuple[Section, list[Indicator]]]:
    """Indicators grouped by section, in registration order within each."""
    chosen = REGISTRY.values() if codes is None else [REGISTRY[c] for c in codes]
    sections: dict[Section, list[Indicator]] = {}
    for indicator in chosen:
        sections.setdefault(indicator.section, []).append(indicator)
    return sorted(sections.items(), key=lambda item: item[0].order)
