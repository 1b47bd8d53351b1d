"""Demo petitions, made through the same actions as real work."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hoso.access.models import User
from hoso.people.models import Member
from hoso.petitions import actions
from hoso.petitions.models import Petition


def load(clerk: User, officer: User, members: list[Member]) -> int:
    """Once: three petitions at different steps about members of the officer's office."""
    if Petition.objects.exists() or len(members) < 3:
        return 0
    today, office = timezone.localdate(), officer.organization
    assert office is not None
    made = []
    for i, member in enumerate(members[:3]):
        made.append(
            actions.receive(
                clerk if clerk.organization == office else officer,
                office,
                received_on=today - dt.timedelta(days=20 - 5 * i),
                channel="post",
                summary="Phản ánh việc kê khai lý lịch chưa đầy đủ."
                if i
                else "Tố cáo về quá trình công tác trước đây.",
                subjects=[(member.person.full_name, member.organization.name, member.person)],
                petitioner_name="Nguyễn Văn Dân" if i != 1 else "",
                petitioner_address="thôn Trung, cùng xã",
            )
        )
    actions.classify(
        officer,
        made[0],
        kind="denunciation",
        naming="named",
        within_competence=True,
        repeated=False,
        new_evidence=False,
    )
    actions.move(officer, made[0], "accept", on=today - dt.timedelta(days=15))
    actions.classify(
        officer,
        made[1],
        kind="denunciation",
        naming="anonymous",
        within_competence=True,
        repeated=False,
        new_evidence=False,
    )
    return len(made)
