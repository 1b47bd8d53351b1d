"""Reading a case for display: one function, used by the web page, the API and the console
command alike, so that no interface can forget the read's audit event."""

from __future__ import annotations

from django.http import Http404

from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.vetting.models import Case


def open_case(actor: User, pk: int, *, via: str = "") -> Case:
    """The case, if `actor` may see it (else Http404, the same as a number never used), with
    the read recorded; `via` names an interface other than the web page and the API."""
    case = (
        Case.objects.visible_to(actor)
        .select_related(
            "organization", "competent_committee", "version", "case_type", "person", "assignee"
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    record(
        events.CASE_VIEWED.code,
        actor=actor,
        obj=case,
        organization=case.organization,
        details={"via": via} if via else None,
    )
    return case
