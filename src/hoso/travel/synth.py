"""Trips abroad of `hoso synth --full` (people/synthworld.py): about one member in a hundred
a year asks to travel. Each trip as the actions leave it: requested, the cell's opinion, the
committee's decision (mostly approved), the member notified (a numbered notice of the
deciding committee), departure, return, the report within seven working days and, for an
official or diplomatic passport, its return within five; some reports and passports overdue,
a few trips refused or cancelled, the recent ones still ahead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hoso.people import hooks
from hoso.people.synthworld import START, Batch, MemberRow, Office, World
from hoso.travel.models import (
    Destination,
    Funding,
    PassportType,
    Purpose,
    TravelRule,
    Trip,
    TripState,
    split,
)

TRIPS_A_YEAR = 0.01  # of the members
OWNER = "travel.trip"
PURPOSES = ([Purpose.PRIVATE, Purpose.RELATIVES, Purpose.OFFICIAL, Purpose.STUDY], [35, 25, 30, 10])
COUNTRIES = {
    Purpose.PRIVATE: ["Thái Lan", "Hàn Quốc", "Nhật Bản", "Singapore", "Trung Quốc", "Malaysia"],
    Purpose.RELATIVES: ["Hoa Kỳ", "Úc", "Pháp", "Đức", "Canada", "Hàn Quốc", "Nhật Bản"],
    Purpose.OFFICIAL: ["Lào", "Campuchia", "Trung Quốc", "Nga", "Cuba", "Nhật Bản", "Hàn Quốc"],
    Purpose.STUDY: ["Nhật Bản", "Úc", "Anh", "Singapore", "Hàn Quốc", "Nga"],
}
HOSTS = {
    Purpose.PRIVATE: "Du lịch theo đoàn",
    Purpose.RELATIVES: "Thăm con đang học tập, sinh sống",
    Purpose.OFFICIAL: "Đoàn công tác của tỉnh",
    Purpose.STUDY: "Khóa bồi dưỡng ngắn hạn",
}


def setup(world: World) -> tuple[int, int]:
    rule = TravelRule.objects.first()
    return (rule.report_days, rule.passport_days) if rule else (7, 5)


class _Trips:
    def __init__(self, batch: Batch, rule: tuple[int, int]) -> None:
        self.batch, self.world = batch, batch.world
        self.rng = self.world.rng(f"trips:{batch.province.index}")
        self.report_days, self.passport_days = rule
        self.communes = {c.org.path: c for c in batch.province.communes}

    def run(self) -> None:
        world, rng, members = self.world, self.rng, self.batch.members
        for _ in range(round(TRIPS_A_YEAR * world.years * len(members))):
            requested = world.day_between(rng, START, world.as_of)
            for _ in range(5):
                m = rng.choice(members)
                if m.active_on(requested) and (m.moved is None or requested < m.moved):
                    self._one(m, requested)
                    break

    def _one(self, m: MemberRow, requested: dt.date) -> None:
        world, rng, days = self.world, self.rng, self.world.days
        commune = self.communes[m.commune_path]
        purpose = rng.choices(*PURPOSES)[0]
        official = purpose == Purpose.OFFICIAL
        passport = (
            (PassportType.DIPLOMATIC if rng.random() < 0.05 else PassportType.OFFICIAL)
            if official
            else PassportType.ORDINARY
        )
        leaves = days.weekday(requested + dt.timedelta(days=rng.randint(15, 60)))
        length = rng.randint(30, 120) if purpose == Purpose.STUDY else rng.randint(3, 15)
        back = leaves + dt.timedelta(days=length)
        decider = self.batch.province.office if official else commune
        tid = world.take("travel_trip")
        officer = rng.choice(commune.officers)
        trip: dict[str, Any] = {
            "id": tid, "member_id": m.id, "organization_id": m.org_id, "purpose": purpose,
            "countries": ", ".join(rng.sample(COUNTRIES[purpose], 1 if rng.random() < 0.8 else 2)),
            "planned_from": leaves, "planned_to": back,
            "funding": Funding.STATE if official else (
                Funding.SPONSOR if purpose == Purpose.STUDY else Funding.SELF),
            "passport_type": passport, "host": HOSTS[purpose],
            "commitment": "Cam kết chấp hành nghiêm quy định khi ở nước ngoài."
            if purpose == Purpose.RELATIVES else "",
            "requested_on": requested, "state": TripState.REQUESTED, "created_by_id": officer,
            "created_at": world.stamp(requested, rng),
        }  # fmt: skip
        as_of = world.as_of
        opinion = days.after(requested, rng.randint(2, 7))
        if opinion <= as_of:
            trip.update(state=TripState.OPINION, cell_opinion="Chi bộ nhất trí đề nghị.",
                        cell_opinion_on=opinion)  # fmt: skip
        decided = days.after(opinion, rng.randint(2, 10))
        if rng.random() < 0.03 and decided > requested:
            cancel = world.day_between(rng, requested, decided)
            if cancel <= as_of:
                trip.update(state=TripState.CANCELLED, note="Đương sự xin không đi.")
                if trip.get("cell_opinion_on") and trip["cell_opinion_on"] > cancel:
                    trip.update(cell_opinion="", cell_opinion_on=None)
                self._write(trip)
                return
        if decided > as_of:
            return self._write(trip)
        approved = rng.random() < 0.96
        decision = world.typed(decider, "QĐ", decided)  # typed, as the decide move takes it
        trip.update(approved=approved, decision_number=decision, decision_date=decided,
                    state=TripState.APPROVED if approved else TripState.REFUSED)  # fmt: skip
        notified = days.after(decided, rng.randint(1, 3))
        if notified > as_of:
            return self._write(trip)
        self._paper(decider, "TB", notified, m, tid, "V/v ra nước ngoài của đồng chí")
        trip.update(notified_on=notified, state=TripState.NOTIFIED)
        if not approved or leaves > as_of:
            return self._write(trip)
        trip.update(departed_on=leaves, state=TripState.ABROAD)
        returned = back + dt.timedelta(days=rng.choice([0, 0, 0, 1, -1, 2]))
        if returned > as_of:
            return self._write(trip)
        report_due = days.after(returned, self.report_days)
        trip.update(returned_on=returned, report_due_on=report_due, state=TripState.RETURNED)
        if passport != PassportType.ORDINARY:
            trip["passport_due_on"] = days.after(returned, self.passport_days)
            r = rng.random()
            if r < 0.97:
                back_in = days.after(returned, rng.randint(1, self.passport_days) if r < 0.9
                                     else rng.randint(self.passport_days + 1, 20))  # fmt: skip
                if back_in <= as_of:
                    trip["passport_returned_on"] = back_in
        r = rng.random()
        if r < 0.95:
            late = r >= 0.85
            reported = days.after(returned, rng.randint(self.report_days + 1, 25) if late
                                  else rng.randint(1, self.report_days))  # fmt: skip
            if reported <= as_of:
                trip.update(
                    report_received_on=reported,
                    state=TripState.REPORTED,
                    report_summary="Chuyến đi đúng mục đích, chấp hành đúng quy định.",
                )
        self._write(trip)

    def _paper(
        self, office: Office, kind: str, day: dt.date, m: MemberRow, tid: int, summary: str
    ) -> Any:
        rng = self.rng
        return self.batch.outgoing_doc(
            office.org, kind, day, summary=f"{summary} {m.full_name}"[:500],
            signer=rng.choice(office.head_names), authority="T/M",
            recipients=f"Đồng chí {m.full_name}\nLưu VT", object_type=OWNER, object_id=str(tid),
            created_by_id=rng.choice(office.officers), created_at=self.world.stamp(day, rng),
        )  # fmt: skip

    def _write(self, trip: dict[str, Any]) -> None:
        self.batch.add(Trip, trip, late=True)
        for position, country in enumerate(split(trip["countries"])):
            self.batch.add(Destination, {"trip_id": trip["id"], "country": country,
                                         "position": position})  # fmt: skip
        self.world.counts[f"trips {trip['state']}"] += 1


def province(batch: Batch, rule: tuple[int, int]) -> None:
    _Trips(batch, rule).run()


STAGE = hooks.SynthStage(40, "trips abroad", setup, province)
