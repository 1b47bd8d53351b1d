"""One human being, one record: proposals from the blocking key, decisions by an officer with
a reason (link, merge, undo, "not the same"), scope, and counting persons by identity."""

from __future__ import annotations

import pytest
from django.http import Http404

from hoso.access.roles import Clearance, Role
from hoso.audit.models import AuditEvent
from hoso.people import actions, identity
from hoso.people.actions.identity import IdentityError
from hoso.people.models import (
    DecisionKind,
    IdentityDecision,
    Member,
    Person,
    Relationship,
    Relative,
)
from hoso.vetting import verification
from hoso.vetting.models import VerificationRequest
from tests.conftest import Personas, World, make_user
from tests.vetting.office import D, Office, issue, open_case, to_verifying
from tests.vetting.office import office as office

HUSBAND = dict(family_name="Nguyễn", middle_name="Văn", given_name="Hùng", sex="M")


def _spouse(
    office: Office, person: Person, code: str, name: str, year: int, residence: str
) -> Relative:
    relationship, _ = Relationship.objects.get_or_create(code=code, defaults={"name": code})
    return Relative.objects.create(
        person=person,
        relationship=relationship,
        full_name=name,
        birth_year=year,
        residence=residence,
        recorded_by=office.officer,
    )


def _husband_case(office: Office, world: World, husband: Person) -> object:
    from hoso.vetting import actions as vetting_actions

    return vetting_actions.cases.open_case(
        office.officer,
        world.commune_a,
        office.case_type,
        husband,
        purpose="Bí thư chi bộ",
        competent_committee=world.commune_a,
        request_number="14-TTr/UBND",
        request_date=D(2026, 3, 2),
        request_issuer="UBND xã",
        received_on=D(2026, 3, 4),
        handed_over_by="Nguyễn Văn Giao",
        handover_items="Tờ trình",
    )


def test_the_couple_is_two_people_once_linked(office: Office, world: World) -> None:
    wife = office.member.person
    wife.residence = "Xã Tân Lập, huyện Đan Phượng, Hà Nội"
    wife.save()
    husband = Person.objects.create(
        **HUSBAND, birth_date=D(1983, 5, 9), residence="Tân Lập, Đan Phượng, Hà Nội"
    )
    # An applicant for admission: his declared life history is on record as a member's.
    Member.objects.create(person=husband, organization=world.cell_a, status="candidate")
    as_husband = _spouse(office, wife, "chong", "Nguyễn Văn Hùng", 1983, husband.residence)
    as_wife = _spouse(office, husband, "vo", "Trần Thị Hoà", 1985, wife.residence)
    cases = [
        to_verifying(office, open_case(office, world)),
        to_verifying(office, _husband_case(office, world, husband)),
    ]
    for case, spouse in zip(cases, (as_husband, as_wife), strict=True):
        targets = [verification.Target(person=case.person), verification.Target(relative=spouse)]
        issue(office, case, targets=targets)
    requests = VerificationRequest.objects.all()
    quarter = D(2026, 1, 1), D(2026, 3, 31)
    assert verification.counts(requests, *quarter)["persons"] == 4  # nobody linked yet

    # hoso proposes each relative as the other spouse's person record; an officer confirms.
    assert [p.person for p in identity.persons_for_relative(office.officer, as_husband)] == [
        husband
    ]
    assert [p.person for p in identity.persons_for_relative(office.officer, as_wife)] == [wife]
    as_husband = actions.identity.link_relative(
        office.officer, as_husband, husband, reason="Cùng CCCD"
    )
    actions.identity.link_relative(office.officer, as_wife, wife, reason="Vợ chồng, cùng hộ")
    counted = verification.counts(requests, *quarter)
    assert (counted["requests"], counted["persons"]) == (4, 2)
    assert set(wife.declared_as.all()) == {as_wife}
    events = AuditEvent.objects.filter(event_type="person.relative_linked")
    assert [e.reason for e in events.order_by("id")] == ["Cùng CCCD", "Vợ chồng, cùng hộ"]
    # Once linked, the relative is no longer proposed.
    assert identity.persons_for_relative(office.officer, as_husband) == []


def _twin_record(office: Office, **changes: object) -> Person:
    """A second record of the member, made when she was vetted as a new subject."""
    values = dict(
        family_name="Trần",
        middle_name="Thị",
        given_name="Hoà",
        sex="F",
        birth_date=D(1985, 3, 2),
        home_town="An Bình",
    )
    values.update(changes)
    return Person.objects.create(**values)


