"""Reading a member's record for display or export: one function, used by the web pages, the
API and the commands alike, so that no interface can forget the read's audit event."""

from __future__ import annotations

from hoso.access.models import User
from hoso.audit import events
from hoso.audit.reads import open_one
from hoso.people.models import Member


def open_member(actor: User, pk: int, *, page: str = "") -> Member:
    """The member, if `actor` may see them (else Http404), with the read recorded; `page`
    names the view of the record when it is not the main one."""
    visible = Member.objects.visible_to(actor).select_related("person", "organization")
    details = {"page": page} if page else {}
    return open_one(visible, pk, events.MEMBER_VIEWED.code, actor, **details)
