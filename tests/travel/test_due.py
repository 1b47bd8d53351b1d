"""Trip reports and overdue returns from long stays as due items (travel/due.py): told to
those who manage the member's travel, in the member's own commune."""

from __future__ import annotations

from hoso.notices.due import run_once
from hoso.notices.models import Notification
from hoso.orgs.models import Term
from hoso.people.models import Member, Person
from hoso.travel import actions
from tests.conftest import Personas, World
from tests.notices.scenarios import returned_trip
from tests.travel.test_stays import record as record_stay
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


def test_an_overdue_return_is_told_once(office: Office, personas: Personas) -> None:
    stay = record_stay(office, planned_return=D(2026, 6, 30))
    assert run_once(D(2026, 6, 30)).by_source["stay-return"] == (0, 0)  # due that day
    claimed, told = run_once(D(2026, 7, 1)).by_source["stay-return"]
    assert claimed == 1 and told == Notification.objects.count() > 0
    assert run_once(D(2026, 7, 2)).by_source["stay-return"] == (0, 0)  # once
    assert run_once(D(2026, 9, 1)).by_source["stay-return"] == (0, 0)
    notice = Notification.objects.filter(user=office.officer).get()
    assert notice.text == (
        "Đồng chí Trần Thị Hoà dự kiến về nước từ Nhật Bản ngày 30/06/2026 nhưng chưa ghi nhận"
        " việc về nước."
    )
    assert notice.url == f"/travel/stays/{stay.pk}/"
    assert personas.officer_b.pk not in Notification.objects.values_list("user", flat=True)


def test_an_extended_stay_is_told_again_when_the_new_date_passes(office: Office) -> None:
    stay = record_stay(office, planned_return=D(2026, 6, 30))
    run_once(D(2026, 7, 1))
    actions.correct_stay(
        office.officer, stay, {"planned_return": D(2026, 10, 31)}, reason="QĐ gia hạn"
    )
    assert run_once(D(2026, 10, 31)).by_source["stay-return"] == (0, 0)
    assert run_once(D(2026, 11, 1)).by_source["stay-return"][0] == 1


def test_no_reminder_once_returned(office: Office) -> None:
    stay = record_stay(office, planned_return=D(2026, 6, 30))
    actions.record_return(office.officer, stay, on=D(2026, 6, 28))
    assert run_once(D(2026, 7, 1)).by_source["stay-return"] == (0, 0)
