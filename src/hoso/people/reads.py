"""Reading a member's record for display or export: one function, used by the web pages, the
API and the commands alike, so that no interface can forget the read's audit event."""

from __future__ import annotations

from django.http import Http404

from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.people.models import Member


def open_member(actor: User, pk: int, *, page: str = "") -> Member:
    """The member, if `actor` may see them (else Http404, the same as a number never used),
    with the read recorded; `page` names the view of the record when it is not the main one."""
    member = (
        Member.objects.visible_to(actor).select_related("person", "organization").filter(pk=pk)
    ).first()
    if member is None:
        raise Http404
    record(
        events.MEMBER_VIEWED.code,
        actor=actor,
        obj=member,
        organization=member.organization,
        details={"page": page} if page else None,
    )
    return member
