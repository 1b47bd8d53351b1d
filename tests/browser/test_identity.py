"""Identity in the real browser: a relative proposed as a person, linked with a reason (the
browser itself asks for the reason), then shown on the person's page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from hoso.people.models import Member, Person, Relationship, Relative
from tests.browser.conftest import sign_in
from tests.conftest import World
from tests.vetting.office import D, Office

pytestmark = pytest.mark.browser


def test_an_officer_links_a_declared_spouse_to_her_record(
    transactional_db: Any, live_server: Any, browser: Any, world: World, office: Office
) -> None:
    wife = office.member.person
    wife.residence = "Xã Tân Lập, huyện Đan Phượng, Hà Nội"
    wife.save()
    husband = Person.objects.create(
        family_name="Nguyễn", middle_name="Văn", given_name="Hùng", sex="M",
        birth_date=D(1983, 5, 9), residence="Tân Lập, Đan Phượng, Hà Nội",
    )  # fmt: skip
    Member.objects.create(person=husband, organization=world.cell_a, status="candidate")
    spouse = Relative.objects.create(
        person=husband, relationship=Relationship.objects.get_or_create(code="vo")[0],
        full_name="Trần Thị Hoà", birth_year=1985, residence=wife.residence,
        recorded_by=office.officer,
    )  # fmt: skip
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/members/{husband.member.pk}/resume/")
    page.get_by_role("link", name="đối chiếu").click()
    row = page.locator("tr", has_text="TRẦN THỊ HOÀ")
    expect(row).to_contain_text("tên, năm sinh và nơi ở")
    row.get_by_role("button", name="Liên kết").click()  # no reason: the browser refuses
    spouse.refresh_from_db()
    assert spouse.identity_id is None
    row.get_by_placeholder("Lý do").fill("Cùng hộ khẩu, đã đối chiếu")
    row.get_by_role("button", name="Liên kết").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã liên kết")
    page.get_by_role("link", name="TRẦN THỊ HOÀ").click()
    declared = page.locator("table", has_text="Người khai")
    expect(declared).to_contain_text("NGUYỄN VĂN HÙNG")
    expect(page.locator("body")).to_contain_text("Cùng hộ khẩu, đã đối chiếu")
    assert not problems, problems
