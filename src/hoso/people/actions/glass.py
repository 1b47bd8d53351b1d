"""Emergency access (mở khẩn cấp) to a member's dossier outside the organizations of one's
grants: opened with a typed reason for a few hours, for reading only, and reviewed by the
heads above the dossier's organization. The access layer honours it (`access.policy.glass`,
the scopes' `glass` lookup); every read made while it lasts carries its id (audit.chain)."""

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
from hoso.audit.chain import record_on
from hoso.people.models import Member

MEMBER = "people.member"
A = policy.Action


class GlassError(ValueError):
    pass


def find(card_number: str = "", citizen_id: str = "") -> Member | None:
    """The member with exactly this card number or citizen ID, wherever kept: one number
    typed in full, never a search, so that nobody browses outside their grants."""
    number, cid = card_number.strip(), citizen_id.strip()
    if not number and not cid:
        return None
    found = Member.objects.select_related("person", "organization")
    found = found.filter(card_number=number) if number else found.filter(person__citizen_id=cid)
    return found.first()


def _reason(text: str) -> str:
    cleaned = " ".join((text or "").split())
    if not reasons.MIN_LENGTH <= len(cleaned) <= reasons.MAX_LENGTH:
        raise GlassError(
            _("Type why you must open this dossier now (%(min)d to %(max)d characters): the "
              "heads above it will read it.") % {"min": reasons.MIN_LENGTH,
                                                 "max": reasons.MAX_LENGTH}
        )  # fmt: skip
    return cleaned


def open_glass(actor: User, member: Member, *, reason: str, hours: int) -> BreakGlass:
    why = _reason(reason)
    if not policy.scope_paths(actor, A.MEMBER_VIEW):
        raise GlassError(_("Only staff who keep dossiers may open one in an emergency."))
    if policy.can(actor, A.MEMBER_VIEW, member.organization):
        raise GlassError(_("This dossier is in your scope already: open it directly."))
    held = BreakGlass.objects.active().filter(user=actor, object_type=MEMBER, object_id=member.pk)
    if held.exists():
        raise GlassError(_("You hold an emergency access to this dossier already."))
    if not 1 <= hours <= settings.BREAK_GLASS_MAX_HOURS:
        raise GlassError(
            _("An emergency access lasts 1 to %(max)d hours.")
            % {"max": settings.BREAK_GLASS_MAX_HOURS}
        )
    now = timezone.now()
    with transaction.atomic():
        glass = BreakGlass.objects.create(
            user=actor,
            object_type=MEMBER,
            object_id=member.pk,
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
        record_on(events.BREAK_GLASS_CLOSED.code, actor, glass, member=glass.object_id)
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
