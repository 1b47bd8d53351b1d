"""Trip reports as due items (travel/due.py): told to those who manage the member's trips,
in the member's own commune."""

from __future__ import annotations

from hoso.notices.due import run_once
from hoso.notices.models import Notification
from hoso.orgs.models import Term
from hoso.people.models import Member, Person
from hoso.travel import actions
from tests.conftest import Personas, World
from tests.notices.scenarios import returned_trip
from tests.vetting.office import D, Office


def test_the_report_reminder(office: Office) -> None:
    trip = returned_trip(office)  # back on 19/6/2026: report due 30/6/2026
    assert run_once(D(2026, 6, 27)).by_source["trip-report"][0] == 1
    notice = Notification.objects.filter(user=office.officer).get()
    assert notice.text == (
        "Báo cáo sau chuyến đi nước ngoài của đồng chí Trần Thị Hoà: hạn 30/06/2026."
    )
    assert notice.url == f"/travel/{trip.pk}/"


def test_a_trip_from_another_commune_is_told_there_only(
    office: Office, world: World, personas: Personas
) -> None:
    Term.objects.create(organization=world.commune_b, name="2025-2030", starts_on=D(2025, 10, 1))
    person = Person.objects.create(family_name="Lê", given_name="Bảy", sex="M")
    member = Member.objects.create(person=person, organization=world.cell_b, status="official")
    trip = actions.request_trip(
        personas.officer_b,
        member,
        purpose="private",
        countries="Lào",
        planned_from=D(2026, 6, 1),
        planned_to=D(2026, 6, 5),
        funding="self",
        passport_type="ordinary",
        requested_on=D(2026, 5, 4),
    )
    actions.move(personas.officer_b, trip, "opinion", on=D(2026, 5, 6), text="Đồng ý")
    actions.move(personas.head_p, trip, "approve", on=D(2026, 5, 8), number="7-QĐ/TU")
    actions.move(personas.officer_b, trip, "notify", on=D(2026, 5, 9))
    actions.move(personas.officer_b, trip, "depart", on=D(2026, 6, 1))
    actions.move(personas.officer_b, trip, "return", on=D(2026, 6, 5))
    assert run_once(D(2026, 7, 1)).by_source["trip-report"] == (1, 1)
    assert Notification.objects.get().user == personas.officer_b
