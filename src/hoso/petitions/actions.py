"""Every change to a petition: policy, workflow table, audit, all in one transaction.

Classification applies the rules of the field (domain.md §2): anonymous or false-name
complaints and denunciations, and repeated petitions without new evidence, are closed as not
handled with the reason recorded; everything else is classified and then forwarded (outside
this office's competence), accepted for handling, or set aside with a written reason.
"""

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
from hoso.audit import events, reasons
from hoso.audit.chain import record_on
from hoso.documents import actions
from hoso.documents.models import DocumentKind
from hoso.lib import files
from hoso.lib.vntext import fold
from hoso.lib.workdays import Period, Unit, extend
from hoso.notices.due import void_claims
from hoso.orgs.models import Organization
from hoso.people.models import Person
from hoso.petitions.models import (
    Channel,
    Extension,
    Kind,
    Naming,
    Pause,
    Petition,
    PetitionRule,
    Reason,
    Scan,
    State,
    Step,
    Subject,
)
from hoso.petitions.transitions import PETITIONS, PetitionError
from hoso.vetting import actions as vetting
from hoso.workcal.service import calendar_around, deadline

A = policy.Action


def period(kind: str) -> Period:
    rule = PetitionRule.objects.filter(kind=kind).first()
    if rule is None:
        raise PetitionError(_("No time limit is configured for this kind of petition."))
    return Period(rule.days, Unit(rule.unit))


def _require(actor: User, petition: Petition, action: str = A.PETITION_MANAGE) -> None:
    policy.require(actor, action, petition.organization, petition.classification)


def receive(
    actor: User,
    organization: Organization,
    *,
    received_on: dt.date,
    channel: str,
    summary: str,
    subjects: Sequence[tuple[str, str, Person | None]],
    forwarded_by: str = "",
    petitioner_name: str = "",
    petitioner_address: str = "",
    petitioner_contact: str = "",
    classification: int = 1,
) -> Petition:
    """Intake: registered in the incoming register (without the petitioner's name), due for
    classification, and attached to any open vetting case about the persons it concerns."""
    policy.require(actor, A.PETITION_MANAGE, organization, classification)
    if received_on > timezone.localdate():
        raise PetitionError(_("The date received cannot be in the future."))
    if channel == Channel.FORWARDED and not forwarded_by.strip():
        raise PetitionError(_("Say which body forwarded the petition."))
    if not any(name.strip() for name, _p, _person in subjects):
        raise PetitionError(_("Name at least one person the petition concerns."))
    with transaction.atomic():
        incoming = actions.numbering.register_incoming(
            actor,
            organization,
            received_on=received_on,
            sender=forwarded_by.strip() or "Đơn thư của công dân",
            sender_reference="Đơn thư",
            summary=f"Đơn thư: {summary.strip()}"[:500],
            classification=classification,
            object_type="petitions.petition",
        )
        petition = Petition.objects.create(
            organization=organization,
            incoming=incoming,
            received_on=received_on,
            channel=channel,
            forwarded_by=forwarded_by.strip(),
            summary=summary.strip(),
            classification=classification,
            petitioner_name=petitioner_name.strip(),
            petitioner_address=petitioner_address.strip(),
            petitioner_contact=petitioner_contact.strip(),
            state=State.RECEIVED,
            due_on=deadline(received_on, period(PetitionRule.CLASSIFY)),
            created_by=actor,
        )
        incoming.object_id = str(petition.pk)
        incoming.save(update_fields=["object_id"])
        rows = distinct_subjects(subjects)
        for name, position, person in rows:
            Subject.objects.create(petition=petition, name=name, position=position, person=person)
        Step.objects.create(petition=petition, to_state=State.RECEIVED, by=actor)
        record_on(
            events.PETITION_RECEIVED.code,
            actor,
            petition,
            arrival=petition.reference,
            subjects=len(rows),
        )
        for _name, _position, person in rows:
            if person is not None:
                vetting.cases.petition_received(
                    person,
                    reference=f"Đơn thư số đến {petition.reference}",
                    received_on=received_on,
                    summary=petition.summary[:500],
                    petition_id=petition.pk,
                    actor=actor,
                )
    return petition


