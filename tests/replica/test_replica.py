"""Reports, exports and read-only API lists read a real streaming standby; what decides who may
read, and every write, stays on the primary (issue 15, item 5). The proof that a page was
served by the standby: its replay is paused, a member is added on the primary, and the page
does not show them while a page of the primary does."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoso.audit.models import AuditEvent
from hoso.jobs.models import Job, State
from hoso.lib import replica
from hoso.people.models import Member, MemberStatus, Person
from tests.conftest import Personas, World, client_for, xlsx_cells
from tests.jobs.helpers import work
from tests.replica.conftest import caught_up, received, replay_paused

pytestmark = [
    pytest.mark.replica,
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


def _member(world: World, given: str) -> Member:
    person = Person.objects.create(family_name="Đặng", middle_name="Văn", given_name=given, sex="M")
    return Member.objects.create(
        person=person, organization=world.cell_a, status=MemberStatus.OFFICIAL
    )


def _listed(client: Any) -> list[str]:
    answer = client.get("/api/v1/members/")
    assert answer.status_code == 200, answer.content
    return [row["full_name"] for row in answer.json()["results"]]


def test_an_api_list_is_read_from_the_standby_and_audited_on_the_primary(
    fresh: None, world: World, personas: Personas
) -> None:
    _member(world, "Một")
    client = client_for(personas.officer_a)
    with replay_paused():
        _member(world, "Hai")  # on the primary only, for now
        with CaptureQueriesContext(connections[replica.REPLICA]) as on_standby:
            shown = _listed(client)
        assert shown == ["Đặng Văn Một"]
        assert any("people_member" in q["sql"] for q in on_standby)
        assert not any("access_grant" in q["sql"] for q in on_standby)  # who may: the primary
        event = AuditEvent.objects.filter(event_type="api.listed").latest("id")
        assert (event.actor, event.details["rows"]) == (personas.officer_a, 1)
        # The member list page is not replica-served: it shows what the primary holds.
        page = client.get(reverse("member-list")).content.decode()
        assert "ĐẶNG VĂN HAI" in page.upper()
    caught_up()
    replica.forget()
    assert _listed(client) == ["Đặng Văn Hai", "Đặng Văn Một"]


def test_a_lagging_standby_is_not_used(
    fresh: None, world: World, personas: Personas, settings: Any
) -> None:
    client = client_for(personas.officer_a)
    settings.REPLICA_MAX_LAG = 0
    with replay_paused():
        _member(world, "Ba")
        received()  # the standby has it, and has not applied it
        replica.forget()
        with CaptureQueriesContext(connections[replica.REPLICA]) as on_standby:
            assert _listed(client) == ["Đặng Văn Ba"]  # the primary answered
        assert [q["sql"] for q in on_standby] == [replica.LAG_SQL]  # only the check


def test_a_grant_revoked_on_the_primary_is_revoked_at_once(
    fresh: None, world: World, personas: Personas
) -> None:
    _member(world, "Bốn")
    client = client_for(personas.officer_a)
    assert _listed(client) == ["Đặng Văn Bốn"]
    with replay_paused():
        personas.officer_a.grants.all().delete()  # the standby still holds the grant
        answer = client.get("/api/v1/members/")
        assert answer.status_code == 200 and answer.json()["results"] == []


def test_a_read_the_primary_cannot_record_is_refused(
    fresh: None, world: World, personas: Personas
) -> None:
    _member(world, "Năm")
    client = client_for(personas.officer_a)
    _listed(client)
    before = AuditEvent.objects.count()
    caught_up()
    primary = connections["default"]
    with primary.cursor() as cur:
        cur.execute("SET default_transaction_read_only = on")  # the primary takes no write
    try:
        answer = client.get("/api/v1/members/")
        page = client.get(reverse("report-home"))
    finally:
        with primary.cursor() as cur:
            cur.execute("SET default_transaction_read_only = off")
    assert answer.status_code == 503
    assert "Năm" not in answer.content.decode()
    assert "không ghi được vào nhật ký" in answer.json()["detail"]
    assert page.status_code == 503
    assert "không ghi được vào nhật ký" in page.content.decode()
    assert AuditEvent.objects.count() == before


def test_the_report_page_is_read_from_the_standby(
    fresh: None, world: World, personas: Personas
) -> None:
    caught_up()
    client = client_for(personas.head_p)
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_standby:
        answer = client.get(reverse("report-home"))
    assert answer.status_code == 200
    assert len(on_standby) > 1  # the check and the figures
    assert AuditEvent.objects.filter(event_type="report.viewed", actor=personas.head_p).exists()


def test_an_export_job_reads_the_standby(
    fresh: None, world: World, personas: Personas, settings: Any
) -> None:
    settings.EXPORT_BACKGROUND_ROWS = 0  # any list is long: exported by the worker
    _member(world, "Sáu")
    client = client_for(personas.clerk_a)
    with replay_paused():
        _member(world, "Bảy")
        client.post(reverse("member-export"))
        work()
    job = Job.objects.get()
    assert job.state == State.DONE, job.error
    download = client.get(reverse("job-download", kwargs={"pk": job.pk}))
    _header, *rows = xlsx_cells(b"".join(download.streaming_content))
    assert [row[0].value for row in rows] == ["ĐẶNG VĂN SÁU"]
