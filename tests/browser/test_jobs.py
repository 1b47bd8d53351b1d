"""A background job in the real browser: started from the member export, its page updates
itself through htmx polling (strict CSP, no inline script) once the worker has run it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from hoso.jobs import queue
from hoso.people.models import Member, Person
from tests.browser.conftest import sign_in
from tests.conftest import Personas, World

pytestmark = pytest.mark.browser


def test_a_long_export_is_followed_on_its_page_and_downloaded(
    transactional_db: Any,
    live_server: Any,
    browser: Any,
    world: World,
    personas: Personas,
    settings: Any,
) -> None:
    settings.EXPORT_BACKGROUND_ROWS = 1
    for given in ("An", "Bình"):
        person = Person.objects.create(family_name="Lê", given_name=given, sex="M")
        Member.objects.create(person=person, organization=world.cell_a, status="official")
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server.url, "clerk_a")
    page.goto(f"{live_server.url}/members/")
    page.click("text=Xuất (Excel)")
    page.get_by_role("button", name="Chuẩn bị tệp trong nền").click()
    progress = page.get_by_test_id("job-progress")
    expect(progress).to_contain_text("đang chờ")
    assert queue.run_ready("browser-test") == 1  # the worker, meanwhile
    expect(progress).to_contain_text("Tải về", timeout=10_000)  # no reload: htmx asked again
    with page.expect_download() as download:
        progress.get_by_role("link").click()
    assert download.value.suggested_filename.startswith("dang-vien-")
    page.click("text=Công việc nền")
    expect(page.locator("#job-rows")).to_contain_text("Danh sách đảng viên (Excel)")
    assert not problems, problems
