"""Background jobs: queued through django-tasks' database backend and run by `hoso worker`
(the real backend and the real command, synchronously, inside the test), with progress,
failures in words the owner can read, the owner-only rule, and the worker's tidying."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hoso.audit.models import AuditEvent
from hoso.jobs import actions, runner
from hoso.jobs.models import Job, State
from hoso.lib import context
from tests.conftest import Personas, World, client_for
from tests.jobs import samples
from tests.jobs.helpers import work


@pytest.fixture(autouse=True)
def every_step_written(monkeypatch: Any) -> None:
    """Progress is written at most once a second; here at every step, to be seen."""
    monkeypatch.setattr(runner, "PROGRESS_EVERY", 0)


def start(user: Any, **params: Any) -> Job:
    return actions.start(user, samples.count, title="Đếm", **params)


def test_starting_queues_the_task_in_the_database(personas: Personas) -> None:
    job = start(personas.clerk_a, n=3)
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == TaskResultStatus.READY
    assert task.task_path == "tests.jobs.samples.count"
    assert task.args_kwargs == {"args": [job.pk], "kwargs": {"n": 3}}
    assert job.state == State.QUEUED and job.owner == personas.clerk_a


def test_the_worker_runs_it_with_its_progress(personas: Personas) -> None:
    job = start(personas.clerk_a, n=3)
    out = work()
    assert "jobs run 1" in out
    job.refresh_from_db()
    assert job.state == State.DONE and (job.done, job.total) == (3, 3)
    seen = json.loads(job.output.read()[len(samples.PDF) :])
    assert seen == [["running", 0, 3, "Đang đếm"], ["running", 1, 3, "Đang đếm"],
                    ["running", 2, 3, "Đang đếm"]]  # fmt: skip
    assert job.output_name == "đếm.pdf"  # named after what it is, not what it was called
    assert job.expires_at is not None and job.expires_at > timezone.now() + dt.timedelta(days=6)
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.SUCCESSFUL
    assert "jobs run" not in work()  # nothing left to run: a job runs once


def test_a_job_delivered_twice_runs_once(personas: Personas) -> None:
    job = start(personas.clerk_a, n=1)
    work()
    finished = Job.objects.get(pk=job.pk).finished_at
    samples.count.enqueue(job.pk, n=1)  # the same job queued again
    work()
    assert Job.objects.get(pk=job.pk).finished_at == finished


def test_the_pages_poll_until_the_job_ends(personas: Personas) -> None:
    job = start(personas.clerk_a, n=2)
    client = client_for(personas.clerk_a)
    fragment = client.get(reverse("job-progress", kwargs={"pk": job.pk})).content.decode()
    assert 'hx-trigger="every 3s"' in fragment and "Đang chờ" in fragment
    listed = client.get(reverse("jobs")).content.decode()
    assert 'hx-trigger="every 3s"' in listed and "Đếm" in listed
    work()
    fragment = client.get(reverse("job-progress", kwargs={"pk": job.pk})).content.decode()
    assert "hx-trigger" not in fragment  # done: the fragment stops asking
    assert reverse("job-download", kwargs={"pk": job.pk}) in fragment
    assert "hx-trigger" not in client.get(reverse("jobs"), HTTP_HX_REQUEST="true").content.decode()
    page = client.get(reverse("job-detail", kwargs={"pk": job.pk}))
    assert page.status_code == 200 and "<script>" not in page.content.decode()


def test_the_owner_downloads_the_file_privately(personas: Personas) -> None:
    job = start(personas.clerk_a, n=1)
    work()
    response = client_for(personas.clerk_a).get(reverse("job-download", kwargs={"pk": job.pk}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(samples.PDF)
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    # Not sensitive: no read event. (A sensitive job's download is one: test_every_event.)
    assert not AuditEvent.objects.filter(event_type="job.output_downloaded").exists()


def test_nothing_to_download_before_the_end(personas: Personas) -> None:
    job = start(personas.clerk_a, n=1)
    client = client_for(personas.clerk_a)
    assert client.get(reverse("job-download", kwargs={"pk": job.pk})).status_code == 404
    assert client.get(f"/api/v1/jobs/{job.pk}/download/").status_code == 404


@pytest.mark.parametrize(
    "other", ["officer_a", "clerk_a_twin", "head_p", "admin_root", "admin_a", "auditor_p"]
)
def test_only_the_owner_sees_a_job(personas: Personas, world: World, other: str) -> None:
    """Another officer, the head whose scope covers the owner, administrators and auditors:
    each gets a 404, as for a job that does not exist; their lists do not show it."""
    from tests.conftest import make_user

    job = start(personas.clerk_a, n=1)
    work()
    if other == "clerk_a_twin":  # same organization, same role, same clearance
        user = make_user("clerk_a2", world.commune_a, "clerk", personas.clerk_a.clearance)
    else:
        user = getattr(personas, other)
    client = client_for(user)
    for name in ("job-detail", "job-progress", "job-download", "api-job-detail",
                 "api-job-download"):  # fmt: skip
        assert client.get(reverse(name, kwargs={"pk": job.pk})).status_code == 404, name
    assert "Đếm" not in client.get(reverse("jobs")).content.decode()
    assert client.get(reverse("api-job-list")).json()["results"] == []


def test_a_job_above_the_owners_clearance_is_hidden_from_them(personas: Personas) -> None:
    job = actions.start(personas.clerk_a, samples.count, title="Mật", classification=3, n=1)
    client = client_for(personas.clerk_a)
    assert client.get(reverse("job-detail", kwargs={"pk": job.pk})).status_code == 404


def test_the_api_lists_and_shows_the_callers_jobs(personas: Personas) -> None:
    job = start(personas.clerk_a, n=2)
    start(personas.officer_a, n=1)
    client = client_for(personas.clerk_a)
    (listed,) = client.get(reverse("api-job-list")).json()["results"]
    assert listed["id"] == job.pk and listed["state"] == "queued" and listed["download"] is None
    work()
    shown = client.get(reverse("api-job-detail", kwargs={"pk": job.pk})).json()
    assert (shown["state"], shown["done"], shown["total"]) == ("done", 2, 2)
    assert shown["download"] == f"/api/v1/jobs/{job.pk}/download/"
    response = client.get(shown["download"], HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(samples.PDF)


@pytest.mark.parametrize(
    ("fail", "shown"),
    [
        ("crash", "Công việc dừng vì một lỗi không lường trước"),
        ("refuse", "Danh sách này không còn."),
        ("denied", "không còn được phép"),
    ],
)
def test_a_failure_is_told_in_words_never_as_a_trace(
    personas: Personas, fail: str, shown: str
) -> None:
    job = start(personas.clerk_a, n=1, fail=fail)
    work()
    job.refresh_from_db()
    assert job.state == State.FAILED and shown in job.error
    assert not job.output  # no partial file
    page = client_for(personas.clerk_a).get(reverse("job-detail", kwargs={"pk": job.pk}))
    text = page.content.decode()
    assert shown in text and "Traceback" not in text and "secret detail" not in text
    api = client_for(personas.clerk_a).get(reverse("api-job-detail", kwargs={"pk": job.pk}))
    assert "Traceback" not in api.content.decode()
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == TaskResultStatus.FAILED  # the operators keep the trace
    if fail == "crash":
        assert str(job.pk) in job.error
        assert "secret detail of the crash" in task.traceback


def test_a_failure_is_told_in_the_language_the_owner_asked_in(personas: Personas) -> None:
    with translation.override("en"):
        job = start(personas.clerk_a, n=1, fail="crash")
    work()  # the worker itself speaks Vietnamese
    job.refresh_from_db()
    assert job.language == "en" and job.error.startswith("The job stopped on an unexpected error")


def test_an_audited_change_inside_a_job_is_the_owners(personas: Personas, world: World) -> None:
    """The worker restores the acting context: the event of the change the job makes is
    attributed to the user who asked, from where they asked, in the job's transaction."""
    with context.acting(personas.admin_a, address="10.1.2.3", channel="web"):
        job = actions.start(
            personas.admin_a, samples.rename, title="Đổi tên", org_id=world.cell_a.pk, name="Mới"
        )
    work()
    job.refresh_from_db()
    assert job.state == State.DONE, job.error
    event = AuditEvent.objects.get(event_type="org.renamed")
    assert (event.actor, event.ip, event.object_id) == (
        personas.admin_a, "10.1.2.3", str(world.cell_a.pk),
    )  # fmt: skip
    assert event.reason == "trong công việc"


