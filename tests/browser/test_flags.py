"""The insider flags pages in real Chromium, in Vietnamese: an auditor follows a flag raised by
a scripted bulk read from the list to its events (no console error under the strict CSP).
With HOSO_SCREENSHOTS=<dir>, both pages are saved there at 1366×768 to be looked at."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from hoso.trail.models import Flag
from tests.browser.conftest import sign_in
from tests.conftest import Personas, World
from tests.trail.test_flags import _members, _open_dossiers

pytestmark = pytest.mark.browser


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("HOSO_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=False)


def test_an_auditor_follows_a_flag_to_its_events(
    transactional_db: Any, live_server: Any, browser: Any, world: World, personas: Personas
) -> None:
    _open_dossiers(personas.officer_a, _members(world, 57))
    call_command("audit", "flags", stdout=io.StringIO())
    flag = Flag.objects.get()
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server.url, "auditor_p")
    page.goto(f"{live_server.url}/audit/flags/")
    assert page.locator("h1").inner_text() == "Cờ cảnh báo nội bộ"
    assert "đã mở hồ sơ 57 lần" in page.locator("table").inner_text()
    _shot(page, "flags-list.png")
    page.click(f"a[href='/audit/flags/{flag.pk}/'] >> nth=1")
    page.wait_for_url(f"**/audit/flags/{flag.pk}/")
    assert page.locator("tbody tr").count() == 57
    _shot(page, "flag-detail.png")
    assert not problems, problems
