"""The API does what the pages do, through the same actions and in the same scope."""

from __future__ import annotations

from typing import Any

from django.test import Client

from hoso.cadres.models import Cadre, Entry, Post
from tests.cadres.helpers import cadre, category, concluded, kind, plan, post, rule
from tests.conftest import Personas, World, client_for
from tests.vetting.office import Office


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def test_a_cadre_from_a_member_with_category_and_posts(office: Office, world: World) -> None:
    rule()
    category()
    kind()
    client = client_for(office.officer)
    made = _post(
        client, "/api/v1/cadres/", {"organization_code": "DUA", "member": office.member.pk}
    )
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    answer = _post(
        client, f"/api/v1/cadres/{pk}/category/", {"category_code": "BTVDUX", "since": "2025-11-01"}
    )
    assert answer.status_code == 200 and answer.json()["committee_code"] == "DUA"
    body = {"kind_code": "PCT_UBND_XA", "body": "UBND xã", "started_on": "2021-07-15"}
    refused = _post(client, f"/api/v1/cadres/{pk}/posts/", body)
    assert refused.status_code == 400  # an elected post names its body and term
    held = _post(
        client,
        f"/api/v1/cadres/{pk}/posts/",
        {**body, "elected_body": "HĐND xã", "term": "2021-2026"},
    )
    assert held.status_code == 201
    post_id = held.json()["id"]
    fixed = _post(
        client, f"/api/v1/cadre-posts/{post_id}/correct/", {"reason": "NQ", "term": "2021-2025"}
    )
    assert fixed.status_code == 200 and fixed.json()["term"] == "2021-2025"
    ended = _post(client, f"/api/v1/cadre-posts/{post_id}/end/", {"ended_on": "2026-03-01"})
    assert ended.json()["ended_on"] == "2026-03-01"
    listed = client.get("/api/v1/cadres/", {"status": "former"}).json()
    assert [c["id"] for c in listed["results"]] == [pk] and listed["next"] is None
    detail = client.get(f"/api/v1/cadres/{pk}/").json()
    assert [p["title"] for p in detail["posts"]] == [kind().name]
    assert client.get("/api/v1/post-kinds/").status_code == 200
    assert client.get("/api/v1/cadre-categories/").json()[0]["code"]


def test_lists_and_entries(office: Office, world: World) -> None:
    cadre(office, world)
    concluded(office, world, months=12)
    client = client_for(office.officer)
    made = _post(
        client,
        "/api/v1/cadre-lists/",
        {"organization_code": "DUA", "kind": "planning", "name": "Quy hoạch BTV",
         "term": "2030-2035", "case_types": "T_BO_NHIEM"},
    )  # fmt: skip
    assert made.status_code == 201, made.json()
    plan_id = made.json()["id"]
    added = _post(
        client,
        f"/api/v1/cadre-lists/{plan_id}/entries/",
        {"person": office.member.person_id, "decision_number": "1-QĐ", "decision_on": "2026-05-04"},
    )
    assert added.status_code == 201, added.json()
    assert added.json()["conclusion"] == {
        "in_force": True,
        "serves_until": "2027-04-20",
        "number": "15-KL/ĐU",
        "signed_on": "2026-04-20",
        "case": Entry.objects.get().conclusion.case_id,
    }
    entries = client.get("/api/v1/cadre-list-entries/", {"plan": plan_id}).json()["results"]
    assert len(entries) == 1
    assert client.get("/api/v1/cadre-list-entries/", {"show": "without"}).json()["results"] == []
    removed = _post(
        client,
        f"/api/v1/cadre-list-entries/{entries[0]['id']}/remove/",
        {"decision_number": "2-QĐ", "decision_on": "2026-06-01", "reason": "Chuyển công tác"},
    )
    assert removed.status_code == 200 and removed.json()["removed_on"] == "2026-06-01"
    assert Entry.objects.count() == 1


def test_the_api_stays_in_scope(office: Office, world: World, personas: Personas) -> None:
    record = cadre(office, world)
    held = post(office, record)
    listed = plan(office, world)
    outsider = client_for(personas.officer_b)
    assert outsider.get(f"/api/v1/cadres/{record.pk}/").status_code == 404
    assert outsider.get(f"/api/v1/cadre-posts/{held.pk}/").status_code == 404
    assert outsider.get(f"/api/v1/cadre-lists/{listed.pk}/").status_code == 404
    assert (
        _post(
            outsider, f"/api/v1/cadre-posts/{held.pk}/end/", {"ended_on": "2026-03-01"}
        ).status_code
        == 404
    )
    assert outsider.get("/api/v1/cadres/").json()["results"] == []
    made = _post(
        outsider, "/api/v1/cadres/", {"organization_code": "ZZB", "member": office.member.pk}
    )
    assert made.status_code == 400 and Cadre.objects.count() == 1
    clerk = client_for(personas.clerk_a)  # no cadre work
    assert clerk.get("/api/v1/cadre-categories/").json() == []
    assert Post.objects.get().ended_on is None
