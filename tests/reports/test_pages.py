"""The report pages and API: scope (forbidden = missing), drill-down links, bad parameters."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from hoso.audit.models import AuditEvent
from tests.conftest import Personas, World, client_for, xlsx_cells
from tests.vetting.office import Office, office, open_case

__all__ = ["office"]  # the fixture, imported for pytest

D = dt.date


def test_the_report_page_links_each_figure_to_its_records(
    world: World, personas: Personas, office: Office
) -> None:
    open_case(office, world, received_on=D(2026, 2, 3), request_date=D(2026, 2, 1))
    client = client_for(office.head)
    page = client.get(reverse("report-home"), {"org": world.commune_a.pk, "period": "2026-q1"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Báo cáo kết quả công tác bảo vệ chính trị nội bộ" in text
    records = reverse("report-records", args=["cases.received"])
    assert f'href="{records}?org={world.commune_a.pk}&period=2026-q1">1</a>' in text
    drilled = client.get(records, {"org": world.commune_a.pk, "period": "2026-q1"})
    assert "1 hồ sơ tạo nên số liệu này." in drilled.content.decode()
    assert office.member.person.full_name in drilled.content.decode()


def test_an_organization_outside_the_scope_answers_as_missing(
    world: World, personas: Personas, office: Office
) -> None:
    client = client_for(office.officer)
    for name, args in (("report-home", []), ("report-indicator", ["cases.received"])):
        url = reverse(name, args=args)
        assert client.get(url, {"org": world.commune_b.pk}).status_code == 404
        assert client.get(url, {"org": world.province.pk}).status_code == 404  # above the grant
        assert client.get(url, {"org": 999999}).status_code == 404
    assert client.get(reverse("api-reports"), {"org": world.commune_b.pk}).status_code == 404
    assert client.get(reverse("report-indicator", args=["no.such"])).status_code == 404


def test_a_sensitive_figure_is_missing_for_a_clerk(world: World, personas: Personas) -> None:
    client = client_for(personas.clerk_a)
    assert client.get(reverse("report-indicator", args=["members.sex"])).status_code == 404
    assert client.get(reverse("report-indicator", args=["members.status"])).status_code == 200
    home = client.get(reverse("report-home")).content.decode()
    assert "Đảng viên theo giới tính" not in home and "Hồ sơ đảng viên theo tình trạng" in home
    assert client_for(personas.nobody).get(reverse("report-home")).status_code == 404


def test_a_bad_period_or_category_says_what_is_expected(
    world: World, personas: Personas, office: Office
) -> None:
    client = client_for(office.officer)
    bad = client.get(reverse("report-home"), {"period": "2026-q5"})
    assert bad.status_code == 400
    assert "phải là một kỳ" in bad.content.decode()
    url = reverse("report-records", args=["cases.received.committee"])
    assert client.get(url, {"value": "abc"}).status_code == 400


def test_the_api_gives_the_figure_with_its_parts(
    world: World, personas: Personas, office: Office
) -> None:
    open_case(office, world, received_on=D(2026, 2, 3), request_date=D(2026, 2, 1))
    client = client_for(office.officer)
    answer = client.get(
        reverse("api-reports"),
        {"org": world.commune_a.pk, "period": "2026-q1", "indicator": "cases.received", "parts": 1},
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["period"] == {
        "key": "2026-q1",
        "title": "quý I năm 2026",
        "start": "2026-01-01",
        "end": "2026-03-31",
    }
    (figure,) = body["figures"]
    assert figure["total"] == 1 and figure["additive"] is True
    assert figure["categories"][0]["n"] == 1
    here = [p for p in figure["parts"] if p["org"] is None]
    assert here == [{"org": None, "name": world.commune_a.name, "n": 1, "by": {"T_BO_NHIEM": 1}}]


def test_the_records_behind_a_figure_are_exported_only_with_a_reason(
    world: World, personas: Personas, office: Office
) -> None:
    open_case(office, world, received_on=D(2026, 2, 3), request_date=D(2026, 2, 1))
    client = client_for(office.head)
    url = reverse("report-records-export", args=["cases.received"])
    where = f"?org={world.commune_a.pk}&period=2026-q1"
    refused = client.post(url + where, {"reason": "x"})
    assert refused.status_code == 302
    assert not AuditEvent.objects.filter(event_type="report.records_exported").exists()
    answer = client.post(url + where, {"reason": "Kiểm tra số liệu báo cáo quý"})
    rows = xlsx_cells(answer.content)
    assert rows[1][1].value == office.member.person.full_name and len(rows) == 2
    event = AuditEvent.objects.get(event_type="report.records_exported")
    assert event.reason == "Kiểm tra số liệu báo cáo quý" and event.details["count"] == 1


def test_the_breakdown_page_draws_bars_by_organization_and_lines_by_quarter(
    world: World, personas: Personas, office: Office
) -> None:
    open_case(office, world, received_on=D(2026, 2, 3), request_date=D(2026, 2, 1))
    page = client_for(office.officer).get(
        reverse("report-indicator", args=["cases.received"]),
        {"org": world.commune_a.pk, "period": "2026-q1"},
    )
    text = page.content.decode()
    assert text.count("<svg") == 2 and "Hồ sơ tiếp nhận theo quý" in text
    assert "Q1/2026" in text and "Q4/2025" in text and "Q4/2024" in text
    trend = AuditEvent.objects.filter(event_type="report.viewed").latest("id")
    assert trend.details["periods"] == [
        "2024-q4", "2025-q1", "2025-q2", "2025-q3", "2025-q4", "2026-q1"
    ]  # fmt: skip
