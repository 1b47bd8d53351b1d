"""The organization picker: the htmx fragment at /orgs/pick/, the form field and its widget
(server-side validation with or without JavaScript), the API's ?q=, and the forms using it."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.test import Client
from django.urls import reverse

from hoso.access import policy
from hoso.orgs.forms import OrgPickerField, limit_orgs
from hoso.orgs.models import Organization
from tests.conftest import FOREIGN_MARKER, Personas, World, client_for

A = policy.Action


def pick(client: Client, **params: str) -> Any:
    return client.get(reverse("org-pick"), params, HTTP_HX_REQUEST="true")


# ---- the fragment ---------------------------------------------------------------------------


def test_the_fragment_lists_options_with_their_path(world: World, personas: Personas) -> None:
    response = pick(client_for(personas.head_p), action="member.view", q="chi bo thon")
    assert response.status_code == 200
    body = response.content.decode()
    (option,) = re.findall(r"<span class=\"option\" role=\"option\".*", body)
    assert f'data-id="{world.cell_a.pk}"' in option
    assert 'data-label="Chi bộ thôn Đông (CBA1)"' in option
    assert '<span class="name">Chi bộ thôn Đông</span>' in option
    assert '<span class="trail">Tỉnh ủy Thử Nghiệm › Đảng ủy xã An Bình</span>' in option
    assert "<html" not in body  # a fragment, not a page


def test_the_fragment_says_when_nothing_matches(world: World, personas: Personas) -> None:
    body = pick(client_for(personas.clerk_a), action="member.view", q="zzb").content.decode()
    assert 'role="option"' not in body
    assert "Không có tổ chức phù hợp trong phạm vi của bạn." in body
    assert FOREIGN_MARKER not in body


def test_the_fragment_never_shows_a_foreign_organization(world: World, personas: Personas) -> None:
    client = client_for(personas.clerk_a)
    for action in A:
        for q in ("", "zzb", "chi bo", "dang uy", "ZZB1"):
            body = pick(client, action=action.value, q=q, closed="1").content.decode()
            assert FOREIGN_MARKER not in body, (action, q)


def test_a_bad_action_or_flag_is_a_clear_400(world: World, personas: Personas) -> None:
    client = client_for(personas.clerk_a)
    response = pick(client, action="case.destroy", q="an")
    assert response.status_code == 400
    body = response.content.decode()
    assert "“action” phải là một trong các giá trị:" in body and "case.view" in body
    assert pick(client, action="case.view", closed="yes").status_code == 400
    assert pick(client, action="case.view", not_under="x").status_code == 400
    assert pick(client, action="case.view", above="2").status_code == 400
    client.cookies["django_language"] = "en"
    english = pick(client, action="nope").content.decode()
    assert "“action” must be one of:" in english


def test_closed_ones_when_asked(world: World, personas: Personas) -> None:
    import datetime as dt

    from hoso.orgs import actions

    actions.close_organization(
        personas.head_p, world.cell_a, closed_on=dt.date.today(), reason="Giải thể"
    )
    client = client_for(personas.clerk_a)
    assert "CBA1" not in pick(client, q="thon dong").content.decode()
    body = pick(client, q="thon dong", closed="1").content.decode()
    assert "CBA1" in body and "đã giải thể" in body


# ---- the form field ---------------------------------------------------------------------------


class PickForm(forms.Form):
    organization = OrgPickerField(label="Tổ chức")
    optional = OrgPickerField(label="Khác", action=A.ORG_VIEW, required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_orgs(self, "organization", actor, A.MEMBER_MANAGE)
        optional = self.fields["optional"]
        assert isinstance(optional, OrgPickerField)
        optional.limit_to(actor)


def errors(data: dict[str, str], actor: Any) -> list[str]:
    form = PickForm(data, actor=actor)
    return [] if form.is_valid() else list(form.errors.get("organization", []))


def test_the_field_takes_the_picked_id(world: World, personas: Personas) -> None:
    form = PickForm({"organization": str(world.cell_a.pk)}, actor=personas.clerk_a)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["organization"] == world.cell_a
    assert form.cleaned_data["optional"] is None
    # The id wins over the text box, which may still show the label of the picked one.
    data = {"organization": str(world.commune_a.pk), "organization-q": "anything"}
    form = PickForm(data, actor=personas.clerk_a)
    assert form.is_valid() and form.cleaned_data["organization"] == world.commune_a


def test_an_id_outside_the_scope_reads_as_a_missing_one(world: World, personas: Personas) -> None:
    clerk = personas.clerk_a
    foreign = errors({"organization": str(world.cell_b.pk)}, clerk)
    missing = errors({"organization": "987654321"}, clerk)
    assert foreign == missing and len(foreign) == 1
    assert "Không có tổ chức nào trong phạm vi của bạn" in foreign[0]
    # Above the scope, or only in another action's scope (a clerk manages no account).
    assert errors({"organization": str(world.province.pk)}, clerk) == missing
    form = PickForm({"organization": "x", "optional": str(world.cell_b.pk)}, actor=clerk)
    assert not form.is_valid() and form.errors["optional"] == missing


def test_without_javascript_the_typed_text_is_resolved(world: World, personas: Personas) -> None:
    clerk = personas.clerk_a
    for typed in ("Đảng ủy xã An Bình", "dang uy xa an binh", "DUA", "Đảng ủy xã An Bình (DUA)"):
        form = PickForm({"organization-q": typed}, actor=clerk)
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data["organization"] == world.commune_a
    for typed in ("Đảng ủy phường ZZB Bên Kia", "ZZB", "Chi bộ ZZB Một (ZZB1)"):
        assert errors({"organization-q": typed}, clerk) == errors({"organization": "9"}, clerk)
    assert errors({}, clerk) == ["Trường này là bắt buộc."]


def test_a_committee_above_the_scope(world: World, personas: Personas) -> None:
    class CommitteeForm(forms.Form):
        committee = OrgPickerField(label="Cấp ủy", action=A.CASE_MANAGE, above=True)

    def form(value: str) -> CommitteeForm:
        made = CommitteeForm({"committee": value})
        field = made.fields["committee"]
        assert isinstance(field, OrgPickerField)
        field.limit_to(personas.officer_a)
        return made

    assert form(str(world.province.pk)).is_valid()
    assert form("Tỉnh ủy Thử Nghiệm").is_valid()
    refused = form(str(world.commune_b.pk))
    assert not refused.is_valid()
    assert refused.errors["committee"] == errors({"organization": "987654321"}, personas.clerk_a)
    assert "above=1" in str(form("")["committee"])


def test_a_shared_name_asks_for_the_code(world: World, personas: Personas) -> None:
    for code in ("T1", "T2"):
        Organization.objects.add_child(
            world.commune_a, create_kwargs={"name": "Chi bộ 1", "code": code, "level": "cell"}
        )
    (message,) = errors({"organization-q": "Chi bộ 1"}, personas.clerk_a)
    assert "nhiều tổ chức tên “Chi bộ 1”" in message


def test_the_widget_renders_a_labelled_search_box(world: World, personas: Personas) -> None:
    form = PickForm(initial={"organization": world.cell_a.pk}, actor=personas.clerk_a)
    html = str(form["organization"])
    box = re.search(r"<input type=\"text\"[^>]*>", html)
    assert box is not None
    box_html = box.group(0)
    assert 'name="organization-q"' in box_html and 'id="id_organization"' in box_html
    assert 'value="Chi bộ thôn Đông (CBA1)"' in box_html
    assert 'role="combobox"' in box_html and 'aria-controls="id_organization-list"' in box_html
    assert 'hx-get="/orgs/pick/?action=member.manage"' in box_html
    assert "required" in box_html
    assert re.search(r'<input type="hidden" name="organization" value="" disabled', html)
    assert 'id="id_organization-list" role="listbox"' in html
    assert "<ul" not in html and "<div" not in html  # it may sit in a <p> (form.as_p)
    assert '<label for="id_organization">' in form["organization"].label_tag()
    assert "<option" not in html  # no list of the scope is sent


def test_a_foreign_id_posted_back_shows_no_name(world: World, personas: Personas) -> None:
    form = PickForm({"organization": str(world.cell_b.pk)}, actor=personas.clerk_a)
    assert not form.is_valid()
    html = str(form["organization"])
    assert FOREIGN_MARKER not in html
    assert 'value=""' in re.search(r"<input type=\"text\"[^>]*>", html).group(0)  # type: ignore[union-attr]


def test_the_move_form_searches_outside_its_own_subtree(world: World, personas: Personas) -> None:
    client = client_for(personas.head_p)
    page = client.get(reverse("org-action", args=[world.commune_a.pk, "move"])).content.decode()
    assert f"/orgs/pick/?action=org.manage&amp;not_under={world.commune_a.pk}" in page
    body = pick(
        client, action="org.manage", q="chi bo", not_under=str(world.commune_a.pk)
    ).content.decode()
    assert "ZZB1" in body and "CBA1" not in body


# ---- the API ----------------------------------------------------------------------------------


def test_the_api_searches_as_the_picker(world: World, personas: Personas) -> None:
    client = client_for(personas.head_p)
    data = client.get("/api/v1/orgs/", {"q": "thon dong", "action": "member.view"}).json()
    assert data["next"] is None
    (org,) = data["results"]
    assert org["code"] == "CBA1" and org["parent_id"] == world.commune_a.pk
    assert org["trail"] == ["Tỉnh ủy Thử Nghiệm", "Đảng ủy xã An Bình"]
    clerk = client_for(personas.clerk_a)
    assert clerk.get("/api/v1/orgs/", {"q": "zzb"}).json()["results"] == []
    bad = clerk.get("/api/v1/orgs/", {"q": "an", "action": "case.destroy"})
    assert bad.status_code == 400 and "action" in bad.content.decode()
    listed = clerk.get("/api/v1/orgs/").json()["results"]
    assert {o["code"]: o["trail"] for o in listed} == {"DUA": [], "CBA1": ["Đảng ủy xã An Bình"]}


# ---- the forms that use it --------------------------------------------------------------------


def test_large_organization_lists_are_pickers(world: World, personas: Personas) -> None:
    """The forms whose organization list grows with the scope send no <option> of it."""
    pages = [
        (personas.admin_root, reverse("account-new")),
        (personas.clerk_a, reverse("member-new")),
        (personas.clerk_a, reverse("member-import")),
        (personas.clerk_a, reverse("petition-new")),
        (personas.head_p, reverse("org-action", args=[world.commune_a.pk, "move"])),
    ]
    for user, url in pages:
        body = client_for(user).get(url).content.decode()
        assert "data-org-picker" in body, url
        assert not re.search(r"<option value=\"\d+\"[^>]*>[^<]*\((TUP|DUA|CBA1)\)", body), url
