"""One case told as it happened: its dated history (`Story`), then its rows as they stand on
the day of the load or of its withdrawal (`Writer`)."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from hoso.documents.synth import Outgoing
from hoso.lib import vntext
from hoso.people.rules import add_months
from hoso.people.synthworld import Office, Ref
from hoso.vetting import plan as case_plan
from hoso.vetting.models import (
    Case,
    CaseStep,
    Conclusion,
    Pause,
    PlanSkip,
    Reminder,
    Reply,
    ReplyItem,
    RequestState,
    State,
    TeamMember,
    Verdict,
    VerificationRequest,
)
from hoso.vetting.papers import OBJECT_TYPE
from hoso.vetting.synth.frame import (
    DISCREPANCIES,
    HANDOVER,
    HANDOVER_DEFAULT,
    ISSUERS,
    PURPOSES,
    REPLIES,
    Ask,
    Kin,
    Spec,
    Subject,
    Target,
    initials,
    person_name,
)

if TYPE_CHECKING:
    from hoso.vetting.synth.subjects import Cases


class Story:
    """The dated history one case would have, before it is cut at the day of the load (or at
    its withdrawal). Every draw comes from the case's own generator, so the same case can be
    told again from an earlier day of receipt."""

    def __init__(self, cases: Cases, spec: Spec, seed: float) -> None:
        self.cases, self.spec = cases, spec
        self.rng = random.Random(seed)
        self.moves: list[tuple[str, str, dt.date, str]] = []  # move, state entered, day, note
        self.asks: list[Ask] = []
        self.decision: dt.date | None = None
        self.start: dt.date | None = None
        self.compile: dt.date | None = None
        self.propose: dt.date | None = None
        self.signed: dt.date | None = None
        self.pause: tuple[dt.date, dt.date] | None = None
        self.targets: list[Target] = []
        self.skips: list[tuple[int, int | None, str]] = []

    def tell(self, received: dt.date) -> None:
        spec, rng, days = self.spec, self.rng, self.cases.world.days
        kind = spec.kind
        slow = spec.conclude_before is None and rng.random() < 0.1
        speed = rng.lognormvariate(0, 0.3) * (2.4 if slow else 1.0)

        def later(day: dt.date, low: int, high: int) -> dt.date:
            return days.after(day, max(1, round(rng.randint(low, high) * speed)))

        day = received
        self.moves = [("open", State.RECEIVED, day, "")]
        if "review" in kind.steps:
            day = later(day, 1, 4)
            self.moves.append(("review", State.REVIEW, day, ""))
            if rng.random() < 0.05 and spec.conclude_before is None:
                day = days.after(day, rng.randint(1, 3))
                note = "Đề nghị bổ sung bản tự kiểm điểm và nhận xét của chi bộ nơi cư trú."
                self.moves.append(("request_documents", State.MORE_DOCUMENTS, day, note))
                day = days.weekday(day + dt.timedelta(days=rng.randint(5, 25)))
                self.moves.append(("documents_received", State.REVIEW, day, ""))
        if "verification" in kind.steps:
            day = later(day, 2, 6)
            self.moves.append(("ask_decision", State.AWAITING_DECISION, day, ""))
            day = self.decision = later(day, 2, 7)
            self.moves.append(("record_decision", State.PLANNING, day, ""))
            day = self.start = later(day, 1, 5)
            self.moves.append(("start_verifying", State.VERIFYING, day, ""))
            done: dt.date | None = self._ask(day, kind.reply_days)
            if rng.random() < 0.02 and spec.conclude_before is None:
                paused = later(day, 2, 8)
                resumed = days.weekday(paused + dt.timedelta(days=rng.randint(20, 150)))
                self.pause = (paused, resumed)
                note = "Chờ kết quả xác minh của cơ quan chức năng ở nước ngoài."
                self.moves.append(("suspend", State.SUSPENDED, paused, note))
                self.moves.append(("resume", State.VERIFYING, resumed, ""))
                done = None if done is None else max(done, resumed)
            if done is None:
                return  # a reply that never came holds the case in verification
            day = self.compile = later(done, 1, 5)
            self.moves.append(("compile", State.COMPILING, day, ""))
        elif "compiling" in kind.steps:
            day = self.compile = later(day, 2, 5)
            self.moves.append(("compile", State.COMPILING, day, ""))
        if "proposal" in kind.steps:
            day = self.propose = later(day, 2, 8)
            self.moves.append(("propose", State.PROPOSED, day, ""))
        day = self.signed = later(day, 3, 12)
        self.moves.append(("conclude", State.CONCLUDED, day, ""))
        if rng.random() < 0.7:
            day += dt.timedelta(days=rng.randint(10, 60))
            self.moves.append(("archive", State.ARCHIVED, day, ""))

    def _ask(self, start: dt.date, reply_days: int) -> dt.date | None:
        """The requests of the plan, sent from the start of verification: the day the last
        one is answered or cancelled, or None if one is never answered."""
        rng, days = self.rng, self.cases.world.days
        self.targets, self.skips = self.cases.targets(self.spec, self.rng)
        done: dt.date | None = start
        strict = self.spec.conclude_before is not None
        for target in self.targets:
            for addressee in self.cases.addressees_for(self.spec, target, rng):
                sent = days.after(start, rng.randint(0, 3)) if rng.random() < 0.9 else start
                due = days.after(sent, reply_days)
                r = rng.random()
                reply = cancel = None
                if r < 0.86 or strict:
                    reply = days.after(sent, rng.randint(3, reply_days))
                elif r < 0.975:
                    reply = days.after(sent, rng.randint(reply_days + 1, 5 * reply_days // 2))
                elif rng.random() < 0.5:
                    cancel = days.weekday(due + dt.timedelta(days=rng.randint(20, 60)))
                self.asks.append(Ask(target, addressee, sent, due, reply, cancel))
                end = reply
                if cancel is not None:  # a new slip replaces the one never answered
                    again = days.after(cancel, rng.randint(0, 2))
                    end = days.after(again, rng.randint(3, reply_days))
                    self.asks.append(
                        Ask(target, addressee, again, days.after(again, reply_days), end, None)
                    )
                done = None if done is None or end is None else max(done, end)
        return done


class Writer:
    """The rows of one case, cut at the day of the load or at its withdrawal."""

    def __init__(self, cases: Cases, spec: Spec, story: Story, withdraw: dt.date | None) -> None:
        self.cases, self.spec, self.story = cases, spec, story
        self.batch, self.world = cases.batch, cases.world
        self.rng = story.rng
        self.cut = min(self.world.as_of, withdraw) if withdraw else self.world.as_of
        self.withdraw = withdraw if withdraw and withdraw <= self.world.as_of else None
        office = spec.office
        self.officer = self.rng.choice(office.officers)
        self.head = self.rng.choice(office.heads)
        self.id = self.world.take("vetting_case")
        kind = spec.kind
        self.level = kind.classification
        self.common = {
            "classification": self.level,
            "object_type": OBJECT_TYPE,
            "object_id": str(self.id),
            "created_by_id": self.officer,
        }

    def done(self, day: dt.date | None) -> bool:
        """Did it happen before the cut (a withdrawal ends the case on its day)?"""
        if day is None:
            return False
        return day < self.cut if self.withdraw else day <= self.cut

    def write(self) -> str:
        spec, story, batch, world, rng = self.spec, self.story, self.batch, self.world, self.rng
        kind, office = spec.kind, spec.office
        applied = [m for m in story.moves if self.done(m[2])]
        state: str = State.RECEIVED
        returning = ""
        steps = []
        for move, goal, day, note in applied:
            before = "" if move == "open" else state
            if goal in (State.SUSPENDED, State.MORE_DOCUMENTS):
                returning = state
            elif state in (State.SUSPENDED, State.MORE_DOCUMENTS):
                returning = ""
            by = self.head if move in ("suspend", "resume") else self.officer
            steps.append((move, before, goal, note, by, day))
            state = goal
        if self.withdraw:
            note = rng.choice(
                [
                    "Cơ quan đề nghị rút hồ sơ.",
                    "Người được thẩm tra chuyển công tác.",
                    "Không còn nhu cầu bố trí.",
                ]
            )
            steps.append(("withdraw", state, State.WITHDRAWN, note, self.head, self.withdraw))
            state, returning = State.WITHDRAWN, ""
        due = world.days.after(spec.received, kind.days, kind.working)
        paused_since = None
        if story.pause and self.done(story.pause[0]):
            paused, resumed = story.pause
            ended = self.done(resumed)
            after = world.days.extend(due, paused, resumed, kind.working) if ended else None
            if kind.pausable:
                batch.add(
                    Pause,
                    {
                        "case_id": self.id,
                        "started_on": paused,
                        "ended_on": resumed if ended else None,
                        "reason": "Chờ kết quả xác minh",
                        "due_before": due,
                        "due_after": after,
                        "started_by_id": self.head,
                    },
                )
                if ended:
                    due = after or due
                elif state == State.SUSPENDED:
                    paused_since = paused
        decision: Outgoing | str | None = None
        if self.done(story.decision):
            assert story.decision is not None
            # Half the decisions are numbered in hoso (issue_decision), half typed from the
            # committee's own register (record_decision).
            decision = (
                self._paper(
                    spec.competent,
                    "QĐ",
                    story.decision,
                    f"Về việc thẩm tra, xác minh tiêu chuẩn chính trị đồng chí"
                    f" {spec.subject.full_name}",
                )
                if rng.random() < 0.5
                else world.typed(spec.competent, "QĐ", story.decision)
            )
        started = self.done(story.start)
        self._case(state, returning, due, paused_since, decision, started)
        moments = world.stamps([step[5] for step in steps], rng)
        for (move, before, goal, note, by, _day), at in zip(steps, moments, strict=True):
            batch.add(
                CaseStep,
                {"case_id": self.id, "move": move, "from_state": before, "to_state": goal,
                 "note": note, "by_id": by, "at": at},
            )  # fmt: skip
        if started:
            self._team()
            self._skips()
        self._requests()
        if self.done(story.propose) and rng.random() < 0.2:  # an appraisal numbered in hoso
            assert story.propose is not None
            self._paper(
                office,
                "BC",
                story.propose,
                f"Kết quả thẩm định tiêu chuẩn chính trị đồng chí {spec.subject.full_name}",
            )
        if self.done(story.signed):
            self._conclusion()
        return str(state)

    def _paper(self, issuer: Office, kind: str, day: dt.date, summary: str) -> Outgoing:
        return self.batch.outgoing_doc(
            issuer.org,
            kind,
            day,
            summary=summary[:500],
            signer=self.rng.choice(issuer.head_names),
            authority="T/M",
            recipients=f"{self.spec.office.org.name}\nLưu VT, hồ sơ",
            created_at=self.world.stamp(day, self.rng),
            **self.common,
        )

    def _case(
        self,
        state: str,
        returning: str,
        due: dt.date,
        paused_since: dt.date | None,
        decision: Outgoing | str | None,
        started: bool,
    ) -> None:
        spec, rng, world = self.spec, self.rng, self.world
        kind, subject = spec.kind, spec.subject
        code = kind.code
        requested = world.days.weekday(spec.received - dt.timedelta(days=rng.randint(1, 10)))
        cell = subject.member.org_path if subject.member else ""
        issuer = ISSUERS.get(code, "{o}").format(
            cell=f"{int(cell[-4:], 36)}" if cell else "1",
            p=self.cases.province.label,
            o=spec.office.org.name,
        )
        restricted = rng.random() < (0.25 if code == "TRONG_YEU" else 0.02)
        self.batch.add(
            Case,
            {
                "id": self.id,
                "organization_id": spec.office.org.id,
                "case_type_id": kind.type_id,
                "version_id": kind.version_id,
                "person_id": subject.person_id,
                "purpose": rng.choice(PURPOSES.get(code, [kind.name])),
                "competent_committee_id": spec.competent.org.id,
                "request_number": f"{rng.randint(1, 400)}-TTr/{initials(issuer)}",
                "request_date": min(requested, spec.received),
                "request_issuer": issuer,
                "received_on": spec.received,
                "handed_over_by": person_name(rng),
                "handover_items": HANDOVER.get(code, HANDOVER_DEFAULT),
                "decision_number": Ref(decision)
                if isinstance(decision, Outgoing)
                else (decision or ""),
                "decision_date": self.story.decision if decision else None,
                "plan": PLAN_TEXT if started else "",
                "proposal": PROPOSAL_TEXT if self.done(self.story.propose) else "",
                "classification": self.level,
                "restricted": restricted,
                "state": state,
                "return_state": returning,
                "assignee_id": self.officer,
                "due_on": due,
                "paused_since": paused_since,
                "created_by_id": self.officer,
                "created_at": world.stamp(spec.received, rng),
            },
            late=isinstance(decision, Outgoing),
        )

    def _team(self) -> None:
        office, kind = self.spec.office, self.spec.kind
        people = [
            self.officer,
            *[u for u in (*office.officers, *office.heads) if u != self.officer],
        ]
        for i, user in enumerate(people[: max(kind.team, 1)]):
            self.batch.add(TeamMember, {"case_id": self.id, "user_id": user, "leader": i == 0})

    def _skips(self) -> None:
        story = self.story
        assert story.start is not None
        until = story.compile if self.done(story.compile) else self.cut
        for line, relative, reason in story.skips:
            day = self.world.day_between(self.rng, story.start, until or story.start)
            self.batch.add(
                PlanSkip,
                {
                    "case_id": self.id,
                    "line": line,
                    "relative_id": relative,
                    "reason": reason,
                    "recorded_by_id": self.officer,
                    "recorded_at": self.world.stamp(day, self.rng),
                },
            )

    def _requests(self) -> None:
        spec, story, batch, world, rng = self.spec, self.story, self.batch, self.world, self.rng
        questions_self, questions_kin = case_plan.QUESTIONS_SELF, case_plan.QUESTIONS_RELATIVE
        compiled = self.done(story.compile)
        for ask in story.asks:
            if not self.done(ask.sent):
                continue
            t = ask.target
            questions = questions_self if t.person == spec.subject.person_id else questions_kin
            slip = batch.outgoing_doc(
                spec.office.org,
                "PYC",
                ask.sent,
                summary=f"V/v xác minh lý lịch {t.label}"[:500],
                body=self._slip(ask, questions),
                recipients=ask.addressee,
                created_at=world.stamp(ask.sent, rng),
                **self.common,
            )
            answered = self.done(ask.reply) and ask.reply is not None and ask.reply <= world.as_of
            cancelled = not answered and (self.done(ask.cancel) or self.withdraw is not None)
            state = (
                RequestState.ANSWERED
                if answered
                else (RequestState.CANCELLED if cancelled else RequestState.OPEN)
            )
            rid = batch.add(
                VerificationRequest,
                {
                    "case_id": self.id,
                    "document_id": slip.id,
                    "person_id": t.person,
                    "relative_id": t.relative,
                    "person_key": t.key,
                    "person_label": t.label[:255],
                    "addressee_id": self.cases.setup.addressees[ask.addressee],
                    "questions": questions,
                    "sent_on": ask.sent,
                    "due_on": ask.due,
                    "state": state,
                    "created_by_id": self.officer,
                    "created_at": world.stamp(ask.sent, rng),
                },
            )
            last = ask.reply if answered else self.cut
            if last is not None and ask.due < last:
                reminded = ask.due + dt.timedelta(days=rng.randint(2, 8))
                if reminded < last:
                    batch.add(
                        Reminder,
                        {
                            "request_id": rid,
                            "sent_on": reminded,
                            "by_id": self.officer,
                            "note": "Đôn đốc trả lời phiếu",
                        },
                    )
            if answered:
                assert ask.reply is not None
                self._reply(ask, ask.reply, slip, rid, compiled)

    def _slip(self, ask: Ask, questions: str) -> str:
        spec = self.spec
        return "\n\n".join(
            [
                f"Kính gửi: {ask.addressee}.",
                f"{spec.office.org.name} đề nghị {ask.addressee} xác minh lý lịch của:",
                ask.target.who,
                f"Nội dung cần xác minh: {questions}",
                f"Đề nghị gửi kết quả xác minh về {spec.office.org.name} trước ngày"
                f" {ask.due:%d/%m/%Y}.",
            ]
        )

    def _reply(self, ask: Ask, day: dt.date, slip: Outgoing, rid: int, compiled: bool) -> None:
        batch, world, rng = self.batch, self.world, self.rng
        summary = rng.choice(REPLIES)
        reference = f"{rng.randint(1, 2000)}/{initials(ask.addressee)}"
        incoming = batch.incoming_doc(
            self.spec.office.org,
            day,
            sender=ask.addressee,
            sender_reference=reference,
            sender_date=day - dt.timedelta(days=rng.randint(1, 5)),
            summary=Ref(slip, f"Trả lời phiếu {{}}: {summary}"),
            late=True,
            created_at=world.stamp(day, rng),
            **{**self.common, "created_by_id": self.spec.office.clerk},
        )
        reply = batch.add(
            Reply,
            {
                "request_id": rid,
                "incoming_id": incoming.id,
                "received_on": day,
                "reference": reference,
                "summary": summary,
                "recorded_by_id": self.officer,
                "recorded_at": world.stamp(day, rng),
            },
        )
        # The points compared: for most replies none is typed (the summary says it all), a
        # matching point for some, a discrepancy for a few.
        r = rng.random()
        if r < 0.3:
            values: dict[str, Any] = {
                "reply_id": reply,
                "topic": "Lịch sử chính trị và chính trị hiện nay",
                "finding": summary,
                "verdict": Verdict.MATCH,
            }
            batch.add(ReplyItem, values)
        if r >= 0.96:
            finding = rng.choice(DISCREPANCIES)
            compiled_on = self.story.compile
            resolved = compiled and compiled_on is not None
            batch.add(
                ReplyItem,
                {
                    "reply_id": reply,
                    "topic": "Đối chiếu lý lịch",
                    "finding": finding,
                    "verdict": Verdict.DISCREPANCY,
                    "resolution": "Đã làm rõ với người được thẩm tra, bổ sung lý lịch."
                    if resolved
                    else "",
                    "resolved_by_id": self.officer if resolved else None,
                    "resolved_at": world.stamp(compiled_on, rng)
                    if resolved and compiled_on
                    else None,
                },
            )

    def _conclusion(self) -> None:
        spec, story, world, rng = self.spec, self.story, self.world, self.rng
        assert story.signed is not None
        signed = story.signed
        outcome = self.cases.outcome(spec, signed, rng)
        first = self._conclude(outcome, signed, None, "")
        if spec.conclude_before is None and rng.random() < 0.005:
            again = signed + dt.timedelta(days=rng.randint(15, 120))
            if again <= world.as_of:
                codes = [c for c, _label in spec.kind.outcomes]
                self._conclude(
                    rng.choice(codes),
                    world.days.weekday(again),
                    first,
                    "Sửa sai sót về nội dung kết luận sau khi xem xét lại hồ sơ.",
                )

    def _conclude(self, outcome: str, signed: dt.date, supersedes: int | None, why: str) -> int:
        spec, rng, world = self.spec, self.rng, self.world
        label = dict(spec.kind.outcomes)[outcome]
        text = (
            f"{label}. {spec.competent.org.name} kết luận tiêu chuẩn chính trị đồng chí"
            f" {spec.subject.full_name}."
        )
        signed = min(signed, world.as_of)
        # Half numbered in the competent committee's register in hoso (conclude_numbered),
        # half typed from its own (conclude).
        number: Ref | str = (
            Ref(
                self._paper(
                    spec.competent,
                    "KL",
                    signed,
                    f"Kết luận tiêu chuẩn chính trị đồng chí {spec.subject.full_name}",
                )
            )
            if rng.random() < 0.5
            else world.typed(spec.competent, "KL", signed)
        )
        months = spec.kind.validity
        return self.batch.add(
            Conclusion,
            {
                "case_id": self.id,
                "outcome": outcome,
                "outcome_label": label,
                "text": text,
                "number": number,
                "signed_on": signed,
                "signer": rng.choice(spec.competent.head_names),
                "authority": "T/M" if rng.random() < 0.7 else "K/T",
                "supersedes_id": supersedes,
                "reason": why,
                "serves": "",
                "valid_until": add_months(signed, months) if months else None,
                "recorded_by_id": self.officer,
                "recorded_at": world.stamp(signed, rng),
            },
            late=isinstance(number, Ref),
        )


PLAN_TEXT = (
    "Kế hoạch thẩm tra, xác minh: nghiên cứu hồ sơ; gửi phiếu yêu cầu xác minh đến cơ quan"
    " hồ sơ nghiệp vụ và cấp ủy nơi cư trú; làm việc với người được thẩm tra; tổng hợp, báo cáo."
)
PROPOSAL_TEXT = (
    "Qua thẩm tra, xác minh, đoàn thấy lý lịch khai đúng; đề nghị cấp ủy có thẩm quyền xem xét,"
    " kết luận tiêu chuẩn chính trị theo quy định."
)


def takes(rule: case_plan.Rule, kin: Kin, year: int) -> bool:
    """plan.Rule.takes() on a declaration as read here (the same rule: relationship, side,
    and the age for lines of adults)."""
    for code in rule.codes:
        side, _sep, relationship = code.rpartition(":")
        if relationship == kin.code and side in ("", kin.side):
            born = kin.birth_year
            return not (rule.adult and born is not None and year - born < case_plan.ADULT_AGE)
    return False


def who(s: Subject) -> str:
    facts = [f"Họ và tên: {vntext.upper(s.full_name)}"]
    if s.birth_date:
        facts.append(f"sinh ngày {s.birth_date:%d/%m/%Y}")
    if s.home_town:
        facts.append(f"quê quán: {s.home_town}")
    if s.residence:
        facts.append(f"nơi thường trú: {s.residence}")
    return "; ".join(facts) + "."


def kin_target(s: Subject, k: Kin) -> Target:
    year = f", {k.birth_year}" if k.birth_year else ""
    facts = [
        f"Họ và tên: {k.full_name}",
        f"sinh năm {k.birth_year}" if k.birth_year else "",
        f"nơi ở: {k.residence}" if k.residence else "",
        f"là {k.relationship.lower()} của đồng chí {s.full_name}",
    ]
    return Target(
        f"r{k.id}",
        f"{k.full_name} ({k.relationship}{year})",
        None,
        k.id,
        k.residence,
        "; ".join(f for f in facts if f) + ".",
    )
