"""Requests for verification help received from other bodies, for `hoso synth --full`
(people/synthworld.py): registered as incoming letters, assigned by a head, worked on and
answered by a numbered letter (CV) mostly within the due date; some overdue, declined or
cancelled; the recent ones still open. Most come from other provinces' organizing boards, the
rest from police and army records units and central bodies; about half ask about a member of
the province, whom the officer finds on record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hoso.people import hooks
from hoso.people.synth import PROVINCES
from hoso.people.synthworld import START, Batch, Office, Ref, World
from hoso.vetting.help import ASKED, OBJECT_TYPE
from hoso.vetting.models import HelpKind, HelpRequest, HelpRule, HelpState, HelpStep
from hoso.vetting.synth.frame import committee

HELP_PER_MEMBER = 0.015  # over the years of the load: 75,000 for 5 million members
OTHER_BODIES = (
    "Công an {p}",
    "Bộ Chỉ huy Quân sự {p}",
    "Ban Tổ chức Trung ương",
    "Ủy ban Kiểm tra Trung ương",
)
ANSWERS = (
    "Qua nghiên cứu hồ sơ lưu trữ, lý lịch của người được hỏi khai đúng.",
    "Không phát hiện vấn đề về chính trị; gửi kèm bản sao hồ sơ theo đề nghị.",
    "Hồ sơ lưu trữ không có thông tin về người được hỏi.",
)


def setup(world: World) -> dict[str, Any]:
    from hoso.vetting.models import Addressee

    return {
        "days": dict(HelpRule.objects.values_list("kind", "days")),
        "directory": dict(Addressee.objects.values_list("name", "id")),
    }


class _Help:
    def __init__(self, batch: Batch, state: dict[str, Any]) -> None:
        self.batch, self.world = batch, batch.world
        self.rng = self.world.rng(f"help:{batch.province.index}")
        self.days: dict[str, int] = state["days"]
        self.directory: dict[str, int] = state["directory"]
        self.arrivals = 0

    def run(self) -> None:
        world, rng = self.world, self.rng
        province = self.batch.province
        members = self.batch.members
        for _ in range(round(HELP_PER_MEMBER * len(members))):
            office = province.office if rng.random() < 0.65 else rng.choice(province.communes)
            received = world.day_between(rng, START, world.as_of)
            self._one(office, received)

    def _requester(self) -> str:
        rng = self.rng
        others = [p for p in PROVINCES if p[0] != self.batch.province.name]
        name, _code, city = rng.choice(others)
        if rng.random() < 0.6:
            return committee(name, city)
        label = f"{'thành phố' if city else 'tỉnh'} {name}"
        return rng.choice(OTHER_BODIES).format(p=label)

    def _one(self, office: Office, received: dt.date) -> None:
        world, rng, batch = self.world, self.rng, self.batch
        kind = HelpKind.VERIFY if rng.random() < 0.8 else HelpKind.DOSSIER
        requester = self._requester()
        member = rng.choice(batch.members) if rng.random() < 0.5 and batch.members else None
        if member is not None:
            name, year, home = member.full_name, member.birth_year, member.home_town
        else:
            name, year, home = _stranger(rng), rng.randint(1950, 2004), ""
        due = world.days.after(received, self.days.get(kind, 15))
        hid = world.take("vetting_helprequest")
        head, officer = rng.choice(office.heads), rng.choice(office.officers)
        sender_date = received - dt.timedelta(days=rng.randint(2, 10))
        incoming = batch.incoming_doc(
            office.org, received, sender=requester, sender_date=sender_date,
            sender_reference=f"{rng.randint(1, 900)}-CV/{_short(requester)}",
            summary=f"Đề nghị {ASKED[kind]} {name}"[:500], classification=1,
            object_type=OBJECT_TYPE, object_id=str(hid), created_by_id=office.clerk,
            created_at=world.stamp(received, rng),
        )  # fmt: skip
        steps = [("register", "", HelpState.RECEIVED, received, office.clerk, "")]
        assigned = world.days.after(received, rng.randint(0, 3))
        steps.append(("assign", HelpState.RECEIVED, HelpState.ASSIGNED, assigned, head, ""))
        started = world.days.after(assigned, rng.randint(0, 4))
        steps.append(("start", HelpState.ASSIGNED, HelpState.IN_PROGRESS, started, officer, ""))
        r = rng.random()
        ending: tuple[str, str, dt.date, str]
        if r < 0.03:
            why = "Không thuộc thẩm quyền của cơ quan."
            ending = ("decline", HelpState.DECLINED, world.days.after(received, 3), why)
        elif r < 0.05:
            why = "Cơ quan đề nghị đã rút văn bản."
            ending = ("cancel", HelpState.CANCELLED, world.days.after(received, 5), why)
        else:
            late = rng.random() < 0.1
            took = rng.randint(16, 40) if late else rng.randint(5, 15)
            ending = ("answer", HelpState.ANSWERED, world.days.after(received, took), "")
        state, answer, answered_on, summary, reason = HelpState.RECEIVED, None, None, "", ""
        move, goal, day, why = ending
        if move == "answer":
            day = max(day, started)
        ended = day <= world.as_of
        applied = [s for s in steps if s[3] <= world.as_of and (not ended or s[3] <= day)]
        if move == "decline":
            applied = applied[:1]  # a head declines it before giving it to anyone
        note: Any = why
        if ended:
            if move == "answer":
                summary = rng.choice(ANSWERS)
                answer = batch.outgoing_doc(
                    office.org, "CV", day, summary=f"V/v trả lời đề nghị {ASKED[kind]} {name}",
                    body=f"Kính gửi: {requester}.\n\n{summary}", signer=office.head_names[0],
                    authority="T/M", recipients=f"{requester}\nLưu VT", classification=1,
                    object_type=OBJECT_TYPE, object_id=str(hid), created_by_id=officer,
                    created_at=world.stamp(day, rng),
                )  # fmt: skip
                answered_on, note = day, Ref(answer)
            reason = why
            by = head if move == "decline" else officer
            applied.append((move, applied[-1][2], goal, day, by, note))
        if applied:
            state = applied[-1][2]
        batch.add(
            HelpRequest,
            {
                "id": hid, "organization_id": office.org.id, "incoming_id": incoming.id,
                "received_on": received, "requester": requester,
                "requester_addressee_id": self.directory.get(requester), "kind": kind,
                "subject_name": name, "subject_birth_year": year, "subject_home_town": home,
                "person_id": member.person_id if member and rng.random() < 0.6 else None,
                "asked": f"Đề nghị {ASKED[kind]} đối với {name}, sinh năm {year}.",
                "classification": 1, "state": state,
                "assignee_id": officer if state != HelpState.RECEIVED else None,
                "due_on": due, "answer_id": answer.id if answer else None,
                "answered_on": answered_on, "answer_summary": summary, "closing_reason": reason,
                "created_by_id": office.clerk, "created_at": world.stamp(received, rng),
            },
        )  # fmt: skip
        moments = world.stamps([step[3] for step in applied], rng)
        for (move, before, goal, _day, by, note), at in zip(applied, moments, strict=True):
            batch.add(HelpStep, {"help_id": hid, "move": move, "from_state": before,
                                 "to_state": goal, "note": note, "by_id": by, "at": at},
                      late=isinstance(note, Ref))  # fmt: skip
        batch.world.counts[f"help {state}"] += 1


def _short(body: str) -> str:
    return "".join(w[0] for w in body.split() if w[:1].isupper())[:8] or "VP"


def _stranger(rng: Any) -> str:
    from hoso.people.synth import GIVEN, MIDDLE

    sex = "M" if rng.random() < 0.55 else "F"
    family = rng.choice(["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đỗ"])
    middle = "Thị" if sex == "F" and rng.random() < 0.6 else rng.choice(MIDDLE[sex])
    return f"{family} {middle} {rng.choice(GIVEN[sex])}"


def province(batch: Batch, state: dict[str, Any]) -> None:
    _Help(batch, state).run()


STAGE = hooks.SynthStage(25, "requests for verification help", setup, province)
