"""Reading a petition for display: one function, used by the web page and the API alike, so
that no interface can forget the read's audit event. (The petitioner's identity and the
original scans are revealed by their own audited actions.)"""

from __future__ import annotations

from django.http import Http404

from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.petitions.models import Petition


def open_petition(actor: User, pk: int) -> Petition:
    """The petition, if `actor` may see it (else Http404, the same as a number never used),
    with the read recorded."""
    petition = (
        Petition.objects.visible_to(actor)
        .select_related("incoming", "organization")
        .filter(pk=pk)
        .first()
    )
    if petition is None:
        raise Http404
    record(
        events.PETITION_VIEWED.code, actor=actor, obj=petition, organization=petition.organization
    )
    return petition
