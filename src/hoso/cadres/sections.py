"""What cadres adds to other apps' pages, registered from CadresConfig.ready(): the section of
the person page (people.hooks) and the competent committee proposed for a new vetting case
(vetting.hooks.COMMITTEE_PROPOSERS). Both read through `Cadre.objects.visible_to`, so a user
sees, and is proposed, only what the policy lets them see."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from hoso.cadres.models import Cadre
from hoso.people.hooks import Section, person_section

CURRENT_FIRST = (F("ended_on").desc(nulls_first=True), "-started_on", "-id")


def _cadre(user: Any, person: Any) -> Cadre | None:
    found: Cadre | None = (
        Cadre.objects.visible_to(user)
        .filter(person=person)
        .select_related("category", "committee", "organization", "conclusion")
        .first()
    )
    return found


@person_section(order=50)
def cadre_section(user: Any, person: Any) -> Section | None:
    """The management category and the posts, current first."""
    cadre = _cadre(user, person)
    if cadre is None:
        return None
    posts = cadre.posts.select_related("kind", "organization").order_by(*CURRENT_FIRST)
    return Section(
        title=_("Cadre: management category and posts"),
        template="cadres/_person_section.html",
        context={"cadre": cadre, "posts": list(posts)},
    )


def managing_committee(user: Any, person: Any) -> Any:
    """vetting.hooks.COMMITTEE_PROPOSERS: the committee that manages the person as a cadre."""
    cadre = _cadre(user, person)
    return cadre.committee if cadre is not None else None


def cadre_persons(user: Any, action: str | None, under: str) -> Any:
    """people.hooks.PERSON_SOURCES: the persons of the cadre records `user` may see (a cadre
    who is not a member is a person the office sees through the record)."""
    cadres = Cadre.objects.visible_to(user, action)
    if under:
        cadres = cadres.filter(org_path__startswith=under)
    return cadres.values("person_id")
