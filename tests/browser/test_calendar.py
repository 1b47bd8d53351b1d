"""The calendar page and a year's import in real Chromium, at 1366×768: the warning of a year
not entered, every error of a bad file listed, a good file imported. Set HOSO_SCREENSHOTS to a
folder to keep the screenshots."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.conftest import sign_in
from tests.conftest import World, make_user

pytestmark = pytest.mark.browser

BAD = "".join(
    [
        "Ngày,Loại,Tên\n",
        "01/01/2028,nghỉ lễ,Tết Dương lịch\n",
        "31/02/2028,nghỉ lễ,X\n",
        "02/09/2029,nghỉ lễ,Quốc khánh\n",
        "01/01/2028,nghỉ lễ,Tết\n",
        "30/04/2028,nghỉ phép,Giải phóng\n",
    ]
)
GOOD = "".join(
    [
        "Ngày,Loại,Tên\n",
        "01/01/2028,nghỉ lễ,Tết Dương lịch\n",
        "24/01/2028,nghỉ lễ,Tết Nguyên đán Mậu Thân\n",
        "05/02/2028,làm bù,Làm bù\n",
    ]
)


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("HOSO_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_calendar_warning_and_import(
    reseeded: None,
    live_server: Any,
    browser: Any,
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2027, 11, 20))
    make_user("admin_tw", world.root, "admin")
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    sign_in(page, live_server.url, "admin_tw")
    page.goto(f"{live_server.url}/calendar/?year=2027")
    assert "2028" in page.locator("[data-testid=coverage-gap]").inner_text()
    _shot(page, "calendar-2027")
    page.click("[data-testid=coverage-gap] a")
    page.wait_for_url(f"{live_server.url}/calendar/import/")
    bad = tmp_path / "2028.csv"
    bad.write_text(BAD, encoding="utf-8")
    page.set_input_files("input[name=file]", str(bad))
    page.click("form.stack button")
    page.wait_for_selector("[data-testid=import-errors]")
    assert page.locator("table tbody tr").count() == 4
    _shot(page, "calendar-import-errors")
    good = tmp_path / "2028-good.csv"
    good.write_text(GOOD, encoding="utf-8")
    page.set_input_files("input[name=file]", str(good))
    page.click("form.stack button")
    page.wait_for_url(f"{live_server.url}/calendar/?year=2028")
    assert "Tết Nguyên đán Mậu Thân" in page.content()
    assert page.locator("[data-testid=coverage-gap]").count() == 0
    _shot(page, "calendar-2028-imported")
    page.close()
