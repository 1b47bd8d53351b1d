"""Cadre records, categories and posts: what the actions accept, refuse and audit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hoso.access.policy import Denied
from hoso.audit.models import AuditEvent
from hoso.cadres import actions
from hoso.cadres.actions.records import CadreError
from hoso.cadres.models import Cadre, Post
from hoso.orgs.models import Level
from hoso.people.models import Person
from tests.cadres.helpers import cadre, category, kind, post
from tests.conftest import Personas, World, client_for
from tests.vetting.office import D, Office


def test_a_record_per_person_kept_by_an_organization(office: Office, world: World) -> None:
    record = cadre(office, world)
    assert (record.organization, record.org_path) == (world.commune_a, world.commune_a.path)
    with pytest.raises(CadreError):
        actions.records.open_record(office.officer, office.member.person, world.commune_a)


def test_a_cadre_who_is_not_a_member(office: Office, world: World) -> None:
    fields = {
        "family_name": "Lê",
        "middle_name": "Văn",
        "given_name": "Tám",
        "sex": "M",
        "birth_date": D(1978, 2, 3),
        "home_town": "xã An Bình",
        "citizen_id": "001078000123",
    }
    record = actions.records.open_record(office.officer, fields, world.commune_a)
    assert record.person.citizen_id == "001078000123"
    with pytest.raises(CadreError):  # the same citizen ID is one person, not two
        actions.records.open_record(office.officer, fields, world.commune_a)
    assert Person.objects.filter(citizen_id="001078000123").count() == 1


def test_another_commune_may_not_keep_or_change_it(
    office: Office, world: World, personas: Personas
) -> None:
    with pytest.raises(Denied):
        actions.records.open_record(personas.officer_b, office.member.person, world.commune_a)
    with pytest.raises(CadreError):  # nor keep commune A's member in its own commune
        actions.records.open_record(personas.officer_b, office.member.person, world.commune_b)
    record = cadre(office, world)
    with pytest.raises(Denied):
        actions.records.set_category(personas.officer_b, record, category(), since=D(2025, 11, 1))
    held = post(office, record, kind=kind())
    with pytest.raises(Denied):
        actions.records.end_post(personas.officer_b, held, ended_on=D(2026, 1, 1))
    with pytest.raises(Denied):
        actions.records.correct_post(personas.officer_b, held, reason="x", term="2021-2025")


def test_the_managing_committee_defaults_to_the_category_level(
    office: Office, world: World
) -> None:
    record = cadre(office, world)  # a member of the cell of commune A
    record = actions.records.set_category(
        office.officer, record, category(), since=D(2025, 11, 1), decision_number="12-QĐ/ĐU"
    )
    assert record.committee == world.commune_a
    province = category("BTVTU", Level.PROVINCIAL)
    record = actions.records.set_category(office.officer, record, province, since=D(2026, 1, 5))
    assert record.committee == world.province
    event = AuditEvent.objects.filter(event_type="cadre.category_set").latest("id")
    assert event.details["old"]["category"] == "BTVDUX"
    assert event.details["new"]["committee"] == "TUP"
    with pytest.raises(CadreError):  # not a committee above the person
        actions.records.set_category(
            office.officer, record, province, since=D(2026, 1, 5), committee=world.commune_b
        )


def test_posts_and_their_end(office: Office, world: World) -> None:
    record = cadre(office, world)
    with pytest.raises(CadreError):  # an elected post names its body and term
        post(office, record, elected_body="", term="")
    with pytest.raises(CadreError):  # where it is held
        post(office, record, body="", organization=None)
    with pytest.raises(CadreError):
        post(office, record, started_on=D(2099, 1, 1))
    held = post(office, record)
    assert held.current and held.where == "Ủy ban nhân dân xã An Bình"
    with pytest.raises(CadreError):
        actions.records.end_post(office.officer, held, ended_on=D(2020, 1, 1))
    actions.records.end_post(
        office.officer, held, ended_on=D(2026, 3, 1), decision_number="9-QĐ/UBND"
    )
    held.refresh_from_db()
    assert (held.ended_on, held.end_decision_number) == (D(2026, 3, 1), "9-QĐ/UBND")
    with pytest.raises(CadreError):
        actions.records.end_post(office.officer, held, ended_on=D(2026, 3, 2))
    assert Post.objects.count() == 1  # ended, never deleted


def test_corrections_keep_the_values_before_and_after(office: Office, world: World) -> None:
    record = cadre(office, world)
    held = post(office, record)
    with pytest.raises(CadreError):
        actions.records.correct_post(office.officer, held, reason=" ", term="2021-2025")
    with pytest.raises(CadreError):  # nothing to correct
        actions.records.correct_post(office.officer, held, reason="Sai", term="2021-2026")
    actions.records.correct_post(
        office.officer, held, reason="Theo Nghị quyết 05", started_on=D(2021, 7, 16)
    )
    event = AuditEvent.objects.filter(event_type="cadre.corrected").get()
    assert event.reason == "Theo Nghị quyết 05"
    assert event.details["changes"] == {"started_on": ["2021-07-15", "2021-07-16"]}
    with pytest.raises(CadreError):  # a correction is checked as a new record is
        actions.records.correct_post(office.officer, held, reason="x", ended_on=D(2020, 1, 1))
    record = actions.records.set_category(office.officer, record, category(), since=D(2025, 11, 1))
    actions.records.correct_cadre(
        office.officer, record, reason="Nhầm ngày", category_since=D(2025, 11, 2)
    )
    assert Cadre.objects.get().category_since == D(2025, 11, 2)
    with pytest.raises(CadreError):  # the category itself is set, not corrected
        actions.records.correct_cadre(office.officer, record, reason="x", category=None)


def test_a_cadre_who_is_not_a_member_is_a_person_the_office_sees(
    office: Office, world: World, personas: Personas
) -> None:
    """The person page and the case-open page reach a non-member cadre through the record
    (people.hooks.PERSON_SOURCES), and only within the record's scope."""
    record = actions.records.open_record(
        office.officer,
        {"family_name": "Vũ", "middle_name": "Minh", "given_name": "Tâm", "sex": "M",
         "birth_date": D(1975, 4, 2)},
        world.commune_a,
    )  # fmt: skip
    person = record.person
    url = reverse("person-detail", args=[person.pk])
    assert client_for(office.officer).get(url).status_code == 200
    assert client_for(office.officer).get(f"/cases/new/?person={person.pk}").status_code == 200
    assert client_for(personas.officer_b).get(url).status_code == 404
