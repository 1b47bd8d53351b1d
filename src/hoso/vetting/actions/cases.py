"""Every change to a case: checked against the policy and the workflow, audited, atomic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record, record_on
from hoso.lib import files
from hoso.orgs.models import Organization
from hoso.people.models import Person
from hoso.vetting import actions, clock, hooks, validity
from hoso.vetting.models import (
    Case,
    CaseFile,
    CasePetition,
    CaseStep,
    CaseType,
    Conclusion,
    ConclusionValidity,
    State,
    TeamMember,
)
from hoso.vetting.transitions import CASES, IllegalMove, Move

A = policy.Action


class CaseError(ValueError):
    pass


def _require(actor: User, action: str, case: Case) -> None:
    policy.require(actor, action, case.organization, case.classification)


def _lock(case: Case) -> None:
    """Take the case's row lock and reload it, so concurrent moves take turns on fresh data."""
    Case.objects.select_for_update().filter(pk=case.pk).exists()
    case.refresh_from_db()


def open_case(
    actor: User,
    organization: Organization,
    case_type: CaseType,
    person: Person | dict[str, Any],
    *,
    purpose: str,
    competent_committee: Organization,
    request_number: str,
    request_date: dt.date,
    request_issuer: str,
    received_on: dt.date,
    handed_over_by: str,
    handover_items: str,
    classification: int | None = None,
    restricted: bool = False,
    opened_from: tuple[hooks.Source, Any] | None = None,
) -> Case:
    """Receive a file: the case starts in `received` with its handover record and time limit.

    `person` is a recorded person or the fields of a new one (a subject who is not a member);
    `opened_from` the record of another app the case is opened from (`vetting.hooks`)."""
    version = case_type.current
    if version is None or not case_type.active:
        raise CaseError(_("This type of case is no longer in use."))
    level = version.default_classification if classification is None else classification
    policy.require(actor, A.CASE_MANAGE, organization, level)
    related = organization.path.startswith(competent_committee.path) or (
        competent_committee.path.startswith(organization.path)
    )
    if not related:
        raise CaseError(
            _("The competent committee must be the handling office's own line of committees.")
        )
    if received_on > timezone.localdate():
        raise CaseError(_("The date received cannot be in the future."))
    if request_date > received_on:
        raise CaseError(_("The requesting document cannot be dated after the file was received."))
    with transaction.atomic():
        if isinstance(person, dict):
            person = Person.objects.create(**person)
        case = Case.objects.create(
            organization=organization,
            case_type=case_type,
            version=version,
            person=person,
            purpose=purpose,
            competent_committee=competent_committee,
            request_number=request_number,
            request_date=request_date,
            request_issuer=request_issuer,
            received_on=received_on,
            handed_over_by=handed_over_by,
            handover_items=handover_items,
            classification=level,
            restricted=restricted,
            state=State.RECEIVED,
            assignee=actor,
            due_on=clock.due_from(version, received_on),
            created_by=actor,
        )
        CaseStep.objects.create(case=case, move="open", to_state=State.RECEIVED, by=actor)
        record_on(
            events.CASE_OPENED.code,
            actor,
            case,
            type=case_type.code,
            version=version.number,
            due_on=case.due_on.isoformat(),
        )
        if opened_from is not None:
            source, record_of = opened_from
            source.attach(actor, record_of, case)
    return case


def move(
    actor: User,
    case: Case,
    step: Move,
    *,
    note: str = "",
    on: dt.date | None = None,
    **fields: Any,
) -> Case:
    """Make a workflow move. `fields` carries what the move records (decision number, date)."""
    _require(actor, CASES.moves[step].action, case)
    if step is Move.CONCLUDE:
        raise IllegalMove(_("A case is concluded by recording its conclusion."))
    on = on or timezone.localdate()
    with transaction.atomic():
        _lock(case)
        if step is Move.RECORD_DECISION:
            _take_decision(case, fields.get("decision_number", ""), fields.get("decision_date"))
        goal = State(CASES.check(case, step))
        if step in (Move.SUSPEND, Move.WITHDRAW, Move.REQUEST_DOCUMENTS) and not note.strip():
            raise IllegalMove(_("Give the reason."))
        _enter(actor, case, step, goal, note, on)
        record_on(events.CASE_MOVED.code, actor, case, move=step.value, to=goal.value)
    return case