def test_the_policy_inside_a_job_is_the_owners(personas: Personas, world: World) -> None:
    """A clerk may not rename organizations: the job, run as the clerk, is refused."""
    job = actions.start(
        personas.clerk_a, samples.rename, title="Đổi tên", org_id=world.cell_a.pk, name="Mới"
    )
    work()
    job.refresh_from_db()
    assert job.state == State.FAILED and "không còn được phép" in job.error
    assert not AuditEvent.objects.filter(event_type="org.renamed").exists()


def test_an_owner_has_a_few_jobs_at_once_not_more(personas: Personas) -> None:
    for _ in range(actions.MAX_UNFINISHED):
        start(personas.clerk_a, n=1)
    with pytest.raises(actions.JobError, match="đang chờ hoặc đang chạy"):
        start(personas.clerk_a, n=1)
    work()
    start(personas.clerk_a, n=1)  # they ended: room again


def test_only_a_defined_job_can_be_started(personas: Personas) -> None:
    with pytest.raises(TypeError, match="not a job defined"):
        actions.start(personas.clerk_a, print, title="x")


def test_tidying_removes_expired_jobs_their_files_and_old_queue_rows(
    personas: Personas, settings: Any
) -> None:
    kept, old = start(personas.clerk_a, n=1), start(personas.clerk_a, n=1)
    work()
    old.refresh_from_db()
    path = old.output.path
    later = timezone.now() + dt.timedelta(days=settings.JOBS_KEEP_DAYS, hours=1)
    Job.objects.filter(pk=kept.pk).update(expires_at=later + dt.timedelta(days=1))
    tidied = actions.tidy(later)
    assert (tidied.removed, tidied.tasks) == (1, 2)
    assert list(Job.objects.all()) == [kept]
    import os

    assert not os.path.exists(path)
    kept.refresh_from_db()
    assert os.path.exists(kept.output.path)


