"""Real Chromium (Debian's /usr/bin/chromium) through Playwright, against a live server."""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from tests.browser.conftest import sign_in as _sign_in
from tests.conftest import Personas, World, require_env

pytestmark = pytest.mark.browser


def test_tree_shows_only_the_personas_scope(
    transactional_db: Any, live_server: Any, browser: Any, world: World, personas: Personas
) -> None:
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    external: list[str] = []
    page.on(
        "request",
        lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None,
    )

    _sign_in(page, live_server.url, "clerk_a")
    assert page.get_attribute("html", "lang") == "vi"
    page.click("nav.main >> text=Tổ chức đảng")
    tree = page.locator("[data-testid=org-tree]")
    assert tree.get_by_text("Đảng ủy xã An Bình").is_visible()
    # Units load on demand through htmx, served by the app itself under a strict CSP.
    tree.locator("button.toggle").first.click()
    tree.get_by_text("Chi bộ thôn Đông").wait_for()
    content = page.content()
    assert "ZZB" not in content and "Tỉnh ủy Thử Nghiệm" not in content
    assert page.locator("[data-testid=scope]").inner_text().count("Đảng ủy xã An Bình") == 1
    assert not problems, problems
    assert not external, external
    # A node outside the scope, opened by its address, answers like a missing page.
    response = page.goto(f"{live_server.url}/orgs/{world.commune_b.pk}/")
    assert response is not None and response.status == 404
    page.close()


def test_switch_to_english(
    transactional_db: Any, live_server: Any, browser: Any, world: World, personas: Personas
) -> None:
    page = browser.new_page()
    _sign_in(page, live_server.url, "head_p")
    page.click("form.lang button")
    page.wait_for_selector("nav.main >> text=Organizations")
    assert page.get_attribute("html", "lang") == "en"
    page.close()


def test_member_search_as_you_type(
    transactional_db: Any, live_server: Any, browser: Any, world: World, personas: Personas
) -> None:
    from hoso.people.models import Member, Person

    for family, middle, given in [
        ("Nguyễn", "Văn", "An"),
        ("Trần", "Thị", "Hòa"),
        ("Lê", "Văn", "Anh"),
    ]:
        person = Person.objects.create(
            family_name=family, middle_name=middle, given_name=given, sex="M"
        )
        Member.objects.create(person=person, organization=world.cell_a, status="official")
    page = browser.new_page()
    _sign_in(page, live_server.url, "clerk_a")
    page.goto(f"{live_server.url}/members/")
    rows = page.locator("#member-rows tr")
    assert rows.count() == 3
    page.fill("input[name=q]", "hoa")  # no tone mark, old or new placement alike
    from playwright.sync_api import expect  # polls without evaluating strings (CSP forbids it)

    expect(rows).to_have_count(1)
    assert rows.first.inner_text().startswith("TRẦN THỊ HÒA")
    page.close()


def test_register_prints_to_pdf_in_the_official_layout(
    transactional_db: Any,
    live_server: Any,
    browser: Any,
    world: World,
    personas: Personas,
    tmp_path: Any,
) -> None:
    import subprocess

    from hoso.people.models import Member, Person

    pdftotext = shutil.which("pdftotext")
    if not pdftotext:
        if require_env("HOSO_REQUIRE_BROWSER"):
            pytest.fail("pdftotext is missing (apt-get install poppler-utils)")
        pytest.skip("pdftotext is not installed: the printed text cannot be checked")
    person = Person.objects.create(
        family_name="Nguyễn",
        middle_name="Thị",
        given_name="Ánh",
        sex="F",
        ethnicity="Kinh",
        home_town="xã Hòa Bình",
    )
    Member.objects.create(person=person, organization=world.cell_a, status="official")
    page = browser.new_page()
    _sign_in(page, live_server.url, "clerk_a")
    page.goto(f"{live_server.url}/members/registers/members/")
    pdf = tmp_path / "register.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    raw = subprocess.run(
        [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(raw.split())  # narrow register cells wrap their words
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "SỔ DANH SÁCH ĐẢNG VIÊN" in text
    assert "NGUYỄN THỊ ÁNH" in text and "xã Hòa Bình" in text
    assert "Đăng xuất" not in text  # the navigation is not printed
    # One landscape A4 page: the heading and the table print together.
    info = subprocess.run(
        [shutil.which("pdfinfo") or "pdfinfo", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert "Pages:           1" in info and "841.92 x 594.96" in info, info
    page.close()
