"""Editing report forms: national administrators only (others: 404), rows checked against
the indicator registry, every change audited, the report's tables following the layout and a
submitted snapshot keeping its own."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from hoso.audit.models import AuditEvent
from hoso.lib.periods import parse
from hoso.reports import tables
from hoso.reports.models import FormRow, FormSection, ReportForm
from tests.conftest import Personas, World, client_for


@pytest.fixture
def form() -> ReportForm:
    return ReportForm.objects.get(code="BVCTNB")


def layout(form: ReportForm) -> str:
    return reverse("report-layout", args=[form.code])


def test_only_national_administrators_open_the_forms(personas: Personas, form: ReportForm) -> None:
    for user in (personas.admin_a, personas.head_p, personas.officer_a):
        client = client_for(user)
        assert client.get(reverse("report-forms")).status_code == 404
        assert client.get(layout(form)).status_code == 404
    page = client_for(personas.admin_root).get(layout(form))
    assert page.status_code == 200
    assert "trips.approved" in page.content.decode()


def _post_row(client: Any, form: ReportForm, section: FormSection, **values: Any) -> Any:
    data = {
        "part": "row",
        "section": section.pk,
        "order": 90,
        "label": "Theo nước đến",
        "indicator": "trips.approved_by_country",
        "value": "",
        "indent": 0,
        **values,
    }
    return client.post(f"{layout(form)}?section={section.pk}", data)


def test_a_row_added_fills_the_table_and_is_audited(
    personas: Personas, world: World, form: ReportForm
) -> None:
    client = client_for(personas.admin_root)
    section = form.sections.filter(rows__indicator__startswith="trips.").distinct().get()
    answer = _post_row(client, form, section)
    assert answer.status_code == 302
    row = FormRow.objects.get(section=section, order=90)
    assert row.indicator == "trips.approved_by_country"
    event = AuditEvent.objects.filter(event_type="config.catalogue_changed").latest("pk")
    assert event.details["catalogue"] == "report-rows" and event.details["id"] == row.pk
    filled = tables.fill(personas.head_p, form, world.province, parse("2026-q2"))
    labels = [r.label for s in filled if s.order == section.order for r in s.rows]
    assert "Theo nước đến" in labels


def test_a_row_must_name_a_registered_indicator_and_a_known_category(
    personas: Personas, form: ReportForm
) -> None:
    client = client_for(personas.admin_root)
    section = form.sections.order_by("order")[0]
    before = FormRow.objects.count()
    page = _post_row(client, form, section, indicator="cases.invented")
    assert (
        page.status_code == 200
        and "cases.invented không phải là một trong các lựa chọn" in page.content.decode()
    )
    page = _post_row(client, form, section, indicator="trips.approved", value="holiday")
    assert "Không phải là một loại của chỉ tiêu này" in page.content.decode()
    page = _post_row(client, form, section, indicator="petitions.forwarded", value="x")
    assert "Chỉ tiêu này không chia theo loại" in page.content.decode()
    taken = section.rows.order_by("order")[0].order
    page = _post_row(client, form, section, order=taken)
    assert "Một dòng khác của mục này đã có số thứ tự này" in page.content.decode()
    assert FormRow.objects.count() == before


def test_sections_and_rows_are_taken_out_one_by_one(personas: Personas, form: ReportForm) -> None:
    client = client_for(personas.admin_root)
    section = form.sections.exclude(rows=None).order_by("order")[0]
    url = reverse("report-layout-delete", args=[form.code, "section", section.pk])
    answer = client.post(url, follow=True)
    assert "Hãy bỏ các dòng của mục trước" in answer.content.decode()
    assert FormSection.objects.filter(pk=section.pk).exists()
    for row in list(section.rows.all()):
        client.post(reverse("report-layout-delete", args=[form.code, "row", row.pk]))
    client.post(url)
    assert not FormSection.objects.filter(pk=section.pk).exists()
    deleted = AuditEvent.objects.filter(event_type="config.catalogue_changed")
    assert deleted.filter(details__catalogue="report-sections").count() == 1


def test_a_section_keeps_its_number_and_a_form_its_code(
    personas: Personas, form: ReportForm
) -> None:
    """A draft's narrative is kept by section number, a snapshot names its form by code."""
    client = client_for(personas.admin_root)
    section = form.sections.order_by("order")[0]
    data = {"part": "section", "order": 77, "heading": "Đổi tên", "guidance": ""}
    client.post(f"{layout(form)}?edit={section.pk}", data)
    section.refresh_from_db()
    assert section.order != 77 and section.heading == "Đổi tên"
    settings = {"part": "settings", "code": "KHAC", "title": form.title, "summary": form.summary,
                "cutoff_day": 31, "due_days": 5, "recipients": "", "active": "on"}  # fmt: skip
    page = client.post(layout(form), settings)
    assert "nhỏ hơn hoặc bằng với 28" in page.content.decode()
    settings["cutoff_day"] = 20
    client.post(layout(form), settings)
    form.refresh_from_db()
    assert (form.code, form.cutoff_day) == ("BVCTNB", 20)


def test_a_row_is_edited_by_its_own_link(personas: Personas, form: ReportForm) -> None:
    """?row= names a row, ?edit= a section: a row whose id is also a section's edits the row."""
    client = client_for(personas.admin_root)
    section = form.sections.order_by("order")[0]
    row = FormRow.objects.get(pk=section.rows.order_by("order")[0].pk)
    page = client.get(f"{layout(form)}?row={row.pk}").content.decode()
    assert f'value="{row.label}"' in page and "Sửa dòng" in page
    assert "Thêm mục" in page  # the section form stays a new one
    data = {"part": "row", "section": section.pk, "order": row.order, "label": "Đổi nhãn",
            "indicator": row.indicator, "value": row.value, "indent": row.indent}  # fmt: skip
    before = FormRow.objects.count()
    client.post(f"{layout(form)}?row={row.pk}", data)
    row.refresh_from_db()
    assert row.label == "Đổi nhãn" and FormRow.objects.count() == before  # changed, not added
