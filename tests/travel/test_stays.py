"""Long stays abroad (công tác, học tập dài hạn ở nước ngoài): recording, return, cancellation,
corrections kept in the audit trail, the list and its filters, the pages, the API, scope."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from openpyxl import load_workbook

from hoso.access.policy import Denied
from hoso.access.roles import Role
from hoso.audit import events
from hoso.audit.models import AuditEvent
from hoso.people.models import Member, Person
from hoso.travel import actions
from hoso.travel.models import Stay, StayState
from tests.conftest import Personas, World, client_for, make_user
from tests.vetting.office import D, Office

API = "/api/v1/stays/"


def record(office: Office, member: Member | None = None, **changes: Any) -> Stay:
    values: dict[str, Any] = dict(
        kind="study",
        country="Nhật Bản",
        place="Đại học Tokyo",
        decision_number="45-QĐ/UBND",
        decision_date=D(2024, 8, 1),
        decision_issuer="Ủy ban nhân dân tỉnh",
        since=D(2024, 9, 1),
        planned_return=D(2028, 8, 31),
        managing_body="Chi bộ lưu học sinh tại Tokyo, Đảng bộ ngoài nước",
    )
    values.update(changes)
    return actions.record_stay(office.officer, member or office.member, **values)


def foreign_stay(world: World, personas: Personas) -> Stay:
    person = Person.objects.create(family_name="Lê", given_name="ZZB Bảy", sex="M")
    member = Member.objects.create(person=person, organization=world.cell_b, status="official")
    return actions.record_stay(
        personas.officer_b,
        member,
        kind="work",
        country="ZZB nước",
        place="ZZB công ty",
        decision_number="ZZB-QĐ",
        decision_date=D(2025, 1, 2),
        decision_issuer="UBND",
        since=D(2025, 2, 1),
        planned_return=D(2026, 2, 1),
        managing_body="ZZB chi bộ",
    )


def test_a_stay_is_recorded_abroad_with_its_decision(office: Office) -> None:
    stay = record(office, country="  Nhật   Bản ")
    assert (stay.state, stay.country, stay.organization) == (
        StayState.ABROAD,
        "Nhật Bản",
        office.member.organization,
    )
    event = AuditEvent.objects.get(event_type=events.STAY_RECORDED.code)
    assert event.details == {"kind": "study", "country": "Nhật Bản"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"decision_number": " "}, "số quyết định"),
        ({"managing_body": ""}, "tổ chức đảng quản lý"),
        ({"since": D(2027, 1, 5)}, "đã xuất cảnh"),
        ({"planned_return": D(2024, 9, 1)}, "phải sau ngày đi"),
    ],
)
def test_what_a_stay_needs(office: Office, changes: dict[str, Any], message: str) -> None:
    with pytest.raises(actions.TravelError, match=message):
        record(office, **changes)
    assert not Stay.objects.exists()


def test_an_organization_of_the_tree_names_the_managing_body(office: Office, world: World) -> None:
    stay = record(office, managing_body="", managing_org=world.commune_a)
    assert (stay.managing_body, stay.managing_org) == (world.commune_a.name, world.commune_a)


def test_only_those_who_manage_travel_record(office: Office, personas: Personas) -> None:
    with pytest.raises(Denied):
        actions.record_stay(
            personas.officer_b,
            office.member,
            kind="work",
            country="Lào",
            place="x",
            decision_number="1",
            decision_date=D(2025, 1, 1),
            decision_issuer="y",
            since=D(2025, 2, 1),
            planned_return=D(2027, 2, 1),
            managing_body="z",
        )


def test_return_then_no_second_return(office: Office) -> None:
    stay = record(office)
    with pytest.raises(actions.TravelError, match="từ ngày đi đến hôm nay"):
        actions.record_return(office.officer, stay, on=D(2024, 8, 1))
    actions.record_return(office.officer, stay, on=D(2026, 11, 20), note="Bảo vệ luận án xong")
    stay.refresh_from_db()
    assert (stay.state, stay.returned_on, stay.return_note) == (
        StayState.RETURNED,
        D(2026, 11, 20),
        "Bảo vệ luận án xong",
    )
    with pytest.raises(actions.TravelError, match="Không thể thực hiện"):
        actions.record_return(office.officer, stay, on=D(2026, 11, 21))


def test_cancel_needs_a_reason_and_is_final(office: Office) -> None:
    stay = record(office)
    with pytest.raises(actions.TravelError, match="Ghi lý do"):
        actions.cancel_stay(office.officer, stay, reason=" ")
    actions.cancel_stay(office.officer, stay, reason="Ghi nhầm đảng viên")
    stay.refresh_from_db()
    assert (stay.state, stay.cancel_reason) == (StayState.CANCELLED, "Ghi nhầm đảng viên")
    with pytest.raises(actions.TravelError, match="đã huỷ"):
        actions.correct_stay(office.officer, stay, {"place": "x"}, reason="y")


def test_a_correction_keeps_the_old_and_new_values(office: Office) -> None:
    stay = record(office)
    actions.correct_stay(
        office.officer,
        stay,
        {"planned_return": D(2029, 8, 31), "place": "Đại học Tokyo", "country": "Nhật Bản"},
        reason="Quyết định gia hạn số 7-QĐ/UBND",
    )
    stay.refresh_from_db()
    assert stay.planned_return == D(2029, 8, 31)
    event = AuditEvent.objects.get(event_type=events.STAY_CORRECTED.code)
    assert event.reason == "Quyết định gia hạn số 7-QĐ/UBND"
    assert event.details == {
        "before": {"planned_return": "2028-08-31"},
        "after": {"planned_return": "2029-08-31"},
    }
    with pytest.raises(actions.TravelError, match="Không có gì khác"):
        actions.correct_stay(office.officer, stay, {"place": "Đại học Tokyo"}, reason="x")
    with pytest.raises(actions.TravelError, match="Ghi nhận đã về nước"):
        actions.correct_stay(office.officer, stay, {"returned_on": D(2026, 1, 1)}, reason="x")
    with pytest.raises(actions.TravelError, match="Không được đính chính"):
        actions.correct_stay(office.officer, stay, {"state": "returned"}, reason="x")
    with pytest.raises(actions.TravelError, match="phải sau ngày đi"):
        actions.correct_stay(office.officer, stay, {"planned_return": D(2024, 1, 1)}, reason="x")
    stay.refresh_from_db()
    assert stay.planned_return == D(2029, 8, 31)  # a refused correction changes nothing


def _list(client: Any, query: str = "") -> str:
    page: str = client.get(f"/travel/stays/{query}").content.decode()
    return page


def test_the_list_and_its_filters(office: Office, world: World) -> None:
    other = Member.objects.create(
        person=Person.objects.create(family_name="Phạm", given_name="Tám", sex="M"),
        organization=world.commune_a,
        status="official",
    )
    overdue = record(office, other, kind="work", country="Lào", planned_return=D(2026, 6, 30))
    studying = record(office)
    back = record(office, country="Hàn Quốc", place="Đại học Seoul")
    actions.record_return(office.officer, back, on=D(2026, 10, 1))
    mistake = record(office, country="Pháp", place="Paris")
    actions.cancel_stay(office.officer, mistake, reason="Ghi nhầm")
    client = client_for(office.officer)

    def shown(query: str) -> set[int]:
        page = _list(client, query)
        return {s.pk for s in (overdue, studying, back, mistake) if f"/stays/{s.pk}/" in page}

    assert shown("") == {overdue.pk, studying.pk, back.pk}  # not what was recorded by mistake
    assert shown("?state=abroad") == {overdue.pk, studying.pk}
    assert shown("?state=cancelled") == {mistake.pk}
    assert shown("?kind=work") == {overdue.pk}
    assert shown("?country=nhat+ban") == {studying.pk}  # typed without tone marks
    assert shown("?overdue=on") == {overdue.pk}
    assert shown(f"?org={world.cell_a.code}") == {studying.pk, back.pk}
    assert shown(f"?org={world.commune_a.code}") == {overdue.pk, studying.pk, back.pk}
    assert shown(f"?member={other.pk}") == {overdue.pk}
    assert shown("?org=ZZB") == set()  # a foreign code matches nothing
    assert "Quá hạn về nước (1)" in _list(client)
    banner = _list(client, f"?member={other.pk}")
    assert "Đảng viên: <a" in banner and "Phạm Tám" in banner
    assert f"/travel/stays/new/?member={other.pk}" in banner
    assert "/travel/stays/" in client.get("/travel/").content.decode()  # from the trips page


def test_the_excel_export_follows_the_filters(office: Office) -> None:
    record(office)
    record(office, kind="work", country="Lào", place="Công ty Việt – Lào")
    content = client_for(office.officer).get("/travel/stays/?kind=work&format=xlsx").content
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Đảng viên", "Tổ chức đảng quản lý hồ sơ", "Diện", "Nước")
    assert [r[3] for r in rows[1:]] == ["Lào"]
    assert rows[1][2] == "Công tác dài hạn"


def test_from_the_member_page_to_a_recorded_stay(office: Office) -> None:
    client = client_for(office.officer)
    page = client.get(f"/members/{office.member.pk}/").content.decode()
    assert f"/travel/stays/new/?member={office.member.pk}" in page
    assert f"/travel/stays/?member={office.member.pk}" in page
    response = client.post(
        f"/travel/stays/new/?member={office.member.pk}",
        {
            "kind": "work",
            "country": "Lào",
            "place": "Công ty TNHH Xây dựng Việt – Lào",
            "decision_number": "12-QĐ/SNV",
            "decision_date": "2025-03-01",
            "decision_issuer": "Sở Nội vụ tỉnh",
            "since": "2025-04-01",
            "planned_return": "2030-04-01",  # beyond a year ahead: long stays last years
            "managing_body": "Đảng bộ ngoài nước",
        },
        follow=True,
    )
    stay = Stay.objects.get()
    text = response.content.decode()
    assert "Đã ghi nhận đảng viên công tác, học tập dài hạn ở nước ngoài." in text
    assert "Ghi nhận đã về nước" in text and "Đính chính, gia hạn" in text
    response = client.post(
        f"/travel/stays/{stay.pk}/return/", {"on": "2026-11-30", "note": ""}, follow=True
    )
    assert "Đã ghi nhận việc về nước." in response.content.decode()
    stay.refresh_from_db()
    assert stay.returned_on == D(2026, 11, 30)


def test_a_refused_form_says_why(office: Office) -> None:
    response = client_for(office.officer).post(
        f"/travel/stays/new/?member={office.member.pk}",
        {
            "kind": "study",
            "country": "Úc",
            "place": "Đại học Sydney",
            "decision_number": "1-QĐ",
            "decision_date": "2025-01-01",
            "decision_issuer": "UBND tỉnh",
            "since": "2025-02-01",
            "planned_return": "2025-01-15",
            "managing_body": "Đảng bộ ngoài nước",
        },
    )
    assert "Ngày về dự kiến phải sau ngày đi." in response.content.decode()
    assert not Stay.objects.exists()


def test_the_correction_page(office: Office) -> None:
    stay = record(office)
    client = client_for(office.officer)
    form = client.get(f"/travel/stays/{stay.pk}/correct/").content.decode()
    assert "Đại học Tokyo" in form and 'name="returned_on"' not in form
    data = {
        "kind": "study",
        "country": "Nhật Bản",
        "place": "Đại học Kyoto",
        "decision_number": "45-QĐ/UBND",
        "decision_date": "2024-08-01",
        "decision_issuer": "Ủy ban nhân dân tỉnh",
        "since": "2024-09-01",
        "planned_return": "2028-08-31",
        "managing_body": stay.managing_body,
        "reason": "Chuyển trường theo Công văn 3/SGD",
    }
    response = client.post(f"/travel/stays/{stay.pk}/correct/", data, follow=True)
    assert "Đã ghi nhận đính chính." in response.content.decode()
    event = AuditEvent.objects.get(event_type=events.STAY_CORRECTED.code)
    assert event.details == {
        "before": {"place": "Đại học Tokyo"},
        "after": {"place": "Đại học Kyoto"},
    }


def test_a_leader_sees_but_does_not_change(office: Office, world: World) -> None:
    stay = record(office)
    leader = client_for(make_user("leader_a", world.commune_a, Role.LEADER))
    page = leader.get(f"/travel/stays/{stay.pk}/").content.decode()
    assert "Đại học Tokyo" in page and "Ghi nhận đã về nước" not in page
    assert leader.get(f"/travel/stays/{stay.pk}/correct/").status_code == 403
    leader.post(f"/travel/stays/{stay.pk}/cancel/", {"reason": "x"})
    assert _post(leader, f"{API}{stay.pk}/cancel/", {"reason": "x"}).status_code == 403
    stay.refresh_from_db()
    assert stay.state == StayState.ABROAD


def test_an_auditor_sees_no_stay(office: Office, personas: Personas) -> None:
    stay = record(office)
    assert client_for(personas.auditor_a).get(f"/travel/stays/{stay.pk}/").status_code == 404


def test_foreign_stays_are_never_visible(office: Office, world: World, personas: Personas) -> None:
    stay = foreign_stay(world, personas)
    client = client_for(office.officer)
    for url in (
        f"/travel/stays/{stay.pk}/",
        f"/travel/stays/{stay.pk}/correct/",
        f"{API}{stay.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (f"/travel/stays/{stay.pk}/return/", f"/travel/stays/{stay.pk}/cancel/"):
        assert client.post(url, {"on": "2026-11-30", "reason": "x"}).status_code == 404
    assert client.post(f"{API}{stay.pk}/cancel/", {"reason": "x"}).status_code == 404
    assert "ZZB" not in _list(client) and "ZZB" not in _list(client, "?state=cancelled")
    assert "ZZB" not in client.get(API).content.decode()
    assert client.get(f"/travel/stays/new/?member={stay.member.pk}").status_code == 404
    stay.refresh_from_db()
    assert stay.state == StayState.ABROAD


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_api(office: Office, world: World, personas: Personas) -> None:
    client = client_for(office.officer)
    body = {
        "member": office.member.pk,
        "kind": "study",
        "country": "Đức",
        "place": "Đại học Kỹ thuật Munich",
        "decision_number": "9-QĐ/UBND",
        "decision_date": "2025-08-01",
        "decision_issuer": "UBND tỉnh",
        "since": "2025-09-15",
        "planned_return": "2029-09-15",
        "managing_org": world.commune_a.pk,
    }
    created = _post(client, API, body)
    assert created.status_code == 201, created.content
    stay = created.json()
    assert (stay["state"], stay["managing_body"]) == ("abroad", world.commune_a.name)
    refused = _post(client, API, {**body, "planned_return": "2025-01-01"})
    assert refused.status_code == 400 and "phải sau ngày đi" in refused.json()["detail"]
    foreign = _post(client, API, {**body, "member": foreign_stay(world, personas).member.pk})
    assert foreign.status_code == 400
    assert [s["id"] for s in client.get(API + "?country=duc").json()["results"]] == [stay["id"]]
    assert client.get(API + "?state=nowhere").status_code == 400
    returned = _post(client, f"{API}{stay['id']}/return/", {"on": "2026-11-30"})
    assert returned.status_code == 200 and returned.json()["returned_on"] == "2026-11-30"
    again = _post(client, f"{API}{stay['id']}/return/", {"on": "2026-11-30"})
    assert again.status_code == 400
    cancelled = _post(client, f"{API}{stay['id']}/cancel/", {"reason": "Ghi nhầm"})
    assert cancelled.json()["state"] == "cancelled"
    assert client.get(API).json()["results"] == []  # cancelled ones only when asked for
    detail = client.get(f"{API}{stay['id']}/").json()
    assert detail["cancel_reason"] == "Ghi nhầm"


def test_a_corrected_managing_node_names_the_body_when_the_text_is_cleared(
    office: Office, world: World
) -> None:
    stay = record(office)
    actions.correct_stay(
        office.officer,
        stay,
        {"managing_body": "", "managing_org": world.commune_a},
        reason="Chuyển về Đảng ủy xã quản lý",
    )
    stay.refresh_from_db()
    assert (stay.managing_body, stay.managing_org) == (world.commune_a.name, world.commune_a)
