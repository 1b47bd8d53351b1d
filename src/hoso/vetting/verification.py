"""Verification requests: one numbered slip per person and addressee, replies, reminders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from hoso.people.models import Person, Relative
from hoso.vetting.models import (
    Addressee,
    Case,
    RequestState,
    State,
    VerificationRequest,
)
from hoso.vetting.transitions import RequestError as RequestError  # defined with its table

KIND_CODE = "PYC"
SENDING_STATES = (State.PLANNING, State.VERIFYING)


@dataclass(frozen=True)
class Target:
    """A person to verify: the subject, or one of the subject's declared relatives."""

    person: Person | None = None
    relative: Relative | None = None

    @property
    def key(self) -> str:
        return f"p{self.person.pk}" if self.person else f"r{self.relative.pk}"  # type: ignore[union-attr]

    @property
    def label(self) -> str:
        """Name plus year of birth: hundreds of people share a full name in a province."""
        if self.person is not None:
            born = self.person.birth_date
            return self.person.display_name + (f" ({born.year})" if born else "")
        assert self.relative is not None
        year = f", {self.relative.birth_year}" if self.relative.birth_year else ""
        return f"{self.relative.full_name} ({self.relative.relationship}{year})"


def targets_for(case: Case) -> list[Target]:
    """Whom the officer may choose: the subject and the relatives in the subject's resume."""
    relatives = Relative.objects.filter(person=case.person).select_related("relationship")
    return [Target(person=case.person), *(Target(relative=r) for r in relatives)]


def _who(case: Case, target: Target) -> str:
    """The person as the slip describes them: name, birth, home town, residence, relation."""
    if target.person is not None:
        p = target.person
        facts = [f"Họ và tên: {p.display_name}"]
        if p.birth_date:
            facts.append(f"sinh ngày {p.birth_date:%d/%m/%Y}")
        facts += [
            f"quê quán: {p.home_town}" if p.home_town else "",
            f"nơi thường trú: {p.residence}" if p.residence else "",
        ]
        return "; ".join(f for f in facts if f) + "."
    r = target.relative
    assert r is not None
    facts = [
        f"Họ và tên: {r.full_name}",
        f"sinh năm {r.birth_year}" if r.birth_year else "",
        f"nơi ở: {r.residence}" if r.residence else "",
        f"là {str(r.relationship).lower()} của đồng chí {case.person.full_name}",
    ]
    return "; ".join(f for f in facts if f) + "."


def slip_text(
    case: Case, target: Target, addressee: Addressee, questions: str, due: dt.date
) -> str:
    """The body of the verification request slip, paragraphs separated by empty lines."""
    assert case.decision_date is not None
    return "\n\n".join(
        [
            f"Kính gửi: {addressee.name}.",
            f"Thực hiện Quyết định số {case.decision_number} ngày {case.decision_date:%d/%m/%Y}"
            f" về việc thẩm tra, xác minh tiêu chuẩn chính trị ({case.purpose}),"
            f" {case.organization.name} đề nghị {addressee.name} xác minh lý lịch của:",
            _who(case, target),
            f"Nội dung cần xác minh: {questions.strip()}",
            f"Đề nghị gửi kết quả xác minh về {case.organization.name} trước ngày {due:%d/%m/%Y}.",
        ]
    )


def overdue(qs: QuerySet[VerificationRequest], today: dt.date) -> QuerySet[VerificationRequest]:
    return qs.filter(state=RequestState.OPEN, due_on__lt=today)


def open_by_addressee(qs: QuerySet[VerificationRequest]) -> list[dict[str, Any]]:
    """{"addressee": id, "addressee__name": name, "count": n} per addressee of the requests
    awaiting a reply, the most first: one grouped query."""
    return list(
        qs.filter(state=RequestState.OPEN)
        .values("addressee", "addressee__name")
        .annotate(count=Count("id"))
        .order_by("-count", "addressee__name")
    )


def counts(qs: QuerySet[VerificationRequest], start: dt.date, end: dt.date) -> dict[str, int]:
    """Requests issued in [start, end], and the distinct persons they concern (quarterly report),
    in one aggregate query."""
    period = qs.filter(sent_on__gte=start, sent_on__lte=end)
    found = period.aggregate(
        requests=Count("id"),
        known=Count(IDENTITY, distinct=True),
        unknown=Count("relative", distinct=True, filter=UNLINKED),
        answered=Count("id", filter=Q(state=RequestState.ANSWERED)),
        open=Count("id", filter=Q(state=RequestState.OPEN)),
    )
    persons = found.pop("known") + found.pop("unknown")
    return {"requests": found["requests"], "persons": persons, **found}


# Who a request concerns, as one human being: the person (or the relative's linked person),
# through a merge if there was one (people/identity.py). A relative not linked to anyone is
# counted by their declared row.
IDENTITY = Coalesce(
    "person__merged_into", "person", "relative__identity__merged_into", "relative__identity"
)
UNLINKED = Q(person__isnull=True, relative__identity__isnull=True)
