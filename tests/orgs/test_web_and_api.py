from __future__ import annotations

from django.urls import reverse

from hoso.orgs.models import Organization
from tests.conftest import Personas, World, client_for


def test_tree_page_shows_scope_roots(world: World, personas: Personas) -> None:
    body = client_for(personas.clerk_a).get(reverse("org-tree")).content.decode()
    assert "Đảng ủy xã An Bình" in body
    assert "ZZB" not in body and "Tỉnh ủy Thử Nghiệm" not in body


def test_children_fragment(world: World, personas: Personas) -> None:
    client = client_for(personas.head_p)
    body = client.get(reverse("org-children", args=[world.province.pk])).content.decode()
    assert "Đảng ủy xã An Bình" in body and "ZZB" in body


def test_web_create_via_form(world: World, personas: Personas) -> None:
    client = client_for(personas.head_p)
    url = reverse("org-action", args=[world.commune_a.pk, "new"])
    response = client.post(url, {"name": "Chi bộ Mới", "code": "cbm", "level": "cell"})
    assert response.status_code == 302
    assert Organization.objects.get_parent(Organization.objects.get(code="CBM")) == world.commune_a
    said = client.get(response["Location"]).content.decode()
    assert "Đã thêm đơn vị “Chi bộ Mới”." in said  # what was done, not "Đã lưu."
    again = client.post(url, {"name": "Trùng", "code": "CBM", "level": "cell"})
    assert "already used" in again.content.decode() or "đã được dùng" in again.content.decode()


def test_clerk_sees_no_manage_buttons_and_gets_403(world: World, personas: Personas) -> None:
    client = client_for(personas.clerk_a)
    body = client.get(reverse("org-detail", args=[world.commune_a.pk])).content.decode()
    assert reverse("org-action", args=[world.commune_a.pk, "rename"]) not in body
    url = reverse("org-action", args=[world.commune_a.pk, "rename"])
    assert client.get(url).status_code == 403


def test_api_list_is_scoped_and_paginated(world: World, personas: Personas) -> None:
    data = client_for(personas.clerk_a).get("/api/v1/orgs/").json()
    assert {o["code"] for o in data["results"]} == {"DUA", "CBA1"}
    assert "next" in data


def test_api_create_and_move(world: World, personas: Personas) -> None:
    client = client_for(personas.head_p)
    response = client.post(
        "/api/v1/orgs/",
        {"parent_id": world.commune_a.pk, "name": "Chi bộ API", "code": "CBAPI", "level": "cell"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    new_id = response.json()["id"]
    response = client.post(
        f"/api/v1/orgs/{new_id}/move/",
        {"new_parent": world.commune_b.pk, "reason": "Điều chỉnh"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["parent_id"] == world.commune_b.pk


def test_api_refuses_parent_outside_scope(world: World, personas: Personas) -> None:
    client = client_for(personas.head_p)
    response = client.post(
        "/api/v1/orgs/",
        {"parent_id": world.root.pk, "name": "x", "code": "X", "level": "cell"},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_openapi_schema(world: World, personas: Personas) -> None:
    response = client_for(personas.clerk_a).get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/orgs/" in response.content


def test_api_rename_and_terms(world: World, personas: Personas) -> None:
    client = client_for(personas.head_p)
    url = f"/api/v1/orgs/{world.commune_a.pk}/"
    response = client.post(
        url + "rename/",
        {"name": "Đảng ủy xã An Bình Mới", "reason": "NQ 1"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["name"] == "Đảng ủy xã An Bình Mới"
    term = {"name": "2025-2030", "starts_on": "2025-10-01"}
    response = client.post(url + "terms/", term, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["terms"][0]["name"] == "2025-2030"
    again = client.post(url + "terms/", term, content_type="application/json")
    assert again.status_code == 400
    clerk = client_for(personas.clerk_a)
    refused = clerk.post(
        url + "rename/", {"name": "x", "reason": "y"}, content_type="application/json"
    )
    assert refused.status_code == 403


def test_move_form_offers_no_node_of_its_own_subtree(world: World, personas: Personas) -> None:
    client = client_for(personas.head_p)
    form = client.get(reverse("org-action", args=[world.commune_a.pk, "move"])).context["form"]
    offered = {o.code for o in form.fields["new_parent"].queryset}
    assert offered == {"TUP", "ZZB", "ZZB1"}


def test_the_abbreviation_on_documents_is_edited_and_shown(
    world: World, personas: Personas
) -> None:
    client = client_for(personas.head_p)
    page = client.get(reverse("org-detail", args=[world.commune_a.pk])).content.decode()
    assert "Ký hiệu viết tắt trên văn bản" in page and "ĐU" in page
    url = reverse("org-action", args=[world.commune_a.pk, "rename"])
    client.post(url, {"name": world.commune_a.name, "abbreviation": "đupa", "reason": "QĐ 1"})
    world.commune_a.refresh_from_db()
    assert world.commune_a.abbreviation == "ĐUPA"
    said = client.post(url, {"name": "X", "abbreviation": "ĐU PA", "reason": "QĐ 2"})
    assert "không có dấu cách" in said.content.decode()
