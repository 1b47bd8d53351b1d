"""The member list exported as a background job when it is too long to wait for: the page
offers it, the worker makes the file as the user who asked (scope, audit), the user downloads
it from the job's page; a short list is still downloaded at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from hoso.audit.models import AuditEvent
from hoso.jobs.models import Job, State
from hoso.people.models import Member, Person
from tests.conftest import Personas, World, client_for, make_user, xlsx_cells
from tests.jobs.helpers import work


@pytest.fixture
def members(world: World, settings: Any) -> list[Member]:
    """Three members in commune A and one in commune B; a list of more than two is long."""
    settings.EXPORT_BACKGROUND_ROWS = 2
    made = []
    for given, org in (("An", world.cell_a), ("Bình", world.cell_a), ("Chi", world.cell_a),
                       ("ZZB", world.cell_b)):  # fmt: skip
        person = Person.objects.create(family_name="Lê", given_name=given, sex="M")
        made.append(Member.objects.create(person=person, organization=org, status="official"))
    return made


def test_a_short_list_is_downloaded_at_once(personas: Personas, members: list[Member]) -> None:
    response = client_for(personas.clerk_a).get(reverse("member-export"), {"q": "an"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not Job.objects.exists()


def test_a_long_list_is_offered_as_a_job_and_made_by_the_worker(
    personas: Personas, members: list[Member]
) -> None:
    client = client_for(personas.clerk_a)
    offer = client.get(reverse("member-export"), {"status": "official"})
    assert offer.status_code == 200 and "Chuẩn bị tệp trong nền" in offer.content.decode()
    assert not AuditEvent.objects.filter(event_type="member.exported").exists()  # nothing read
    started = client.post(reverse("member-export") + "?status=official")
    job = Job.objects.get()
    assert started["Location"] == reverse("job-detail", kwargs={"pk": job.pk})
    assert job.owner == personas.clerk_a and job.sensitive and job.state == State.QUEUED
    assert job.title == "Danh sách đảng viên (Excel) · Đảng viên chính thức"
    work()
    job.refresh_from_db()
    assert job.state == State.DONE, job.error
    assert (job.done, job.total) == (3, 3)
    event = AuditEvent.objects.get(event_type="member.exported")
    assert (event.actor, event.ip) == (personas.clerk_a, "127.0.0.1")  # who asked, from where
    assert event.details == {"list": "dang-vien", "status": "official", "job": job.pk}
    download = client.get(reverse("job-download", kwargs={"pk": job.pk}))
    header, *rows = xlsx_cells(b"".join(download.streaming_content))
    assert header[0].value == "Họ và tên"
    assert [row[0].value for row in rows] == ["LÊ AN", "LÊ BÌNH", "LÊ CHI"]  # none of commune B
    assert job.output_name.startswith("dang-vien-") and job.output_name.endswith(".xlsx")
    read = AuditEvent.objects.get(event_type="job.output_downloaded")
    assert read.actor == personas.clerk_a and read.details["via"] == "web"


def test_the_job_reads_with_the_scope_the_owner_has_when_it_runs(
    personas: Personas, members: list[Member], world: World
) -> None:
    """A grant removed between asking and running: the job is refused, as the page would be."""
    clerk = make_user("clerk_short", world.commune_a, "clerk")
    client_for(clerk).post(reverse("member-export"))
    clerk.grants.all().delete()
    work()
    job = Job.objects.get()
    assert job.state == State.FAILED and "không còn được phép" in job.error
    assert not AuditEvent.objects.filter(event_type="member.exported").exists()


def test_no_job_for_those_who_may_not_see_members(personas: Personas) -> None:
    assert client_for(personas.admin_a).post(reverse("member-export")).status_code == 404
    assert not Job.objects.exists()