def _take_decision(case: Case, number: str, date: dt.date | None) -> None:
    if not number.strip() or date is None:
        raise IllegalMove(_("Record the number and date of the decision to verify."))
    if date < case.received_on:
        raise IllegalMove(_("The decision cannot precede the receipt of the file."))
    case.decision_number, case.decision_date = number.strip(), date


def _enter(actor: User, case: Case, step: Move, goal: State, note: str, on: dt.date) -> None:
    """Enter `goal`, as CASES.check() gave it (apply() would run the guards' queries again);
    suspension stops the clock (if the type allows) and resuming restarts it."""
    previous = State(case.state)
    if goal in (State.SUSPENDED, State.MORE_DOCUMENTS):
        case.return_state = previous
    elif previous in (State.SUSPENDED, State.MORE_DOCUMENTS):
        case.return_state = ""
    if step is Move.SUSPEND and case.version.pausable and case.paused_since is None:
        actions.clock.pause(case, on, note, actor)
    if step is Move.RESUME and case.paused_since is not None:
        actions.clock.resume(case, on)
    case.state = goal
    case.alert_version += 1  # the worker's claims are made against the state it read
    case.save()
    CaseStep.objects.create(
        case=case, move=step.value, from_state=previous, to_state=goal, note=note.strip(), by=actor
    )


def pause_clock(actor: User, case: Case, *, reason: str, on: dt.date) -> Case:
    _require(actor, A.CASE_MANAGE, case)
    if not case.is_open:
        raise clock.ClockError(_("The case is closed."))
    with transaction.atomic():
        _lock(case)
        actions.clock.pause(case, on, reason, actor)
        case.save(update_fields=["paused_since", "alert_version"])
        record_on(events.CASE_CLOCK.code, actor, case, paused=on.isoformat(), reason=reason)
    return case


def resume_clock(actor: User, case: Case, *, on: dt.date) -> Case:
    _require(actor, A.CASE_MANAGE, case)
    with transaction.atomic():
        _lock(case)
        actions.clock.resume(case, on)
        case.save(update_fields=["paused_since", "due_on", "alert_version"])
        record_on(
            events.CASE_CLOCK.code, actor, case, resumed=on.isoformat(),
            due_on=case.due_on.isoformat(),
        )  # fmt: skip
    return case


def write(actor: User, case: Case, *, field: str, text: str) -> Case:
    """The plan and the appraisal/proposal are written while the case is in their step."""
    _require(actor, A.CASE_MANAGE, case)
    steps = {"plan": (State.PLANNING,), "proposal": (State.COMPILING,)}
    if field not in steps:
        raise CaseError(field)
    if case.state not in steps[field]:
        raise CaseError(_("This text can no longer be changed at this step."))
    with transaction.atomic():
        setattr(case, field, text.strip())
        case.save(update_fields=[field])
        record_on(events.CASE_CHANGED.code, actor, case, field=field, length=len(text))
    return case


def set_team(
    actor: User,
    case: Case,
    members: Sequence[User],
    leader: User,
) -> Case:
    """Form the verification team: everyone in it must be able to see the case."""
    _require(actor, A.CASE_DIRECT, case)
    if not case.is_open:
        raise CaseError(_("The case is closed."))
    if leader not in members:
        raise CaseError(_("The team leader must be one of the team."))
    for user in members:
        if not policy.can(user, A.CASE_VIEW, case.organization, case.classification):
            raise CaseError(
                _("%(name)s may not work on this case (scope or clearance).")
                % {"name": user.full_name or user.username}
            )
    with transaction.atomic():
        case.team.all().delete()
        TeamMember.objects.bulk_create(
            TeamMember(case=case, user=u, leader=u == leader) for u in members
        )
        record_on(
            events.CASE_CHANGED.code, actor, case,
            team=[u.username for u in members], leader=leader.username,
        )  # fmt: skip
    return case


