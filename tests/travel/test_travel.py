"""Foreign travel and relations: the trip line, flags, counts, decisions, scope."""

from __future__ import annotations

from typing import Any

import pytest

from hoso.access.policy import Denied
from hoso.travel import actions
from hoso.travel.models import Relation, RelationKind, TravelRule, Trip, TripState
from hoso.travel.views import FILTERS
from tests.conftest import Personas, World, client_for
from tests.vetting.office import D, Office


def request(office: Office, **changes: Any) -> Trip:
    values: dict[str, Any] = dict(
        purpose="relatives",
        countries="Nhật Bản, Hàn Quốc",
        planned_from=D(2026, 6, 1),
        planned_to=D(2026, 6, 20),
        funding="self",
        passport_type="ordinary",
        requested_on=D(2026, 5, 4),
        host="Con gái Trần Thu Hà",
        commitment="Cam kết chấp hành quy định khi ở nước ngoài.",
    )
    values.update(changes)
    return actions.request_trip(office.officer, office.member, **values)


def approve(office: Office, trip: Trip) -> Trip:
    actions.move(office.officer, trip, "opinion", on=D(2026, 5, 6), text="Chi bộ đồng ý")
    actions.move(office.head, trip, "approve", on=D(2026, 5, 8), number="45-QĐ/ĐU")
    return actions.move(office.officer, trip, "notify", on=D(2026, 5, 9))


def test_a_visit_to_relatives_needs_the_commitment(office: Office) -> None:
    with pytest.raises(actions.TravelError, match="bản cam kết"):
        request(office, commitment=" ")
    with pytest.raises(actions.TravelError, match="trước ngày đi"):
        request(office, planned_to=D(2026, 5, 30))
    assert request(office).countries == "Nhật Bản, Hàn Quốc"


def test_the_trip_line_and_the_report_deadline(office: Office) -> None:
    trip = request(office)
    with pytest.raises(actions.TravelError, match="Không thể thực hiện"):
        actions.move(office.officer, trip, "depart", on=D(2026, 6, 1))
    actions.move(office.officer, trip, "opinion", on=D(2026, 5, 6), text="Chi bộ đồng ý")
    with pytest.raises(Denied):  # the committee decides, not the officer
        actions.move(office.officer, trip, "approve", on=D(2026, 5, 8), number="45-QĐ/ĐU")
    actions.move(office.head, trip, "approve", on=D(2026, 5, 8), number="45-QĐ/ĐU")
    actions.move(office.officer, trip, "notify", on=D(2026, 5, 9))
    actions.move(office.officer, trip, "depart", on=D(2026, 6, 1))
    actions.move(office.officer, trip, "return", on=D(2026, 6, 19))
    trip.refresh_from_db()
    # 7 working days after Fri 19/6/2026: Tue 30/6/2026.
    assert (trip.state, trip.report_due_on, trip.passport_due_on) == (
        TripState.RETURNED,
        D(2026, 6, 30),
        None,
    )
    actions.move(
        office.officer, trip, "report", on=D(2026, 6, 25), text="Thăm con, không có vấn đề"
    )
    trip.refresh_from_db()
    assert trip.state == TripState.REPORTED


def test_the_report_period_is_configurable(office: Office) -> None:
    TravelRule.objects.update_or_create(pk=1, defaults={"report_days": 15})
    trip = approve(office, request(office))
    actions.move(office.officer, trip, "depart", on=D(2026, 6, 1))
    actions.move(office.officer, trip, "return", on=D(2026, 6, 19))
    trip.refresh_from_db()
    assert trip.report_due_on == D(2026, 7, 10)


def test_a_refused_trip_cannot_start(office: Office) -> None:
    trip = request(office)
    actions.move(office.officer, trip, "opinion", on=D(2026, 5, 6), text="Chưa đồng ý")
    actions.move(office.head, trip, "refuse", on=D(2026, 5, 8), number="46-QĐ/ĐU")
    actions.move(office.officer, trip, "notify", on=D(2026, 5, 9))
    with pytest.raises(actions.TravelError, match="đã được đồng ý"):
        actions.move(office.officer, trip, "depart", on=D(2026, 6, 1))


def test_flags_return_report_and_official_passport(office: Office) -> None:
    late = approve(
        office, request(office, purpose="official", passport_type="official", commitment="")
    )
    actions.move(office.officer, late, "depart", on=D(2026, 6, 1))
    still_abroad = approve(office, request(office))
    actions.move(office.officer, still_abroad, "depart", on=D(2026, 6, 1))
    actions.move(office.officer, late, "return", on=D(2026, 6, 19))
    qs, day = Trip.objects.all(), D(2026, 7, 6)
    assert list(FILTERS["return_overdue"](qs, day)) == [still_abroad]
    assert list(FILTERS["report_overdue"](qs, day)) == [late]  # due 30/6
    assert list(FILTERS["passport_overdue"](qs, day)) == [late]  # due 26/6
    actions.passport_back(office.officer, late, on=D(2026, 7, 6))
    assert not FILTERS["passport_overdue"](qs, day).exists()
    assert list(FILTERS["abroad"](qs, day)) == [still_abroad]


