"""Commune B's cadres, lists and entries never reach commune A: not by page, list, export,
key-post page or API; the province above both sees them (so the probes can fail)."""

from __future__ import annotations

from django.urls import reverse

from hoso.cadres import actions
from hoso.people.models import Member, Person
from tests.cadres.helpers import kind, rule
from tests.conftest import FOREIGN_MARKER, Personas, World, client_for
from tests.vetting.office import D


def _commune_b(world: World, personas: Personas) -> tuple[int, int]:
    rule()
    person = Person.objects.create(family_name="Đỗ", given_name=f"{FOREIGN_MARKER}bên", sex="M")
    member = Member.objects.create(person=person, organization=world.cell_b, status="official")
    record = actions.records.open_record(personas.officer_b, person, world.commune_b)
    actions.records.record_post(
        personas.officer_b, record, kind=kind(), title="Phó Chủ tịch", body="UBND phường",
        elected_body="HĐND phường", term="2021-2026", started_on=D(2021, 7, 1),
    )  # fmt: skip
    listed = actions.plans.create_plan(
        personas.officer_b, world.commune_b, kind="planning", name="Quy hoạch phường",
        term="2030-2035", case_types="",
    )  # fmt: skip
    actions.plans.add_entry(
        personas.officer_b, listed, member.person, decision_number="1", decision_on=D(2026, 1, 5)
    )
    return record.pk, listed.pk


PAGES = ["cadre-list", "cadre-key-posts", "plan-list", "cadre-export"]
API = ["/api/v1/cadres/", "/api/v1/cadre-posts/", "/api/v1/cadre-lists/",
       "/api/v1/cadre-list-entries/"]  # fmt: skip


def test_commune_a_never_sees_commune_b(world: World, personas: Personas) -> None:
    cadre_id, plan_id = _commune_b(world, personas)
    client = client_for(personas.officer_a)
    for name in PAGES:
        response = client.get(reverse(name), {"status": "all"})
        body = response.content.decode("utf-8", "replace")
        assert response.status_code == 200 and FOREIGN_MARKER not in body, name
    for url in API:
        assert client.get(url).json()["results"] == [], url
    for name, pk in (("cadre-detail", cadre_id), ("plan-detail", plan_id), ("entry-add", plan_id)):
        assert client.get(reverse(name, args=[pk])).status_code == 404
    assert client.get(reverse("plan-detail", args=[plan_id]), {"format": "xlsx"}).status_code == 404


def test_the_province_sees_both(world: World, personas: Personas) -> None:
    _cadre_id, plan_id = _commune_b(world, personas)
    client = client_for(personas.head_p)
    assert FOREIGN_MARKER in client.get(reverse("cadre-list")).content.decode()
    assert FOREIGN_MARKER in client.get(reverse("cadre-key-posts")).content.decode()
    assert FOREIGN_MARKER in client.get(reverse("plan-detail", args=[plan_id])).content.decode()
    assert len(client.get("/api/v1/cadre-list-entries/").json()["results"]) == 1
