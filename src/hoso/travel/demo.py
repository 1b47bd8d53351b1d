"""Demo trips abroad, made through the same actions as real work."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hoso.access.models import User
from hoso.people.models import Member
from hoso.travel import actions
from hoso.travel.models import Trip


def load(officer: User, head: User, members: list[Member]) -> int:
    """Once: a trip awaiting its decision, one abroad, one back with its report due."""
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
