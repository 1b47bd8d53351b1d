"""Demo identity work: a couple of members each declaring the other as spouse (one of the two
declarations already linked by an officer, the other proposed)."""

from __future__ import annotations

from hoso.access.models import User
from hoso.people import actions
from hoso.people.models import Member, Relationship, Relative


def load(officer: User, members: list[Member]) -> int:
    """Once: the first man and woman of `members` are made a couple. Returns the relatives
    added."""
    if Relative.objects.filter(relationship__code__in=["vo", "chong"]).exists():
        return 0
    husband = next((m for m in members if m.person.sex == "M"), None)
    wife = next((m for m in members if m.person.sex == "F"), None)
    if husband is None or wife is None:
        return 0
    home = "Xã Nghi Phong, huyện Nghi Lộc, Nghệ An"
    for person in (husband.person, wife.person):  # they live together
        actions.dossier.correct(
            officer, person, {"residence": home},
            approval="Phiếu bổ sung hồ sơ đảng viên năm 2025", reason="Đăng ký thường trú mới",
        )  # fmt: skip
    as_wife = _declare(officer, husband, "vo", wife, home)
    _declare(officer, wife, "chong", husband, home)
    actions.identity.link_relative(
        officer, as_wife, wife.person, reason="Cùng hộ khẩu, đã đối chiếu CCCD"
    )
    return 2


def _declare(officer: User, member: Member, code: str, spouse: Member, home: str) -> Relative:
    born = spouse.person.birth_date
    return actions.resume.add_relative(
        officer,
        member,
        relationship=Relationship.objects.get(code=code),
        full_name=spouse.person.full_name,
        birth_year=born.year if born else None,
        residence=home,
        occupation=spouse.person.occupation,
        party_member=True,
    )