def test_a_duplicate_is_proposed_merged_and_unmerged_with_both_histories(
    office: Office, world: World
) -> None:
    member_person = office.member.person
    twin = _twin_record(office)
    case = _husband_case(office, world, twin)  # the twin record has a case of its own
    pairs = identity.candidates_for(office.officer, member_person)
    assert [(p.other, p.evidence) for p in pairs] == [(twin, ["tên và ngày sinh", "quê quán"])]
    with pytest.raises(IdentityError, match="lý do"):
        actions.identity.merge(office.officer, member_person, twin, reason=" ")
    actions.identity.merge(office.officer, member_person, twin, reason="Cùng một người")
    twin.refresh_from_db()
    assert twin.merged_into == member_person and twin.identity_id == member_person.pk
    assert identity.candidates_for(office.officer, member_person) == []  # merged: not proposed
    case.refresh_from_db()
    assert case.person == twin  # nothing moved: the case keeps its own record

    actions.identity.unmerge(office.officer, twin, reason="Nhầm: hai người trùng tên")
    twin.refresh_from_db()
    assert twin.merged_into is None
    kinds = list(IdentityDecision.objects.values_list("kind", flat=True))
    assert kinds == [DecisionKind.MERGE, DecisionKind.UNMERGE]
    assert AuditEvent.objects.filter(event_type__in=["person.merged", "person.unmerged"]).count()
    assert AuditEvent.objects.filter(event_type="person.merged").count() == 1
    assert AuditEvent.objects.filter(event_type="person.unmerged").count() == 1


def test_different_ids_are_two_people(office: Office, world: World) -> None:
    member_person = office.member.person
    member_person.citizen_id = "001085000111"
    member_person.save()
    twin = _twin_record(office, citizen_id="001085000999")
    _husband_case(office, world, twin)
    assert identity.candidates_for(office.officer, member_person) == []  # never proposed
    with pytest.raises(IdentityError, match="khác nhau"):
        actions.identity.merge(office.officer, member_person, twin, reason="Thử")
    assert Person.objects.get(pk=twin.pk).merged_into is None


def test_a_pair_marked_distinct_is_not_proposed_again(office: Office, world: World) -> None:
    twin = _twin_record(office)
    _husband_case(office, world, twin)
    person = office.member.person
    actions.identity.mark_distinct(office.officer, person, twin, reason="Khác cha mẹ")
    assert identity.candidates_for(office.officer, person) == []
    assert identity.candidates_for(office.officer, twin) == []


def test_candidates_stay_in_the_users_scope(
    office: Office, world: World, personas: Personas
) -> None:
    person = office.member.person
    foreign = _twin_record(office)
    Member.objects.create(person=foreign, organization=world.cell_b, status="official")
    assert identity.candidates_for(office.officer, person) == []
    assert identity.candidates_for(personas.officer_b, foreign) == []
    head = make_user("head_p2", world.province, Role.HEAD, Clearance.SECRET)
    assert [p.other for p in identity.candidates_for(head, person)] == [foreign]
    # Officer A may not decide about a record outside their scope: as if it did not exist.
    with pytest.raises(Http404):
        actions.identity.merge(office.officer, person, foreign, reason="Thử")
    # Both are members: even the province head merges nothing (settle the registration).
    with pytest.raises(IdentityError, match="đảng viên"):
        actions.identity.merge(head, person, foreign, reason="Thử")


def test_the_provinces_list_finds_pairs_by_key(
    office: Office, world: World, personas: Personas
) -> None:
    twin = _twin_record(office)
    _husband_case(office, world, twin)
    other = _twin_record(office, given_name="Hoa", home_town="Hải Hậu")  # another key
    _husband_case(office, world, other)
    pairs = identity.duplicates_for(office.officer, world.commune_a)
    assert [(p.person, p.other) for p in pairs] == [(office.member.person, twin)]
    assert identity.duplicates_for(personas.officer_b, world.commune_b) == []


def test_a_relative_becomes_a_person_of_their_own(office: Office) -> None:
    father = office.father
    person = actions.identity.person_from_relative(
        office.officer, father, sex="M", reason="Thẩm tra bố đẻ"
    )
    assert (person.full_name, person.birth_date, person.birth_date_precision) == (
        "Trần Văn Bình",
        D(1955, 1, 1),
        "year",
    )
    father.refresh_from_db()
    assert father.identity == person
    with pytest.raises(IdentityError):
        actions.identity.person_from_relative(office.officer, father, sex="M", reason="Lần hai")
