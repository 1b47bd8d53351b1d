"""Petitions (đơn thư) of `hoso synth --full` (people/synthworld.py), received by the
provinces' and communes' offices from 2022 to the day of the load, each as the actions leave
it: registered in the incoming register (the petitioner sealed), classified within the time
limit by the rule of `actions.not_handled_reason` (anonymous complaints and denunciations, and
repeats without new evidence, are not handled), then forwarded (a numbered letter), accepted
(a numbered notice and the handling time limit of its kind, sometimes extended), verified,
concluded, the petitioner notified (a numbered notice) and closed; some still open, some past
their limit. Each names one or two persons, most of them members of the province.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from hoso.people import hooks
from hoso.people.synthworld import START, Batch, Office, Ref, World
from hoso.petitions.actions import not_handled_reason
from hoso.petitions.models import (
    Channel,
    Extension,
    Kind,
    Naming,
    Outcome,
    Petition,
    PetitionRule,
    Reason,
    State,
    Step,
    Subject,
)

PETITIONS_PER_MEMBER = 0.012  # over the years of the load: 60,000 for 5 million members
OWNER = "petitions.petition"
SUMMARIES = (
    "Phản ánh cán bộ có biểu hiện vi phạm trong quản lý đất đai",
    "Tố cáo việc kê khai lý lịch không trung thực",
    "Khiếu nại việc xử lý kỷ luật đảng viên",
    "Phản ánh việc bổ nhiệm cán bộ chưa đúng quy trình",
    "Tố cáo cán bộ có quan hệ không lành mạnh",
    "Kiến nghị xem xét lại tiêu chuẩn chính trị của cán bộ được quy hoạch",
)
FORWARDERS = ("Ủy ban Kiểm tra {o}", "Ban Tiếp công dân {p}", "Văn phòng {o}")
COMPETENT = ("Ủy ban Kiểm tra {o}", "Thanh tra {p}", "Công an {p}", "Ủy ban nhân dân {p}")
POSTS = ("Chủ tịch UBND xã", "Trưởng phòng", "Phó Giám đốc Sở", "Bí thư Chi bộ", "Cán bộ địa chính")
CONCLUSIONS = {
    Outcome.TRUE: "Nội dung đơn phản ánh đúng; kiến nghị xử lý theo quy định.",
    Outcome.PARTLY: "Nội dung đơn đúng một phần; yêu cầu cán bộ kiểm điểm, rút kinh nghiệm.",
    Outcome.FALSE: "Nội dung đơn phản ánh không đúng sự thật.",
}


def setup(world: World) -> dict[str, tuple[int, bool]]:
    return {k: (d, u == "working") for k, d, u in PetitionRule.objects.values_list(
        "kind", "days", "unit")}  # fmt: skip


class _Petitions:
    def __init__(self, batch: Batch, limits: dict[str, tuple[int, bool]]) -> None:
        self.batch, self.world = batch, batch.world
        self.rng = self.world.rng(f"petitions:{batch.province.index}")
        self.limits = limits

    def limit(self, start: dt.date, kind: str) -> dt.date:
        days, working = self.limits.get(kind, (30, True))
        return self.world.days.after(start, days, working)

    def run(self) -> None:
        world, rng, province = self.world, self.rng, self.batch.province
        for _ in range(round(PETITIONS_PER_MEMBER * len(self.batch.members))):
            office = province.office if rng.random() < 0.7 else rng.choice(province.communes)
            self._one(office, world.day_between(rng, START, world.as_of))

    def _one(self, office: Office, received: dt.date) -> None:
        world, rng, batch = self.world, self.rng, self.batch
        pid = world.take("petitions_petition")
        officer, clerk = rng.choice(office.officers), office.clerk
        province = batch.province
        fill = {"o": office.org.name, "p": province.label}
        channel = rng.choices(list(Channel), [55, 15, 30])[0]
        forwarded_by = rng.choice(FORWARDERS).format(**fill) if channel == Channel.FORWARDED else ""
        summary = rng.choice(SUMMARIES)
        incoming = batch.incoming_doc(
            office.org, received, sender=forwarded_by or "Đơn thư của công dân",
            sender_reference="Đơn thư", summary=f"Đơn thư: {summary}"[:500], classification=1,
            object_type=OWNER, object_id=str(pid), created_by_id=clerk,
            created_at=world.stamp(received, rng),
        )  # fmt: skip
        p: dict[str, Any] = {
            "id": pid, "organization_id": office.org.id, "incoming_id": incoming.id,
            "received_on": received, "channel": channel, "forwarded_by": forwarded_by,
            "summary": summary, "classification": 1, "state": State.RECEIVED,
            "due_on": self.limit(received, PetitionRule.CLASSIFY), "created_by_id": clerk,
            "created_at": world.stamp(received, rng),
        }  # fmt: skip
        naming = rng.choices(list(Naming), [70, 25, 5])[0]
        if naming == Naming.NAMED:
            p.update(petitioner_name=_name(rng), petitioner_address=f"{province.label}",
                     petitioner_contact=f"09{rng.randint(10_000_000, 99_999_999)}")  # fmt: skip
        steps: list[Move] = [Move("", State.RECEIVED, received, clerk)]
        self._handle(p, steps, naming, officer)
        applied = [m for m in steps if m.day <= world.as_of]
        for move in applied[1:]:
            p.update(move.fields)
            if move.paper is not None:
                kind, summary, to, field = move.paper
                doc = self._paper(office, kind, move.day, summary, to, p)
                if field:
                    p[field] = doc.id if field.endswith("_id") else Ref(doc)
            if move.extension is not None and move.extension["at"] <= world.as_of:
                batch.add(Extension, {"petition_id": pid, **move.extension,
                                      "at": world.stamp(move.extension["at"], rng)})  # fmt: skip
                p["due_on"] = move.extension["due_after"]
        p["state"] = applied[-1].goal
        batch.add(Petition, p, late=True)
        moments = world.stamps([move.day for move in applied], rng)
        for move, at in zip(applied, moments, strict=True):
            batch.add(Step, {"petition_id": pid, "from_state": move.before, "to_state": move.goal,
                             "note": move.note, "by_id": move.by, "at": at})  # fmt: skip
        for _ in range(1 if rng.random() < 0.85 else 2):
            self._subject(pid)
        world.counts[f"petitions {p['state']}"] += 1

    def _handle(self, p: dict[str, Any], steps: list[Move], naming: str, officer: int) -> None:
        """The whole handling as it will happen; only what is dated by the load is kept."""
        rng, days = self.rng, self.world.days
        office = self._office(p)
        classified = days.after(p["received_on"], rng.randint(2, 12))
        kind = rng.choices(list(Kind), [35, 45, 20])[0]
        repeated = rng.random() < 0.1
        facts = {
            "kind": kind,
            "naming": naming,
            "within_competence": rng.random() < 0.72,
            "repeated": repeated,
            "new_evidence": repeated and rng.random() < 0.3,
        }
        reason = not_handled_reason(Petition(**facts))
        if reason:
            steps.append(
                Move(
                    State.RECEIVED,
                    State.NOT_HANDLED,
                    classified,
                    officer,
                    str(Reason(reason).label),
                    {**facts, "reason": reason, "closed_on": classified},
                )
            )
            return
        steps.append(Move(State.RECEIVED, State.CLASSIFIED, classified, officer, "", facts))
        moved = days.after(classified, rng.randint(1, 8))
        if not facts["within_competence"]:
            to = rng.choice(COMPETENT).format(o=office.org.name, p=self.batch.province.label)
            steps.append(
                Move(
                    State.CLASSIFIED,
                    State.FORWARDED,
                    moved,
                    officer,
                    "",
                    {"forwarded_to": to, "closed_on": moved},
                    ("CV", "V/v chuyển đơn thư nhận ngày", to, "forward_document_id"),
                )
            )
            if rng.random() < 0.6:
                steps.append(
                    Move(State.FORWARDED, State.CLOSED, moved + dt.timedelta(days=30), officer)
                )
            return
        if rng.random() < 0.12:
            note = "Nội dung đã được cơ quan có thẩm quyền giải quyết."
            steps.append(
                Move(
                    State.CLASSIFIED,
                    State.NOT_HANDLED,
                    moved,
                    officer,
                    note,
                    {"reason": Reason.OTHER, "reason_note": note, "closed_on": moved},
                )
            )
            return
        due = self.limit(moved, kind)
        steps.append(
            Move(
                State.CLASSIFIED,
                State.ACCEPTED,
                moved,
                officer,
                "",
                {"accepted_on": moved, "due_on": due},
                ("TB", "V/v thụ lý giải quyết đơn nhận ngày", "Người gửi đơn", ""),
            )
        )
        verifying = days.after(moved, rng.randint(2, 10))
        step = Move(State.ACCEPTED, State.VERIFYING, verifying, officer)
        steps.append(step)
        days_limit = self.limits.get(kind, (30, True))[0]
        slow = rng.random() < 0.1
        took = rng.randint(days_limit, 2 * days_limit) if slow else rng.randint(15, days_limit - 5)
        concluded = days.after(moved, took)
        if slow and rng.random() < 0.4:  # extended by a decision before it fell due
            step.extension = {
                "days": 30,
                "reason": "Nội dung phức tạp, cần xác minh thêm",
                "decision": f"{rng.randint(1, 300)}-QĐ/{office.org.sign}",
                "due_before": due,
                "due_after": days.after(due, 30),
                "by_id": rng.choice(office.heads),
                "at": max(verifying, due - dt.timedelta(days=5)),
            }
        outcome = rng.choices(list(Outcome), [25, 30, 45])[0]
        steps.append(
            Move(
                State.VERIFYING,
                State.CONCLUDED,
                concluded,
                officer,
                "",
                {"outcome": outcome, "conclusion": CONCLUSIONS[outcome], "concluded_on": concluded},
                ("KL", "Kết luận nội dung đơn nhận ngày", "", "conclusion_reference"),
            )
        )
        notified = days.after(concluded, rng.randint(1, 7))
        steps.append(
            Move(
                State.CONCLUDED,
                State.NOTIFIED,
                notified,
                officer,
                "",
                {"notified_on": notified},
                (
                    "TB",
                    "V/v thông báo kết quả giải quyết đơn nhận ngày",
                    "Người gửi đơn",
                    "notice_reference",
                ),
            )
        )
        closed = notified + dt.timedelta(days=rng.randint(5, 30))
        steps.append(Move(State.NOTIFIED, State.CLOSED, closed, officer, "", {"closed_on": closed}))

    def _office(self, p: dict[str, Any]) -> Office:
        province = self.batch.province
        return next(o for o in (province.office, *province.communes)
                    if o.org.id == p["organization_id"])  # fmt: skip

    def _paper(
        self, office: Office, kind: str, day: dt.date, summary: str, to: str, p: dict[str, Any]
    ) -> Any:
        rng = self.rng
        return self.batch.outgoing_doc(
            office.org, kind, day, summary=f"{summary} {p['received_on']:%d/%m/%Y}"[:500],
            signer=rng.choice(office.head_names), authority="T/M",
            recipients=f"{to}\nLưu VT, hồ sơ đơn thư" if to else "Lưu VT, hồ sơ đơn thư",
            classification=1, object_type=OWNER, object_id=str(p["id"]),
            created_by_id=rng.choice(office.officers), created_at=self.world.stamp(day, rng),
        )  # fmt: skip

    def _subject(self, pid: int) -> None:
        rng, members = self.rng, self.batch.members
        if members and rng.random() < 0.8:
            m = rng.choice(members)
            name, person = m.full_name, m.person_id
        else:
            name, person = _name(rng), None
        self.batch.add(Subject, {"petition_id": pid, "name": name, "person_id": person,
                                 "position": rng.choice(POSTS)})  # fmt: skip


@dataclass
class Move:
    """One step of a petition: the state it enters, when, by whom, what it records and the
    paper it issues (type, summary, recipient, the field that keeps its id or reference)."""

    before: str
    goal: str
    day: dt.date
    by: int
    note: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    paper: tuple[str, str, str, str] | None = None
    extension: dict[str, Any] | None = None


def _name(rng: random.Random) -> str:
    from hoso.people.synth import GIVEN, MIDDLE

    sex = "M" if rng.random() < 0.55 else "F"
    family = rng.choice(["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đỗ", "Bùi"])
    middle = "Thị" if sex == "F" and rng.random() < 0.6 else rng.choice(MIDDLE[sex])
    return f"{family} {middle} {rng.choice(GIVEN[sex])}"


def province(batch: Batch, limits: dict[str, tuple[int, bool]]) -> None:
    _Petitions(batch, limits).run()


STAGE = hooks.SynthStage(30, "petitions", setup, province)
