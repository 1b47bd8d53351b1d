"""Demo cadres, posts and a planning list, made through the same actions as real work."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hoso.access.models import User
from hoso.cadres import actions
from hoso.cadres.models import ManagementCategory, Plan, PostKind
from hoso.orgs.models import Organization
from hoso.people.models import Member

# member index, post kind code, post as written, elected body, years ago it started
POSTS = [
    (0, "BVCTNB", "Chuyên viên Ban Tổ chức Đảng ủy, phụ trách bảo vệ chính trị nội bộ", "", 3),
    (1, "BT_DU_XA", "Bí thư Đảng ủy xã", "Ban Chấp hành Đảng bộ xã", 1),
    (2, "CT_UBND_XA", "Chủ tịch Ủy ban nhân dân xã", "Hội đồng nhân dân xã", 4),
    (3, "PBT_DU_XA", "Phó Bí thư Đảng ủy xã", "Ban Chấp hành Đảng bộ xã", 1),
    (4, "PCT_UBND_XA", "Phó Chủ tịch Ủy ban nhân dân xã", "Hội đồng nhân dân xã", 2),
    (5, "TRUONG_PHONG", "Trưởng phòng Văn hóa - Xã hội", "", 2),
]


def load(officer: User, head: User, members: list[Member]) -> int:
    """Once: six cadres of the officer's commune with their posts (one ended), and the
    commune's planning list for the next term with three of them."""
    if Plan.objects.exists() or len(members) < 6 or officer.organization is None:
        return 0
    office: Organization = officer.organization
    today = timezone.localdate()
    category = ManagementCategory.objects.get(code="BTVDUX")
    cadres = []
    for index, code, title, elected, years in POSTS:
        member = members[index]
        cadre = actions.records.open_record(officer, member.person, office)
        started = today.replace(year=today.year - years, month=1, day=15)
        actions.records.set_category(
            officer, cadre, category, since=started, decision_number=f"{index + 40}-QĐ/ĐU"
        )
        post = actions.records.record_post(
            officer,
            cadre,
            kind=PostKind.objects.get(code=code),
            title=title,
            organization=office if not elected else None,
            body="" if not elected else office.name,
            elected_body=elected,
            term="2025-2030" if elected else "",
            started_on=started,
            decision_number=f"{index + 10}-QĐ/ĐU",
            decision_on=started,
        )
        cadres.append((cadre, post))
    _, earlier = cadres[2]
    actions.records.end_post(
        officer,
        earlier,
        ended_on=today - dt.timedelta(days=30),
        decision_number="88-QĐ/ĐU",
        decision_on=today - dt.timedelta(days=30),
        reason="Nghỉ hưu",
    )
    plan = actions.plans.create_plan(
        head,
        office,
        kind="planning",
        name=f"Quy hoạch Ban Thường vụ {office.name} nhiệm kỳ 2030-2035",
        term="2030-2035",
        post_level="Ủy viên Ban Thường vụ, Phó Bí thư, Bí thư",
        decision_number="120-QĐ/ĐU",
        decision_on=today - dt.timedelta(days=60),
    )
    for index, target in ((1, "Bí thư Đảng ủy xã"), (3, "Bí thư Đảng ủy xã"), (5, "Phó Bí thư")):
        actions.plans.add_entry(
            officer,
            plan,
            members[index].person,
            target_post=target,
            decision_number="120-QĐ/ĐU",
            decision_on=today - dt.timedelta(days=60),
        )
    return len(cadres)
