"""Every page of a sensitive API list is an audited read (issue 14: an integration paged
through members with their citizen IDs and left no trace): one `api.listed` event per page,
with the list, its filters and the rows served."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hoso.audit.models import AuditEvent
from hoso.people import api as people_api
from hoso.people import search
from hoso.people.models import Member, Person
from tests.conftest import Personas, World, client_for

LISTS = {
    "api-member-list": "members",
    "api-case-list": "cases",
    "api-verification-request-list": "verification-requests",
    "api-help-request-list": "help-requests",
    "api-petition-list": "petitions",
    "api-trip-list": "trips",
    "api-relation-list": "relations",
    "api-stay-list": "stays",
    "api-cadre-list": "cadres",
    "api-cadre-post-list": "cadre-posts",
    "api-plan-list": "plans",
    "api-plan-entry-list": "plan-entries",
    "api-outgoing-document-list": "outgoing-documents",
    "api-incoming-document-list": "incoming-documents",
    "api-audit-event-list": "audit-events",
}


@pytest.mark.parametrize("route", LISTS)
def test_each_page_of_a_sensitive_list_is_an_audited_read(
    route: str, world: World, personas: Personas
) -> None:
    head = personas.head_p
    before = AuditEvent.objects.filter(event_type="api.listed").count()
    answer = client_for(head).get(reverse(route))
    assert answer.status_code == 200, answer.content
    (event,) = AuditEvent.objects.filter(event_type="api.listed").order_by("id")[before:]
    assert (event.actor, event.organization) == (head, world.province)
    assert event.details == {"list": LISTS[route], "rows": len(answer.json()["results"])}


def test_paging_through_members_leaves_one_event_a_page(
    world: World, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    for given in ("An", "Bình", "Chi"):
        person = Person.objects.create(family_name="Lê", given_name=given, sex="M")
        Member.objects.create(person=person, organization=world.cell_a, status="official")
    client = client_for(personas.head_p)
    url, pages = reverse("api-member-list") + "?search=lê", 0
    monkeypatch.setattr(people_api, "page", lambda qs, cursor: search.page(qs, cursor, size=2))
    while url:
        answer = client.get(url).json()
        pages += 1
        following = answer["next"]
        url = following and f"{reverse('api-member-list')}?search=lê&cursor={following}"
    events = list(AuditEvent.objects.filter(event_type="api.listed").order_by("id"))
    assert len(events) == pages >= 2
    assert [e.details["rows"] for e in events][:1] == [2]
    assert events[0].details == {"list": "members", "rows": 2, "search": "lê"}
    assert events[1].details["page"] == "next"
