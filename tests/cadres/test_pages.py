"""The cadre pages: the list and its filters, export, the record and its forms, the key posts
without a conclusion, the person-page section and the proposed committee."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from hoso.audit.models import AuditEvent
from hoso.cadres import actions
from hoso.cadres.models import Cadre, Post
from hoso.cadres.sections import cadre_section, managing_committee
from hoso.people.models import Member, Person
from hoso.vetting.hooks import proposed_committee
from tests.cadres.helpers import cadre, category, concluded, kind, post
from tests.conftest import Personas, World, client_for, xlsx_cells
from tests.vetting.office import D, Office


def _names(response: Any) -> list[str]:
    return [row.person.given_name for row, _state in response.context["rows"]]


def _second(office: Office, world: World) -> Cadre:
    person = Person.objects.create(family_name="Phạm", given_name="Bình", sex="M")
    member = Member.objects.create(person=person, organization=world.cell_a, status="official")
    record = cadre(office, world, member)
    post(office, record, kind=kind("VT_MAT", key=False, secret=True, mode="appointed"),
         title="Văn thư", elected_body="", term="", started_on=D(2020, 1, 1))  # fmt: skip
    return record


def test_the_list_filters(office: Office, world: World) -> None:
    first = cadre(office, world)
    post(office, first)
    actions.records.set_category(office.officer, first, category(), since=D(2025, 11, 1))
    second = _second(office, world)
    client = client_for(office.officer)
    url = reverse("cadre-list")
    assert _names(client.get(url)) == ["Bình", "Hoà"]  # Vietnamese order of given names
    assert _names(client.get(url, {"key": "on"})) == ["Hoà"]
    assert _names(client.get(url, {"secret": "on"})) == ["Bình"]
    assert _names(client.get(url, {"category": category().pk})) == ["Hoà"]
    assert _names(client.get(url, {"q": "hoa"})) == ["Hoà"]
    assert _names(client.get(url, {"q": "tran thi h"})) == ["Hoà"]
    assert _names(client.get(url, {"org": "CBA1"})) == []  # kept by the commune
    assert _names(client.get(url, {"org": "DUA"})) == ["Bình", "Hoà"]
    assert _names(client.get(url, {"org": "ZZB"})) == []
    actions.records.end_post(office.officer, second.posts.get(), ended_on=D(2026, 1, 1))
    assert _names(client.get(url)) == ["Hoà"]
    assert _names(client.get(url, {"status": "former"})) == ["Bình"]
    assert _names(client.get(url, {"status": "all"})) == ["Bình", "Hoà"]


def test_pages_of_the_list_follow_each_other(office: Office, world: World) -> None:
    for n in range(55):
        person = Person.objects.create(family_name="Vũ", given_name=f"An {n:02d}", sex="M")
        cadre(office, world, Member.objects.create(person=person, organization=world.cell_a))
    client = client_for(office.officer)
    first = client.get(reverse("cadre-list"), {"status": "all"})
    after = client.get(reverse("cadre-list"), {"status": "all", "after": first.context["next"]})
    seen = _names(first) + _names(after)
    assert len(seen) == 55 and len(set(seen)) == 55 and not after.context["next"]


def test_the_export_is_audited_and_filtered(office: Office, world: World) -> None:
    post(office, cadre(office, world))
    _second(office, world)
    response = client_for(office.officer).get(reverse("cadre-export"), {"key": "on"})
    rows = xlsx_cells(response.content)
    assert [r[0].value for r in rows[1:]] == ["TRẦN THỊ HOÀ"]
    assert "Phó Chủ tịch" in rows[1][6].value
    event = AuditEvent.objects.get(event_type="cadre.exported")
    assert event.details == {"list": "can-bo", "key": "True"}


def test_key_posts_without_a_conclusion_in_force(office: Office, world: World) -> None:
    post(office, cadre(office, world))
    second = _second(office, world)
    client = client_for(office.officer)
    url = reverse("cadre-key-posts")
    assert _names(client.get(url)) == ["Bình", "Hoà"]
    concluded(office, world, months=12)  # Hoà's post now has a conclusion in force
    assert _names(client.get(url)) == ["Bình"]
    actions.records.end_post(office.officer, second.posts.get(), ended_on=D(2026, 1, 1))
    assert _names(client.get(url)) == []
    Cadre.objects.filter(person=office.member.person).update(conclusion_until=D(2026, 5, 1))
    response = client.get(url)
    assert _names(response) == ["Hoà"]  # expired
    assert response.context["rows"][0][1] == "expired"


def test_the_record_page_and_its_forms(office: Office, world: World) -> None:
    record = cadre(office, world)
    client = client_for(office.officer)
    url = reverse("cadre-detail", args=[record.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        reverse("cadre-category", args=[record.pk]),
        {"category": category().pk, "since": "2025-11-01", "decision_number": "12-QĐ/ĐU"},
    )
    assert response["Location"] == url
    assert Cadre.objects.get().committee == world.commune_a
    client.post(
        reverse("cadre-post-add", args=[record.pk]),
        {"kind": kind().pk, "body": "UBND xã", "elected_body": "HĐND xã", "term": "2021-2026",
         "started_on": "2021-07-15"},
    )  # fmt: skip
    held = Post.objects.get()
    assert held.title == kind().name  # empty: the kind's name
    client.post(
        reverse("post-correct", args=[held.pk]),
        {**{f: getattr(held, f) or "" for f in ("title", "body", "elected_body", "term")},
         "kind": held.kind_id, "started_on": "2021-07-16", "reason": "Theo NQ"},
    )  # fmt: skip
    assert Post.objects.get().started_on == D(2021, 7, 16)
    client.post(reverse("post-end", args=[held.pk]), {"ended_on": "2026-03-01"})
    assert Post.objects.get().ended_on == D(2026, 3, 1)
    page = client.get(url).content.decode()
    assert "01/03/2026" in page and f"{reverse('case-new')}?type=T_BO_NHIEM" in page


def test_a_new_record_from_a_number_or_a_new_person(
    office: Office, world: World, personas: Personas
) -> None:
    office.member.person.citizen_id = "001185000001"
    office.member.person.save()
    client = client_for(office.officer)
    url = reverse("cadre-new")
    response = client.post(url, {"organization": world.commune_a.pk, "citizen_id": "001185000001"})
    assert response.status_code == 302 and Cadre.objects.get().person == office.member.person
    response = client.post(
        url,
        {"organization": world.commune_a.pk, "person-family_name": "Lê",
         "person-given_name": "Tám", "person-sex": "M", "person-birth_date": "1978-02-03",
         "person-home_town": "xã An Bình"},
    )  # fmt: skip
    assert response.status_code == 302 and Cadre.objects.count() == 2
    foreign = Person.objects.create(
        family_name="Đỗ", given_name="ZZB", sex="M", citizen_id="079090000009"
    )
    Member.objects.create(person=foreign, organization=world.cell_b, status="official")
    response = client.post(url, {"organization": world.commune_a.pk, "citizen_id": "079090000009"})
    assert response.status_code == 200 and Cadre.objects.count() == 2
    assert "ZZB" not in response.content.decode()


def test_the_person_section_and_the_proposed_committee(
    office: Office, world: World, personas: Personas
) -> None:
    record = cadre(office, world)
    post(office, record)
    actions.records.set_category(office.officer, record, category(), since=D(2025, 11, 1))
    section = cadre_section(office.officer, office.member.person)
    assert section is not None and [p.title for p in section.context["posts"]] == [
        "Phó Chủ tịch Ủy ban nhân dân xã An Bình"
    ]
    assert cadre_section(personas.officer_b, office.member.person) is None
    assert cadre_section(personas.clerk_a, office.member.person) is None  # no cadre.view
    assert managing_committee(office.officer, office.member.person) == world.commune_a
    assert proposed_committee(office.officer, office.member.person) == world.commune_a
    assert proposed_committee(personas.officer_b, office.member.person) is None


def test_a_corrected_name_is_found_and_ordered(office: Office, world: World) -> None:
    from hoso.people import actions as people

    post(office, cadre(office, world))
    _second(office, world)  # Phạm Bình
    client = client_for(office.officer)
    person = office.member.person
    people.dossier.correct(
        office.head, person, {"given_name": "An"}, approval="5-QĐ", reason="Theo giấy khai sinh"
    )
    assert Cadre.objects.get(person=person).sort_key == Person.objects.get(pk=person.pk).sort_key
    assert _names(client.get(reverse("cadre-list"), {"q": "tran thi an"})) == ["An"]
    assert _names(client.get(reverse("cadre-list"))) == ["An", "Bình"]
