"""The person page, the duplicates page and command, and the decisions taken from them."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.urls import reverse

from hoso.people import actions
from hoso.people.models import Person
from tests.conftest import Personas, World, client_for
from tests.people.test_identity import _husband_case, _twin_record
from tests.vetting.office import D, Office
from tests.vetting.office import office as office


def _twin(office: Office, world: World) -> Person:
    twin = _twin_record(office)
    _husband_case(office, world, twin)
    return twin


def test_the_person_page_proposes_and_merges_with_a_reason(office: Office, world: World) -> None:
    person, twin = office.member.person, _twin(office, world)
    client = client_for(office.officer)
    page = client.get(reverse("person-detail", args=[person.pk])).content.decode()
    assert "Nghi trùng người" in page and f'value="p{twin.pk}"' in page
    url = reverse("person-decide", args=[person.pk, "merge"])
    refused = client.post(url, {"other": twin.pk, "reason": ""}, follow=True)
    assert "Ghi lý do" in refused.content.decode()
    assert Person.objects.get(pk=twin.pk).merged_into is None
    client.post(url, {"other": twin.pk, "reason": "Cùng CCCD cũ"})
    assert Person.objects.get(pk=twin.pk).merged_into == person
    page = client.get(reverse("person-detail", args=[twin.pk])).content.decode()
    assert "Mở bản được giữ lại" in page and "Cùng CCCD cũ" in page


def test_a_clerk_sees_the_person_but_takes_no_identity_decision(
    office: Office, world: World
) -> None:
    person, twin = office.member.person, _twin(office, world)
    client = client_for(office.clerk)
    page = client.get(reverse("person-detail", args=[person.pk]))
    assert page.status_code == 200 and f'value="p{twin.pk}"' not in page.content.decode()
    url = reverse("person-decide", args=[person.pk, "merge"])
    assert client.post(url, {"other": twin.pk, "reason": "Cùng người"}).status_code == 404
    assert Person.objects.get(pk=twin.pk).merged_into is None
    assert client.get(reverse("person-duplicates")).status_code == 404


def test_linking_a_relative_from_its_page(office: Office, world: World) -> None:
    father = office.father
    father_record = Person.objects.create(
        family_name="Trần", middle_name="Văn", given_name="Bình", sex="M",
        birth_date=D(1955, 6, 1),
    )  # fmt: skip
    _husband_case(office, world, father_record)
    client = client_for(office.officer)
    url = reverse("relative-identity", args=[father.pk])
    page = client.get(url).content.decode()
    assert "Không có hồ sơ người nào" in page  # no residence in common: not proposed
    client.post(url, {"op": "link", "person": father_record.pk, "reason": "Cùng CCCD"})
    father.refresh_from_db()
    assert father.identity == father_record
    assert "Hủy liên kết" in client.get(url).content.decode()


def test_the_duplicates_page_and_command_stay_in_scope(
    office: Office, world: World, personas: Personas
) -> None:
    twin = _twin(office, world)
    page = client_for(office.officer).get(reverse("person-duplicates")).content.decode()
    assert f"/persons/{twin.pk}/" in page and "1 cặp được đề xuất" in page
    foreign = client_for(personas.officer_b).get(reverse("person-duplicates")).content.decode()
    assert f"/persons/{twin.pk}/" not in foreign
    out = io.StringIO()
    call_command("persons", "duplicates", "--user", office.officer.username, stdout=out,
                 stderr=io.StringIO())  # fmt: skip
    assert out.getvalue().count("\n") == 1 and f"p{twin.pk}\t" in out.getvalue()
    out = io.StringIO()
    call_command("persons", "duplicates", "--user", personas.officer_b.username, stdout=out,
                 stderr=io.StringIO())  # fmt: skip
    assert out.getvalue() == ""


def test_the_person_page_shows_the_cases_of_every_record_of_the_person(
    office: Office, world: World
) -> None:
    person, twin = office.member.person, _twin(office, world)  # the twin's case: "Bí thư chi bộ"
    actions.identity.merge(office.officer, person, twin, reason="Cùng một người")
    page = client_for(office.officer).get(reverse("person-detail", args=[person.pk]))
    assert "Bí thư chi bộ" in page.content.decode()  # the case on the merged record
    clerk_page = client_for(office.clerk).get(reverse("person-detail", args=[person.pk]))
    assert "Bí thư chi bộ" not in clerk_page.content.decode()  # clerks do not see casework
