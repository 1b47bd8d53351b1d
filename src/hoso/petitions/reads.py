"""Reading a petition for display: one function, used by the web page and the API alike, so
that no interface can forget the read's audit event. (The petitioner's identity and the
original scans are revealed by their own audited actions.)"""

from __future__ import annotations

from typing import Any

from hoso.access.models import User
from hoso.audit import events
from hoso.audit.reads import open_one
from hoso.petitions.models import Petition, Subject


def open_petition(actor: User, pk: int) -> Petition:
    """The petition, if `actor` may see it (else Http404), with the read recorded."""
    visible = Petition.objects.visible_to(actor).select_related("incoming", "organization")
    return open_one(visible, pk, events.PETITION_VIEWED.code, actor)


def petition_subjects(user: Any, action: str | None, under: str) -> Any:
    """The persons an officer linked as subjects of petitions `user` may see (never matched
    from the text), for people.hooks.PERSON_SOURCES."""
    petitions = Petition.objects.visible_to(user, action)
    if under:
        petitions = petitions.filter(organization__path__startswith=under)
    return Subject.objects.filter(petition__in=petitions.values("pk"), person__isnull=False).values(
        "person_id"
    )