def test_tidying_marks_a_silent_running_job_failed(personas: Personas, settings: Any) -> None:
    """The worker was killed under a job: it stays "running" until a pass notices that it has
    given no sign of life for HOSO_JOBS_STALE_MINUTES."""
    job = start(personas.clerk_a, n=1)
    actions.begin(job)
    DBTaskResult.objects.filter(pk=job.task_id).update(status=TaskResultStatus.RUNNING)
    soon = timezone.now() + dt.timedelta(minutes=settings.JOBS_STALE_MINUTES - 1)
    assert actions.tidy(soon).interrupted == 0
    late = timezone.now() + dt.timedelta(minutes=settings.JOBS_STALE_MINUTES + 1)
    assert actions.tidy(late).interrupted == 1
    job.refresh_from_db()
    assert job.state == State.FAILED and "bị ngắt" in job.error
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.FAILED
    queued = start(personas.clerk_a, n=1)  # waiting behind a long job is not silence
    assert actions.tidy(late + dt.timedelta(days=1)).interrupted == 0
    assert Job.objects.get(pk=queued.pk).state == State.QUEUED


def test_a_file_stored_for_a_job_is_private(personas: Personas) -> None:
    """The stored name is random and carries neither the title nor the owner."""
    job = start(personas.clerk_a, n=1)
    work()
    job.refresh_from_db()
    assert job.output.name.startswith("jobs/") and "clerk" not in job.output.name
    assert "Đếm" not in job.output.name and len(job.output.name.rsplit("/", 1)[1]) == 32


def test_a_download_error_is_json_whatever_type_was_asked_for(personas: Personas) -> None:
    job = start(personas.clerk_a, n=1)  # not done yet
    response = client_for(personas.clerk_a).get(
        f"/api/v1/jobs/{job.pk}/download/", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_progress_is_written_at_most_once_a_second(personas: Personas, monkeypatch: Any) -> None:
    """A loop over 10,000 rows does not write 10,000 updates, whether the total is known or
    not; the start, a new message and the end are always written."""
    from hoso.jobs.runner import Run

    monkeypatch.setattr(runner, "PROGRESS_EVERY", 3600)
    job = start(personas.clerk_a, n=1)
    actions.begin(job)
    writes: list[tuple[int, int]] = []
    monkeypatch.setattr(actions, "advance", lambda j, done, total, m: writes.append((done, total)))
    run = Run(job)
    list(run.each(range(10_000), 10_000, "Đang ghi"))
    assert writes == [(0, 10_000), (10_000, 10_000), (10_000, 10_000)]
    writes.clear()
    for done in range(1, 1000):
        run.progress(done, 0)  # total unknown
    assert writes == []
