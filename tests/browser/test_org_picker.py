"""The organization picker in real Chromium: type a folded name, choose with the keyboard,
submit the form (the matters log's form, whose organization is a picker)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import sign_in
from tests.conftest import FOREIGN_MARKER, Personas, World

pytestmark = pytest.mark.browser


def test_pick_an_organization_with_the_keyboard(
    transactional_db: Any, live_server: Any, browser: Any, world: World, personas: Personas
) -> None:
    from playwright.sync_api import expect  # polls without evaluating strings (CSP forbids it)

    from hoso.people.models import MatterEntry

    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    sign_in(page, live_server.url, "clerk_a")
    page.goto(f"{live_server.url}/members/matters/")

    box = page.get_by_role("combobox", name="Tổ chức đảng")
    results = page.get_by_role("listbox", name="Các tổ chức phù hợp")
    box.fill("zzb")  # the other commune is not in the clerk's scope: nothing to choose
    expect(results).to_contain_text("Không có tổ chức phù hợp")
    expect(results.get_by_role("option")).to_have_count(0)

    box.fill("")
    box.press_sequentially("thon dong")  # no tone marks: "Chi bộ thôn Đông"
    option = results.get_by_role("option", name="Chi bộ thôn Đông")
    expect(option).to_have_count(1)
    expect(option).to_contain_text("Đảng ủy xã An Bình")  # its path
    box.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id") or "-")
    box.press("Enter")  # chooses, does not submit
    expect(results).to_be_hidden()
    expect(box).to_have_value("Chi bộ thôn Đông (CBA1)")
    hidden = page.locator("input[type=hidden][name=organization]")
    expect(hidden).to_have_value(str(world.cell_a.pk))
    expect(hidden).to_be_enabled()
    assert MatterEntry.objects.count() == 0

    page.get_by_label("Người được ghi nhận").fill("Nguyễn Văn A")
    page.get_by_label("Ngày:", exact=True).fill("2026-03-02")
    page.get_by_label("Nội dung:", exact=True).fill("Phản ánh")
    page.get_by_label("Tài liệu nguồn").fill("CV 12")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã thêm vào sổ ghi chép CTNB.").wait_for()  # the flash after the redirect
    entry = MatterEntry.objects.get()
    assert entry.organization == world.cell_a
    assert FOREIGN_MARKER not in page.content()
    assert not problems, problems
    page.close()


def test_typing_without_picking_still_resolves(
    transactional_db: Any, live_server: Any, browser: Any, world: World, personas: Personas
) -> None:
    """A name typed in full and submitted without choosing (as without JavaScript): the
    server resolves it in the user's scope."""
    from hoso.people.models import MatterEntry

    page = browser.new_page()
    sign_in(page, live_server.url, "clerk_a")
    page.goto(f"{live_server.url}/members/matters/")
    from playwright.sync_api import expect

    box = page.get_by_role("combobox", name="Tổ chức đảng")
    box.fill("dang uy xa an binh")
    box.press("Escape")  # closes the list (even one still on its way), keeps the text
    page.wait_for_timeout(600)  # the search's delay and answer
    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(box).to_have_value("dang uy xa an binh")
    page.get_by_label("Người được ghi nhận").fill("Trần Thị B")
    page.get_by_label("Ngày:", exact=True).fill("2026-03-03")
    page.get_by_label("Nội dung:", exact=True).fill("Phản ánh")
    page.get_by_label("Tài liệu nguồn").fill("CV 13")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã thêm vào sổ ghi chép CTNB.").wait_for()  # the flash after the redirect
    assert MatterEntry.objects.get().organization == world.commune_a
    page.close()