def distinct_subjects(
    subjects: Sequence[tuple[str, str, Person | None]],
) -> list[tuple[str, str, Person | None]]:
    """Each person concerned once. From a member's page the member comes linked and the clerk
    often types the same name again: a typed name equal (folded) to a linked person's is that
    person, its post kept if the linked row has none. A person linked twice is one row, so is
    a name typed twice, unless two different posts tell two people of one name apart."""
    rows: list[tuple[str, str, Person | None]] = []
    for name, position, person in sorted(subjects, key=lambda s: s[2] is None):  # linked first
        name, position = name.strip(), position.strip()
        same = next((i for i, row in enumerate(rows) if _same(row, name, position, person)), None)
        if same is None:
            if name:
                rows.append((name, position, person))
        elif position and not rows[same][1]:
            rows[same] = (rows[same][0], position, rows[same][2])
    return rows


def _same(row: tuple[str, str, Person | None], name: str, post: str, person: Person | None) -> bool:
    if person is not None:  # linked rows come first: compared with linked rows only
        return row[2] is not None and row[2].pk == person.pk
    if fold(row[0]) != fold(name):
        return False
    return row[2] is not None or not (post and row[1] and fold(post) != fold(row[1]))


def _step(actor: User, petition: Petition, goal: State, note: str = "") -> None:
    previous = petition.state
    petition.state = goal
    petition.save()
    Step.objects.create(
        petition=petition, from_state=previous, to_state=goal, note=note.strip(), by=actor
    )


def _lock(petition: Petition) -> None:
    """Lock the row for a change of state or clock, which voids the worker's claims on it."""
    Petition.objects.select_for_update().filter(pk=petition.pk).exists()
    void_claims(petition)
    petition.refresh_from_db()


def classify(
    actor: User,
    petition: Petition,
    *,
    kind: str,
    naming: str,
    within_competence: bool,
    repeated: bool,
    new_evidence: bool,
) -> Petition:
    _require(actor, petition)
    with transaction.atomic():
        _lock(petition)
        if petition.state != State.RECEIVED:
            raise PetitionError(_("This petition is already classified."))
        petition.kind, petition.naming = kind, naming
        petition.within_competence, petition.repeated = within_competence, repeated
        petition.new_evidence = new_evidence
        reason = not_handled_reason(petition)
        if reason:
            petition.reason = reason
            petition.closed_on = timezone.localdate()
        _step(
            actor,
            petition,
            State.NOT_HANDLED if reason else State.CLASSIFIED,
            str(Reason(reason).label) if reason else "",
        )
        record_on(
            events.PETITION_MOVED.code,
            actor,
            petition,
            to=petition.state,
            kind=kind,
            naming=naming,
            reason=reason,
        )
    return petition


def not_handled_reason(petition: Petition) -> str:
    """The rule: which classified petitions are not handled, and why ('' = handle it)."""
    accusing = petition.kind in (Kind.COMPLAINT, Kind.DENUNCIATION)
    if accusing and petition.naming in (Naming.ANONYMOUS, Naming.FALSE_NAME):
        return Reason.ANONYMOUS
    if petition.repeated and not petition.new_evidence:
        return Reason.REPEAT
    return ""


def move(
    actor: User,
    petition: Petition,
    name: str,
    *,
    on: dt.date | None = None,
    note: str = "",
    **fields: Any,
) -> Petition:
    """The moves after classification; `fields` carries what each records."""
    if name not in PETITIONS.moves:
        raise PetitionError(name)
    _require(actor, petition, PETITIONS.moves[name].action)
    on = on or timezone.localdate()
    with transaction.atomic():
        _lock(petition)
        goal = State(PETITIONS.check(petition, name))
        _record(actor, petition, name, on, note, fields)
        if goal in (State.CLOSED, State.NOT_HANDLED, State.FORWARDED):
            petition.closed_on = petition.closed_on or on
        _step(actor, petition, goal, note)
        record_on(events.PETITION_MOVED.code, actor, petition, to=goal.value, move=name)
    return petition


