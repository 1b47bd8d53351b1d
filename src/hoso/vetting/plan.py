"""The verification plan of a case (HD 01-HD/TW §3.4 in practice): the lines of relations its
type says are to be verified, the subject's declared relatives who fill each line, the
verification requests issued for each, and the lines the officer decided not to verify.

Reads only (the skips are written by `vetting.actions.plan`). hoso drafts; the officer
decides: a line without a declared relative is shown as such, never filled by a guess.

A type's rule is a list of lines, each `{"label": str, "codes": [str], "adult": bool}`. A code
is `self` (the subject) or a relationship code of the catalogue (`people.Relationship`), which
takes relatives of that relationship on either side; `own:<code>` or `spouse:<code>` takes only
the subject's own side or the spouse's. `adult` keeps relatives aged 18 or more this year (a
relative without a year of birth is kept: the officer decides).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from hoso.people.models import Relative
from hoso.vetting.models import Case, CaseTypeVersion, PlanSkip, RequestState, VerificationRequest

SELF = "self"
SIDES = ("own", "spouse")
ADULT_AGE = 18
ADULT_MARK = "18+"

# What a request asks about a person, as HD 01-HD/TW §3.4 b) words it: the draft of the
# request form's questions, which the officer edits.
QUESTIONS_SELF = (
    "Đề nghị xác minh, làm rõ những vấn đề về lịch sử chính trị và chính trị hiện nay; việc"
    " chấp hành đường lối, chủ trương, chính sách của Đảng, pháp luật của Nhà nước; phẩm chất"
    " chính trị, đạo đức, lối sống."
)
QUESTIONS_RELATIVE = (
    "Đề nghị xác minh, làm rõ những vấn đề về lịch sử chính trị và chính trị hiện nay; việc"
    " chấp hành đường lối, chủ trương, chính sách của Đảng, pháp luật của Nhà nước."
)


@dataclass(frozen=True)
class Rule:
    """One line of a type's plan."""

    label: str
    codes: tuple[str, ...]
    adult: bool = False

    @property
    def is_self(self) -> bool:
        return SELF in self.codes

    def matches(self, relative: Relative) -> bool:
        """The relationship (and side) is one of this line's, whatever the age."""
        for code in self.codes:
            side, _sep, relationship = code.rpartition(":")
            if relationship == relative.relationship.code and side in ("", relative.side):
                return True
        return False

    def too_young(self, relative: Relative, year: int) -> bool:
        born = relative.birth_year
        return self.adult and born is not None and year - born < ADULT_AGE

    def takes(self, relative: Relative, year: int) -> bool:
        return self.matches(relative) and not self.too_young(relative, year)


def rules(version: CaseTypeVersion) -> list[Rule]:
    return [
        Rule(str(line["label"]), tuple(line["codes"]), bool(line.get("adult")))
        for line in version.plan_relations or []
    ]


def as_text(lines: Iterable[dict[str, Any]]) -> str:
    """The rule as the case-type form shows it: `codes | label` a row, 18+ among the codes."""
    rows = []
    for line in lines:
        codes = [*line["codes"], *([ADULT_MARK] if line.get("adult") else [])]
        rows.append(f"{', '.join(codes)} | {line['label']}")
    return "\n".join(rows)


@dataclass
class Filler:
    """A declared relative who fills a line, with the requests about them and any skip."""

    relative: Relative
    requests: list[VerificationRequest]
    skip: PlanSkip | None = None

    @property
    def key(self) -> str:
        """The request form's key for this person (verification.Target.key)."""
        return f"r{self.relative.pk}"

    @property
    def requested(self) -> bool:
        return any(r.state != RequestState.CANCELLED for r in self.requests)

    @property
    def covered(self) -> bool:
        return self.skip is not None or self.requested


@dataclass
class Line:
    index: int
    rule: Rule
    fillers: list[Filler] = field(default_factory=list)
    requests: list[VerificationRequest] = field(default_factory=list)  # the subject's
    skip: PlanSkip | None = None
    minors: list[Relative] = field(default_factory=list)  # declared, but under 18

    @property
    def declared(self) -> bool:
        return self.rule.is_self or bool(self.fillers)

    @property
    def satisfied(self) -> bool:
        if self.skip is not None:
            return True
        if self.rule.is_self:
            return any(r.state != RequestState.CANCELLED for r in self.requests)
        return bool(self.fillers) and all(f.covered for f in self.fillers)

    @property
    def to_draft(self) -> list[Filler]:
        """The relatives on this line still without a request or a skip."""
        return [] if self.satisfied else [f for f in self.fillers if not f.covered]


@dataclass
class Plan:
    case: Case
    lines: list[Line]
    skips: list[PlanSkip]  # every record, withdrawals included: the history

    @property
    def unsatisfied(self) -> list[Line]:
        return [line for line in self.lines if not line.satisfied]

    def draft_keys(self) -> list[str]:
        """Everyone the plan still needs a request for, as request form keys."""
        keys = (
            [f"p{self.case.person_id}"]
            if any(line.rule.is_self and not line.satisfied for line in self.lines)
            else []
        )
        for line in self.lines:
            keys += [f.key for f in line.to_draft if f.key not in keys]
        return keys


def _counts_for(vr: VerificationRequest, relative: Relative) -> bool:
    """A request is about a relative when it names them, or names the person hoso holds who
    was confirmed to be them (Relative.identity)."""
    if vr.relative_id == relative.pk:
        return True
    return relative.identity_id is not None and vr.person_id == relative.identity_id


def of_case(
    case: Case,
    today: dt.date | None = None,
    requests: list[VerificationRequest] | None = None,
) -> Plan | None:
    """The plan of a case opened under a version with one; None otherwise. Three queries
    (relatives, requests unless the caller has read them, skips), whatever the number of
    lines."""
    found = rules(case.version)
    if not found:
        return None
    year = (today or timezone.localdate()).year
    relatives = list(Relative.objects.filter(person=case.person_id).select_related("relationship"))
    if requests is None:
        requests = list(case.requests.select_related("document", "addressee"))
    requests = sorted(requests, key=lambda r: r.pk)
    skips = list(PlanSkip.objects.filter(case=case).select_related("recorded_by", "relative"))
    withdrawn = {s.withdraws_id for s in skips if s.withdraws_id is not None}
    active = {
        (s.line, s.relative_id): s
        for s in skips
        if s.withdraws_id is None and s.pk not in withdrawn
    }
    lines = []
    for index, rule in enumerate(found):
        line = Line(index, rule, skip=active.get((index, None)))
        if rule.is_self:
            line.requests = [r for r in requests if r.person_id == case.person_id]
        else:
            line.fillers = [
                Filler(
                    r,
                    [vr for vr in requests if _counts_for(vr, r)],
                    active.get((index, r.pk)),
                )
                for r in relatives
                if rule.takes(r, year)
            ]
            line.minors = [r for r in relatives if rule.matches(r) and rule.too_young(r, year)]
        lines.append(line)
    return Plan(case, lines, skips)


def unsatisfied(case: Case) -> list[str]:
    """The labels of the lines still to be verified or skipped (the compile guard)."""
    plan = of_case(case)
    return [] if plan is None else [line.rule.label for line in plan.unsatisfied]
