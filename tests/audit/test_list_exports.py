"""Every list page's Excel download writes one `list.exported` read: which list, its filters,
how many rows left (issue 14: a list export of casework wrote nothing before). Route by
route, as the head of the province who sees every one of them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hoso.audit.models import AuditEvent
from tests.conftest import Personas, World, client_for, xlsx_cells
from tests.vetting.office import Office, office, open_case

__all__ = ["office"]  # the fixture, imported for pytest

EXPORTS = {
    "case-list": "ho-so-tham-tra",
    "request-list": "phieu-xac-minh",
    "help-list": "xac-minh-giup",
    "petition-list": "don-thu",
    "trip-list": "ra-nuoc-ngoai",
    "relation-list": "quan-he-nuoc-ngoai",
    "stay-list": "dai-han-nuoc-ngoai",
    "documents-outgoing": "so-van-ban-di",
    "documents-incoming": "so-van-ban-den",
}


@pytest.mark.parametrize("route", EXPORTS)
def test_each_list_export_is_an_audited_read(route: str, world: World, personas: Personas) -> None:
    head = personas.head_p
    before = AuditEvent.objects.filter(event_type="list.exported").count()
    response = client_for(head).get(reverse(route), {"format": "xlsx", "show": "all"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    header, *rows = xlsx_cells(response.content)
    assert header[0].value  # a real sheet, its header first
    (event,) = AuditEvent.objects.filter(event_type="list.exported").order_by("id")[before:]
    assert (event.actor, event.organization) == (head, world.province)
    assert event.details == {"list": EXPORTS[route], "rows": len(rows), "show": "all"}
    assert response["Content-Disposition"] == f'attachment; filename="{EXPORTS[route]}.xlsx"'


def test_the_page_itself_writes_no_export(world: World, personas: Personas) -> None:
    client_for(personas.head_p).get(reverse("case-list"))
    assert not AuditEvent.objects.filter(event_type="list.exported").exists()


def test_the_event_counts_the_rows_the_reader_got(office: Office, world: World) -> None:
    open_case(office, world)
    open_case(office, world)
    response = client_for(office.officer).get(reverse("case-list"), {"format": "xlsx"})
    _header, *rows = xlsx_cells(response.content)
    event = AuditEvent.objects.filter(event_type="list.exported").latest("id")
    assert len(rows) == 2 and event.details == {"list": "ho-so-tham-tra", "rows": 2}
    assert event.organization == world.commune_a  # the reader's office