def _record(actor: User, p: Petition, name: str, on: dt.date, note: str, f: dict[str, Any]) -> None:
    """What each move writes on the petition, with its own checks."""
    if name == "not_handle":
        if not note.strip():
            raise PetitionError(_("Give the reason."))
        p.reason, p.reason_note = Reason.OTHER, note.strip()
    elif name == "forward":
        to = str(f.get("to", "")).strip()
        if not to:
            raise PetitionError(_("Say which body the petition is forwarded to."))
        p.forwarded_to = to
        p.forward_document = actions.numbering.allocate(
            actor,
            p.organization,
            DocumentKind.objects.get(code="CV"),
            issued_on=on,
            summary=f"V/v chuyển đơn thư số đến {p.reference}",
            recipients=to,
            classification=p.classification,
            object_type="petitions.petition",
            object_id=str(p.pk),
        )
    elif name == "accept":
        p.accepted_on, p.due_on = on, deadline(on, period(p.kind))
        _notice(actor, p, on, "V/v thụ lý giải quyết đơn", acceptance_text(p))
    elif name == "conclude":
        if f.get("outcome") not in ("true", "partly", "false"):
            raise PetitionError(_("Choose the outcome."))
        if not (str(f.get("text", "")).strip() and str(f.get("reference", "")).strip()):
            raise PetitionError(_("The conclusion's text and document number are required."))
        p.outcome, p.conclusion = f["outcome"], f["text"].strip()
        p.conclusion_reference, p.concluded_on = f["reference"].strip(), on
        if p.paused_since is not None:
            _resume(p, on)
    elif name == "notify":
        document = _notice(actor, p, on, "V/v thông báo kết quả giải quyết đơn", result_text(p))
        p.notice_reference, p.notified_on = document.reference, on


def acceptance_text(p: Petition) -> str:
    """The acknowledgment: received, accepted for handling, by when (no petitioner's name:
    the envelope is addressed by hand, the identity stays sealed)."""
    return "\n\n".join(
        [
            "Kính gửi: Người gửi đơn.",
            f"Ngày {p.received_on:%d/%m/%Y}, {p.organization.name} nhận được đơn"
            f" ({p.get_kind_display().lower()}, số đến {p.reference}) về việc: {p.summary}",
            f"{p.organization.name} thông báo đã thụ lý giải quyết đơn theo quy định; thời hạn"
            f" giải quyết đến ngày {p.due_on:%d/%m/%Y}.",
        ]
    )


def result_text(p: Petition) -> str:
    concluded = f" ngày {p.concluded_on:%d/%m/%Y}" if p.concluded_on else ""
    return "\n\n".join(
        [
            "Kính gửi: Người gửi đơn.",
            f"{p.organization.name} đã giải quyết đơn số đến {p.reference} ngày"
            f" {p.received_on:%d/%m/%Y} về việc: {p.summary.rstrip('.')}."
            f" Kết quả: {p.get_outcome_display()}"
            f" (Kết luận số {p.conclusion_reference}{concluded}).",
            p.conclusion,
        ]
    )


def _notice(actor: User, p: Petition, on: dt.date, summary: str, body: str) -> Any:
    """A numbered notice (TB) of the receiving office, linked to the petition."""
    return actions.numbering.allocate(
        actor,
        p.organization,
        DocumentKind.objects.get(code="TB"),
        issued_on=on,
        summary=f"{summary} số đến {p.reference}",
        body=body,
        recipients="Người gửi đơn\nLưu VT, hồ sơ đơn thư",
        classification=p.classification,
        object_type="petitions.petition",
        object_id=str(p.pk),
    )


def pause(actor: User, petition: Petition, *, on: dt.date, reason: str) -> Petition:
    _require(actor, petition)
    with transaction.atomic():
        _lock(petition)
        if petition.state not in (State.ACCEPTED, State.VERIFYING):
            raise PetitionError(_("Only a petition being handled can be paused."))
        if petition.paused_since is not None:
            raise PetitionError(_("The clock is already paused."))
        if not reason.strip():
            raise PetitionError(_("Give the reason for the pause."))
        Pause.objects.create(
            petition=petition,
            started_on=on,
            reason=reason.strip(),
            due_before=petition.due_on,
            by=actor,
        )
        petition.paused_since = on
        petition.save(update_fields=["paused_since"])
        record_on(events.PETITION_CLOCK.code, actor, petition, paused=on.isoformat())
    return petition


def _resume(petition: Petition, on: dt.date) -> None:
    assert petition.paused_since is not None
    if on < petition.paused_since:
        raise PetitionError(_("The clock cannot restart before it stopped."))
    current = petition.pauses.get(ended_on__isnull=True)
    unit = Unit(PetitionRule.objects.get(kind=petition.kind).unit)
    petition.due_on = extend(
        petition.due_on, petition.paused_since, on, unit, calendar_around(petition.paused_since)
    )
    petition.paused_since = None
    current.ended_on, current.due_after = on, petition.due_on
    current.save(update_fields=["ended_on", "due_after"])


