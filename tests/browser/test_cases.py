"""A vetting case in the real browser: the queue, a move, the refusal, the notification."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from hoso.notices.due import run_once
from tests.browser.conftest import sign_in
from tests.conftest import Personas, World
from tests.vetting.office import D, Office, open_case

pytestmark = pytest.mark.browser


def test_an_officer_moves_a_case_and_is_notified(
    transactional_db: Any, live_server: Any, browser: Any, world: World, office: Office
) -> None:
    case = open_case(office, world)  # due 15/4/2026: long overdue today
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server.url, "officer_a")
    page.click("nav.main >> text=Hồ sơ thẩm tra")
    page.click(f"a[href='/cases/{case.pk}/']")
    expect(page.get_by_test_id("state")).to_have_text("Đã tiếp nhận")
    moves = page.get_by_test_id("moves")
    expect(moves.locator("button")).to_have_text(["Bắt đầu nghiên cứu ban đầu"])
    moves.get_by_role("button", name="Bắt đầu nghiên cứu ban đầu").click()
    expect(page.get_by_test_id("state")).to_have_text("Nghiên cứu ban đầu")
    expect(page.locator(".flash.success")).to_have_text(
        f"Hồ sơ {case.pk} nay ở bước “Nghiên cứu ban đầu”."
    )
    # Request more documents without a reason: the browser itself asks for it.
    moves = page.get_by_test_id("moves")
    moves.get_by_placeholder("Lý do").fill("Thiếu nhận xét chi bộ")
    moves.get_by_role("button", name="Đề nghị bổ sung tài liệu").click()
    expect(page.get_by_test_id("state")).to_have_text("Đề nghị bổ sung tài liệu")
    # The worker's overdue notice appears in the officer's notifications.
    run_once(D(2026, 11, 23))
    page.reload()
    expect(page.get_by_test_id("notices")).to_contain_text("1")
    page.get_by_test_id("notices").click()
    expect(page.locator("ul.notices")).to_contain_text(f"Hồ sơ {case.pk} đã quá hạn")
    assert not problems, problems


def test_a_head_reveals_the_petitioner_in_place(
    transactional_db: Any,
    live_server: Any,
    browser: Any,
    world: World,
    office: Office,
    personas: Personas,
) -> None:
    """The sealed identity is swapped into the page by htmx under the strict CSP, once asked."""
    from hoso.audit.models import AuditEvent
    from hoso.petitions import actions
    from hoso.petitions.models import PetitionRule

    # Seeded rows are gone after an earlier transactional test's flush: make sure of ours.
    PetitionRule.objects.get_or_create(kind="classify", defaults={"days": 10, "unit": "working"})
    petition = actions.receive(
        office.clerk,
        world.commune_a,
        received_on=D(2026, 3, 2),
        channel="post",
        summary="Tố cáo",
        subjects=[("Trần Thị Hoà", "", None)],
        petitioner_name="Phạm Văn Tố",
    )
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server.url, "head_p")  # a province head: sees the commune's petitions
    page.goto(f"{live_server.url}/petitions/{petition.pk}/")
    assert "Phạm Văn Tố" not in page.content()
    reveal = page.get_by_role("button", name="Xem (được ghi vào nhật ký)")
    reveal.click()  # no reason typed: the browser itself asks for one, nothing is sent
    assert "Phạm Văn Tố" not in page.content()
    assert not AuditEvent.objects.filter(event_type="petition.petitioner_revealed").exists()
    reason = page.locator("#identity + form").get_by_placeholder("Lý do xem")
    reason.fill("Trả lời người gửi đơn")
    reveal.click()
    expect(page.get_by_test_id("petitioner")).to_have_text("Phạm Văn Tố")
    assert page.url.endswith(f"/petitions/{petition.pk}/")  # swapped in place, no navigation
    event = AuditEvent.objects.get(event_type="petition.petitioner_revealed")
    assert event.reason == "Trả lời người gửi đơn"
    assert not problems, problems
