"""The home page in real Chromium: a head's panels and chart under the strict CSP (no console
error, nothing fetched from elsewhere), and a count followed to its list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.conftest import sign_in
from tests.conftest import Personas, World
from tests.vetting.office import Office, open_case

pytestmark = pytest.mark.browser


def test_a_heads_home_page_and_a_count_followed(
    transactional_db: Any,
    live_server: Any,
    browser: Any,
    world: World,
    personas: Personas,
    office: Office,
) -> None:
    today = timezone.localdate()
    late = open_case(office, world, received_on=today - dt.timedelta(days=1))
    late.due_on = today - dt.timedelta(days=1)
    late.save(update_fields=["due_on"])
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda r: elsewhere.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    sign_in(page, live_server.url, "head_p")
    assert page.locator("[data-panel=figures] svg.chart").is_visible()
    overdue = page.locator("[data-panel=cases] a", has_text="Quá hạn")
    assert overdue.get_attribute("data-count") == "1"
    overdue.click()
    page.wait_for_url("**/cases/?queue=overdue")
    assert page.locator(f"a[href='/cases/{late.pk}/']").count() == 1
    assert not problems, problems
    assert not elsewhere, elsewhere