def assign(actor: User, cases: Sequence[Case], assignee: User) -> int:
    """Bulk assignment: every case must be one the actor directs and the assignee may work on."""
    with transaction.atomic():
        for case in cases:
            _require(actor, A.CASE_DIRECT, case)
            if not policy.can(assignee, A.CASE_MANAGE, case.organization, case.classification):
                raise CaseError(
                    _("%(name)s may not handle case %(case)s (scope or clearance).")
                    % {"name": assignee.full_name or assignee.username, "case": case.pk}
                )
            case.assignee = assignee
            case.save(update_fields=["assignee"])
            record_on(events.CASE_CHANGED.code, actor, case, assignee=assignee.username)
    return len(cases)


def add_file(
    actor: User,
    case: Case,
    upload: UploadedFile,
    *,
    kind: str,
    title: str,
    reply: Any = None,
) -> CaseFile:
    """Evidence (minutes, the subject's explanation, replies): PDF or image, kept by hash."""
    _require(actor, A.CASE_MANAGE, case)
    content_type = files.check(upload)
    with transaction.atomic():
        item = CaseFile(
            case=case,
            reply=reply,
            kind=kind,
            title=title.strip() or (upload.name or "")[:255],
            original_name=(upload.name or "file")[:255],
            content_type=content_type,
            size=upload.size or 0,  # checked above
            sha256=files.sha256(upload),
            uploaded_by=actor,
        )
        item.file.save(item.sha256, upload, save=False)
        item.save()
        record_on(events.CASE_FILE_ADDED.code, actor, case, kind=kind, sha256=item.sha256)
    return item


def conclude(
    actor: User,
    case: Case,
    *,
    outcome: str,
    text: str,
    number: str,
    signed_on: dt.date,
    signer: str,
    authority: str,
    serves: str | None = None,
) -> Conclusion:
    """Record the conclusion as signed. hoso never proposes an outcome: it is typed in.
    `serves` is what it is for (default: the case's purpose)."""
    _require(actor, A.CASE_CONCLUDE, case)
    with transaction.atomic():
        _lock(case)
        goal = State(CASES.check(case, Move.CONCLUDE))
        conclusion = _conclusion(
            actor, case, outcome, text, number, signed_on, signer, authority, None, "", serves
        )
        _enter(actor, case, Move.CONCLUDE, goal, "", signed_on)
        hooks.conclusion_recorded(conclusion)
        record_on(
            events.CONCLUSION_RECORDED.code, actor, case,
            conclusion=conclusion.pk, number=number, outcome=outcome,
        )  # fmt: skip
    return conclusion


def correct_conclusion(
    actor: User,
    old: Conclusion,
    *,
    reason: str,
    outcome: str,
    text: str,
    number: str,
    signed_on: dt.date,
    signer: str,
    authority: str,
    serves: str | None = None,
) -> Conclusion:
    """A correction is a new conclusion superseding the old one; both stay readable."""
    case = old.case
    _require(actor, A.CASE_CONCLUDE, case)
    if not reason.strip():
        raise CaseError(_("Give the reason for the correction."))
    with transaction.atomic():
        if Conclusion.objects.select_for_update().filter(supersedes=old).exists():
            raise CaseError(_("This conclusion has already been corrected."))
        new = _conclusion(
            actor, case, outcome, text, number, signed_on, signer, authority, old, reason, serves
        )
        hooks.conclusion_recorded(new)
        record_on(
            events.CONCLUSION_CORRECTED.code, actor, case,
            conclusion=new.pk, supersedes=old.pk, reason=reason,
        )  # fmt: skip
    return new


