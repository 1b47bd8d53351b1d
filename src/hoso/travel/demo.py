"""Demo trips abroad and long stays abroad, made through the same actions as real work."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hoso.access.models import User
from hoso.people.models import Member
from hoso.travel import actions
from hoso.travel.models import Stay, Trip


def load(officer: User, head: User, members: list[Member]) -> int:
    """Once each: trips for the first three members, long stays for the next three."""
    return _trips(officer, head, members[:3]) + _stays(officer, members[3:6])


def _trips(officer: User, head: User, members: list[Member]) -> int:
    """A trip awaiting its decision, one abroad, one back with its report due."""
    if Trip.objects.exists() or len(members) < 3:
        return 0
    today = timezone.localdate()
    plans = [("private", "Thái Lan", 30), ("relatives", "Nhật Bản", -10), ("official", "Lào", -25)]
    for member, (purpose, country, start) in zip(members, plans, strict=False):
        trip = actions.request_trip(
            officer,
            member,
            purpose=purpose,
            countries=country,
            planned_from=today + dt.timedelta(days=start),
            planned_to=today + dt.timedelta(days=start + 7),
            funding="self",
            passport_type="official" if purpose == "official" else "ordinary",
            requested_on=today - dt.timedelta(days=40),
            commitment="Cam kết chấp hành quy định." if purpose == "relatives" else "",
        )
        if start > 0:
            continue
        day = today + dt.timedelta(days=start - 20)
        actions.move(officer, trip, "opinion", on=day, text="Chi bộ nhất trí.")
        actions.move(head, trip, "approve", on=day, number="12-QĐ/TU")
        actions.move(officer, trip, "notify", on=day)
        actions.move(officer, trip, "depart", on=today + dt.timedelta(days=start))
        if start < -20:
            actions.move(officer, trip, "return", on=today + dt.timedelta(days=start + 7))
    return len(plans)


STAYS = [
    # kind, country, place, issuer, managed abroad by, years ago left, years planned, back
    ("study", "Nhật Bản", "Đại học Tokyo (nghiên cứu sinh)", "Ủy ban nhân dân tỉnh",
     "Chi bộ lưu học sinh tại Tokyo, Đảng bộ ngoài nước", 2, 4, False),
    ("work", "Lào", "Công ty TNHH Xây dựng Việt – Lào, Viêng Chăn", "Sở Nội vụ tỉnh",
     "Chi bộ doanh nghiệp Việt Nam tại Viêng Chăn, Đảng bộ ngoài nước", 3, 2, False),
    ("spouse", "Hàn Quốc", "Đi theo chồng công tác tại Đại sứ quán", "Ban Thường vụ Huyện ủy",
     "Chi bộ Đại sứ quán Việt Nam tại Hàn Quốc", 4, 3, True),
]  # fmt: skip


def _stays(officer: User, members: list[Member]) -> int:
    """One studying abroad, one whose planned return has passed, one back home."""
    if Stay.objects.exists() or len(members) < len(STAYS):
        return 0
    today = timezone.localdate()
    for n, (member, plan) in enumerate(zip(members, STAYS, strict=False)):
        kind, country, place, issuer, body, ago, years, back = plan
        since = today - dt.timedelta(days=365 * ago)
        stay = actions.record_stay(
            officer,
            member,
            kind=kind,
            country=country,
            place=place,
            decision_number=f"{120 + n}-QĐ/UBND",
            decision_date=since - dt.timedelta(days=30),
            decision_issuer=issuer,
            since=since,
            planned_return=since + dt.timedelta(days=365 * years),
            managing_body=body,
        )
        if back:
            actions.record_return(officer, stay, on=today - dt.timedelta(days=60))
    return len(STAYS)