def test_counts_by_purpose_and_country(office: Office, world: World) -> None:
    approve(office, request(office))
    approve(office, request(office, purpose="study", countries="Nhật Bản", commitment=""))
    refused = request(office)
    actions.move(office.officer, refused, "opinion", on=D(2026, 5, 6), text="x")
    actions.move(office.head, refused, "refuse", on=D(2026, 5, 8), number="9-QĐ")
    page = client_for(office.head).get("/travel/?from=2026-04-01&to=2026-06-30").content.decode()
    assert "đồng ý 2 lượt ra nước ngoài" in page
    assert "Nhật Bản: 2" in page and "Hàn Quốc: 1" in page
    assert "Thăm thân nhân: 1" in page and "Học tập: 1" in page


def test_foreign_relations_and_their_decisions(office: Office) -> None:
    abroad = actions.declare_relation(
        office.officer,
        office.member,
        kind=RelationKind.RELATIVE_ABROAD,
        person_name="Trần Thu Hà",
        relationship="con gái",
        country="Nhật Bản",
        since=2019,
        status="lao động",
        declared_on=D(2026, 1, 10),
    )
    with pytest.raises(actions.TravelError, match="không cần quyết định"):
        actions.decide_relation(office.head, abroad, approved=True, number="1", on=D(2026, 2, 1))
    marriage = actions.declare_relation(
        office.officer,
        office.member,
        kind=RelationKind.MARRIAGE_CHILD,
        person_name="Kim Min-jun",
        relationship="con rể",
        country="Hàn Quốc",
        declared_on=D(2026, 1, 12),
    )
    with pytest.raises(Denied):
        actions.decide_relation(
            office.officer, marriage, approved=True, number="2-QĐ", on=D(2026, 2, 1)
        )
    actions.decide_relation(
        office.head, marriage, approved=True, number="2-QĐ/ĐU", on=D(2026, 2, 1)
    )
    marriage.refresh_from_db()
    assert (marriage.approved, marriage.decision_number) == (True, "2-QĐ/ĐU")
    with pytest.raises(actions.TravelError, match="đã được ghi nhận"):
        actions.decide_relation(office.head, marriage, approved=False, number="3", on=D(2026, 2, 2))


def test_scope(office: Office, personas: Personas) -> None:
    trip = request(office)
    relation = actions.declare_relation(
        office.officer,
        office.member,
        kind=RelationKind.AWARD,
        person_name="Huân chương X",
        country="Lào",
        declared_on=D(2026, 1, 12),
    )
    stranger = client_for(personas.officer_b)
    assert stranger.get(f"/travel/{trip.pk}/").status_code == 404
    assert stranger.post(f"/travel/relations/{relation.pk}/decide/").status_code == 404
    assert not Trip.objects.visible_to(personas.officer_b).exists()
    assert not Relation.objects.visible_to(personas.officer_b).exists()
    assert stranger.get(f"/travel/new/?member={office.member.pk}").status_code == 404


def test_pages_from_the_member_page(office: Office) -> None:
    client = client_for(office.officer)
    page = client.get(f"/members/{office.member.pk}/").content.decode()
    assert f"/travel/new/?member={office.member.pk}" in page
    response = client.post(
        f"/travel/new/?member={office.member.pk}",
        {
            "purpose": "private",
            "countries": "Thái Lan",
            "planned_from": "2026-12-20",
            "planned_to": "2026-12-27",
            "funding": "self",
            "passport_type": "ordinary",
            "requested_on": "2026-11-20",
        },
        follow=True,
    )
    trip = Trip.objects.get()
    assert "Đã ghi nhận đề nghị ra nước ngoài." in response.content.decode()
    detail = client.get(f"/travel/{trip.pk}/").content.decode()
    assert "Ghi nhận ý kiến chi bộ" in detail and "Ghi nhận đồng ý" not in detail


def test_excel_exports(office: Office) -> None:
    import io

    from openpyxl import load_workbook

    request(office)
    actions.declare_relation(
        office.officer,
        office.member,
        kind=RelationKind.RELATIVE_ABROAD,
        person_name="Trần Thu Hà",
        relationship="con gái",
        country="Nhật Bản",
        declared_on=D(2026, 1, 10),
    )
    client = client_for(office.officer)
    for url, expected in (
        ("/travel/?format=xlsx", "Nhật Bản, Hàn Quốc"),
        ("/travel/relations/?format=xlsx", "Trần Thu Hà"),
    ):
        sheet = load_workbook(io.BytesIO(client.get(url).content)).active
        values = [c for row in sheet.iter_rows(values_only=True) for c in row]
        assert expected in values, url
