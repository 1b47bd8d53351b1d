"""Emergency access (mở khẩn cấp) to a member's dossier outside the organizations of one's
grants: opened with a typed reason for a few hours, for viewing that one dossier only, and
reviewed by the heads above the dossier's organization. The member's read functions ask for
it (`opened_to(user)`); each read made through it carries its id."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.models import BreakGlass, User
from hoso.audit import events, reasons
from hoso.audit.chain import record, record_on
from hoso.people.models import Member

A = policy.Action


class GlassError(ValueError):
    pass


def _reason(text: str) -> str:
    cleaned = " ".join((text or "").split())
    if not reasons.MIN_LENGTH <= len(cleaned) <= reasons.MAX_LENGTH:
        raise GlassError(
            _("Type why you must open this dossier now (%(min)d to %(max)d characters): the "
              "heads above it will read it.") % {"min": reasons.MIN_LENGTH,
                                                 "max": reasons.MAX_LENGTH}
        )  # fmt: skip
    return cleaned


def _find(card_number: str, citizen_id: str) -> Member | None:
    """The member with exactly this card number or citizen ID, wherever kept: one number
    typed in full, never a search."""
    found = Member.objects.select_related("person", "organization")
    if card_number:
        return found.filter(card_number=card_number).first()
    return found.filter(person__citizen_id=citizen_id).first() if citizen_id else None


def open_glass(
    actor: User, *, reason: str, hours: int, card_number: str = "", citizen_id: str = ""
) -> BreakGlass:
    """Check the request, then look the number up; every attempt that gets as far as the
    lookup is recorded, those that find nothing too (a number tried is an insider's probe)."""
    why = _reason(reason)
    if not policy.scope_paths(actor, A.MEMBER_VIEW):
        raise GlassError(_("Only staff who keep dossiers may open one in an emergency."))
    if not 1 <= hours <= settings.BREAK_GLASS_MAX_HOURS:
        raise GlassError(
            _("An emergency access lasts 1 to %(max)d hours.")
            % {"max": settings.BREAK_GLASS_MAX_HOURS}
        )
    number, cid = card_number.strip(), citizen_id.strip()
    member = _find(number, cid)
    try:
        return _open(actor, member, why, hours)
    except GlassError as refused:
        asked = {"card_number": number} if number else {"citizen_id": cid}
        details = {**asked, "refused": str(refused)}
        record(events.BREAK_GLASS_REFUSED.code, actor=actor, reason=why,
               organization=actor.organization, details=details)  # fmt: skip
        raise


def _open(actor: User, member: Member | None, why: str, hours: int) -> BreakGlass:
    if member is None:
        raise GlassError(_("No member has this card number or citizen ID."))
    if policy.can(actor, A.MEMBER_VIEW, member.organization):
        raise GlassError(_("This dossier is in your scope already: open it directly."))
    now = timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()  # one request at a time
        held = BreakGlass.objects.active(now).filter(user=actor)
        if held.filter(member_id=member.pk).exists():
            raise GlassError(_("You hold an emergency access to this dossier already."))
        if held.count() >= settings.BREAK_GLASS_MAX_OPEN:
            raise GlassError(
                _("You hold %(n)d emergency accesses already: end one first.")
                % {"n": settings.BREAK_GLASS_MAX_OPEN}
            )
        glass = BreakGlass.objects.create(
            user=actor,
            member_id=member.pk,
            label=f"{member.person.display_name} ({member.card_number or member.pk})",
            organization=member.organization,
            reason=why,
            opened_at=now,
            expires_at=now + dt.timedelta(hours=hours),
        )
        record_on(events.BREAK_GLASS_OPENED.code, actor, glass, why=why, member=member.pk,
                  hours=hours)  # fmt: skip
    policy.forget(actor)
    return glass


def close_glass(actor: User, glass: BreakGlass) -> BreakGlass:
    """Its holder ends it before it expires (the work is done)."""
    if glass.user_id != actor.pk:
        raise PermissionDenied
    if glass.closed_at is not None or glass.expires_at <= timezone.now():
        raise GlassError(_("This emergency access has already ended."))
    with transaction.atomic():
        glass.closed_at = timezone.now()
        glass.save(update_fields=["closed_at"])
        record_on(events.BREAK_GLASS_CLOSED.code, actor, glass, member=glass.member_id)
    policy.forget(actor)
    return glass


def review_glass(reviewer: User, glass: BreakGlass, *, justified: bool, note: str) -> BreakGlass:
    """A head or leader above the dossier says whether the access was justified; a verdict of
    not justified says why. Nobody reviews their own."""
    if not policy.can(reviewer, A.BREAK_GLASS_REVIEW, glass.organization):
        raise PermissionDenied
    if glass.user_id == reviewer.pk:
        raise GlassError(_("Nobody reviews their own emergency access."))
    if glass.review != BreakGlass.Review.PENDING:
        raise GlassError(_("This emergency access has already been reviewed."))
    note = " ".join(note.split())
    if not justified and len(note) < reasons.MIN_LENGTH:
        raise GlassError(_("Say why the access was not justified."))
    with transaction.atomic():
        glass.review = BreakGlass.Review.JUSTIFIED if justified else BreakGlass.Review.UNJUSTIFIED
        glass.reviewed_by, glass.reviewed_at, glass.review_note = reviewer, timezone.now(), note
        glass.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_note"])
        record_on(events.BREAK_GLASS_REVIEWED.code, reviewer, glass, why=note,
                  justified=justified, holder=glass.user.get_username())  # fmt: skip
    return glass