def _conclusion(
    actor: User,
    case: Case,
    outcome: str,
    text: str,
    number: str,
    signed_on: dt.date,
    signer: str,
    authority: str,
    supersedes: Conclusion | None,
    reason: str,
    serves: str | None,
) -> Conclusion:
    label = case.version.outcome_label(outcome)
    if label is None:
        raise CaseError(_("This outcome is not one this type of case may use."))
    if not (text.strip() and number.strip() and signer.strip()):
        raise CaseError(_("The text, number and signer of the signed conclusion are required."))
    if authority not in ("T/M", "K/T", "T/L"):
        raise CaseError(_("Choose the authority: T/M, K/T or T/L."))
    if signed_on > timezone.localdate() or signed_on < case.received_on:
        raise CaseError(_("The date signed must be between the receipt of the file and today."))
    serves = (serves or "").strip() or case.purpose
    if len(serves) > 255:
        raise CaseError(_("Say what the conclusion serves in at most 255 characters."))
    return Conclusion.objects.create(
        case=case,
        serves=serves,
        valid_until=validity.valid_until_for(case.version, signed_on),
        outcome=outcome,
        outcome_label=label,
        text=text.strip(),
        number=number.strip(),
        signed_on=signed_on,
        signer=signer.strip(),
        authority=authority,
        supersedes=supersedes,
        reason=reason.strip(),
        recorded_by=actor,
    )


def record_validity(
    actor: User,
    conclusion: Conclusion,
    *,
    valid_until: dt.date | None,
    reason: str,
    document: str = "",
) -> ConclusionValidity:
    """State until when a conclusion serves (None: without an end), e.g. to the end of the
    term it was used for. A new row each time: the latest one counts, the earlier stay."""
    case = conclusion.case
    _require(actor, A.CASE_CONCLUDE, case)
    if not reason.strip():
        raise CaseError(_("Give the reason."))
    if valid_until is not None and valid_until < conclusion.signed_on:
        raise CaseError(_("A conclusion cannot stop serving before the date it was signed."))
    with transaction.atomic():
        locked = Conclusion.objects.select_for_update().get(pk=conclusion.pk)
        if Conclusion.objects.filter(supersedes=locked).exists():
            raise CaseError(_("This conclusion has been corrected: record it on the correction."))
        before = validity.serves_until(locked)
        row = ConclusionValidity.objects.create(
            conclusion=locked,
            valid_until=valid_until,
            reason=reason.strip(),
            document=document.strip(),
            recorded_by=actor,
        )
        hooks.conclusion_recorded(locked)  # copies of until when it serves (cadres)
        record_on(
            events.VALIDITY_RECORDED.code, actor, case,
            conclusion=locked.pk,
            old=before.isoformat() if before else None,
            new=valid_until.isoformat() if valid_until else None,
            reason=row.reason, document=row.document,
        )  # fmt: skip
    return row


def link_petition(
    case: Case,
    *,
    reference: str,
    received_on: dt.date,
    summary: str,
    petition_id: int | None = None,
    actor: User | None = None,
) -> CasePetition:
    """Called when a petition about the subject is recorded while the case is open."""
    with transaction.atomic():
        link = CasePetition.objects.create(
            case=case,
            petition_id=petition_id,
            reference=reference,
            received_on=received_on,
            summary=summary,
        )
        record(
            events.PETITION_LINKED.code,
            actor=actor,
            obj=case,
            organization=case.organization,
            details={"petition": reference},
        )
    return link


def petition_received(person: Person, **petition: Any) -> list[CasePetition]:
    """Attach a newly recorded petition to every open case about the same person."""
    return [link_petition(case, **petition) for case in Case.objects.open().filter(person=person)]


def consider_petition(actor: User, link: CasePetition, *, text: str) -> CasePetition:
    _require(actor, A.CASE_MANAGE, link.case)
    if not text.strip():
        raise CaseError(_("Say how the petition was taken into account."))
    if link.consideration:
        raise CaseError(_("Already recorded."))
    with transaction.atomic():
        link.consideration, link.considered_by = text.strip(), actor
        link.considered_at = timezone.now()
        link.save(update_fields=["consideration", "considered_by", "considered_at"])
        record_on(events.PETITION_CONSIDERED.code, actor, link.case, petition=link.reference)
    return link