def resume(actor: User, petition: Petition, *, on: dt.date) -> Petition:
    _require(actor, petition)
    with transaction.atomic():
        _lock(petition)
        if petition.paused_since is None:
            raise PetitionError(_("The clock is not paused."))
        _resume(petition, on)
        petition.save(update_fields=["due_on", "paused_since"])
        record_on(
            events.PETITION_CLOCK.code,
            actor,
            petition,
            resumed=on.isoformat(),
            due_on=petition.due_on.isoformat(),
        )
    return petition


def extend_deadline(
    actor: User,
    petition: Petition,
    *,
    days: int,
    reason: str,
    decision: str,
) -> Petition:
    """An extension granted by a decision: working days added to the time limit."""
    _require(actor, petition)
    with transaction.atomic():
        _lock(petition)
        if petition.state not in (State.ACCEPTED, State.VERIFYING):
            raise PetitionError(_("Only a petition being handled can be extended."))
        if days < 1 or not reason.strip() or not decision.strip():
            raise PetitionError(_("Give the days, the reason and the deciding document."))
        before = petition.due_on
        petition.due_on = deadline(before, Period(days, Unit.WORKING))
        petition.save(update_fields=["due_on"])
        Extension.objects.create(
            petition=petition,
            days=days,
            reason=reason.strip(),
            decision=decision.strip(),
            due_before=before,
            due_after=petition.due_on,
            by=actor,
        )
        record_on(
            events.PETITION_CLOCK.code,
            actor,
            petition,
            extended=days,
            decision=decision,
            due_on=petition.due_on.isoformat(),
        )
    return petition


def reveal(actor: User, petition: Petition, *, reason: str) -> dict[str, str]:
    """The sealed identity, for those allowed, with a typed reason kept in the audit event."""
    _require(actor, petition, A.PETITION_REVEAL)
    why = reasons.required(reason)
    with transaction.atomic():
        record_on(events.PETITIONER_REVEALED.code, actor, petition, why=why)
    return {name: getattr(petition, name) for name in Petition.sealed_fields}


def _store(actor: User, petition: Petition, upload: UploadedFile, **fields: Any) -> Scan:
    kind = files.check(upload)
    scan = Scan(
        petition=petition,
        original_name=(upload.name or "scan")[:255],
        content_type=kind,
        size=upload.size or 0,  # checked above
        sha256=files.sha256(upload),
        uploaded_by=actor,
        **fields,
    )
    scan.file.save(scan.sha256, upload, save=False)
    scan.save()
    return scan


def add_scan(actor: User, petition: Petition, upload: UploadedFile) -> Scan:
    """The scanned letter as received: sealed, since it names the petitioner."""
    _require(actor, petition)
    with transaction.atomic():
        scan = _store(actor, petition, upload)
        record_on(events.PETITION_SCAN_ADDED.code, actor, petition, sha256=scan.sha256)
    return scan


def add_masked_copy(actor: User, original: Scan, upload: UploadedFile) -> Scan:
    """The letter scanned again with the petitioner's identity covered, for the officers."""
    petition = original.petition
    _require(actor, petition)
    if original.masked:
        raise PetitionError(_("This is already a masked copy: attach it to the original."))
    with transaction.atomic():
        scan = _store(actor, petition, upload, masked=True, original=original)
        record_on(
            events.PETITION_SCAN_MASKED.code,
            actor,
            petition,
            scan=scan.pk,
            original=original.pk,
            sha256=scan.sha256,
        )
    return scan


def open_scan(actor: User, scan: Scan, *, reason: str = "") -> Scan:
    """Record the opening of a scan: a masked copy is an audited read for whoever sees the
    petition; the original is revealed like the identity, to heads and leaders, with a reason."""
    petition = scan.petition
    if scan.masked:
        _require(actor, petition, A.PETITION_VIEW)
        code, why = events.PETITION_SCAN_OPENED.code, ""
    else:
        _require(actor, petition, A.PETITION_REVEAL)
        code, why = events.PETITION_SCAN_REVEALED.code, reasons.required(reason)
    with transaction.atomic():
        record_on(code, actor, petition, why=why, scan=scan.pk)
    return scan


def link_case(actor: User, petition: Petition, case: Any) -> Petition:
    """A vetting case opened from the petition."""
    _require(actor, petition)
    with transaction.atomic():
        petition.case = case
        petition.save(update_fields=["case"])
        vetting.cases.link_petition(
            case,
            reference=f"Đơn thư số đến {petition.reference}",
            received_on=petition.received_on,
            summary=petition.summary[:500],
            petition_id=petition.pk,
            actor=actor,
        )
        record_on(events.PETITION_MOVED.code, actor, petition, case=case.pk)
    return petition
