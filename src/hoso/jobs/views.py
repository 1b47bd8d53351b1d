"""The "Công việc nền" pages: the user's own jobs, one job's progress (polled by htmx), its
download; and `start_and_show`, how another app's view starts a job and sends its user to it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hoso.access.actor import acting_user
from hoso.jobs import actions, reads
from hoso.jobs.models import UNFINISHED
from hoso.lib.respond import private_file

POLL_SECONDS = 3  # how often an unfinished job's page asks for its progress


def start_and_show(
    request: HttpRequest, job_task: Any, *, title: str, back: str, **params: Any
) -> HttpResponse:
    """Start `job_task` for the signed-in user (`actions.start`) and redirect to the job's
    page; a refusal (too many jobs at once) is flashed and the user goes back to `back`.
    Call it from a POST view, after checking that the user may ask for it."""
    try:
        job = actions.start(acting_user(request), job_task, title=title, **params)
    except actions.JobError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(
        request,
        _("“%(title)s” is prepared in the background: this page shows when it is ready.")
        % {"title": job.title},
    )
    return redirect("job-detail", pk=job.pk)


@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = list(reads.own(acting_user(request)))
    context = {
        "jobs": jobs,
        "polling": any(job.state in UNFINISHED for job in jobs),
        "poll": POLL_SECONDS,
        "keep_days": settings.JOBS_KEEP_DAYS,
    }
    template = "jobs/_rows.html" if request.headers.get("HX-Request") else "jobs/list.html"
    return render(request, template, context)


@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = reads.one(acting_user(request), pk)
    return render(request, "jobs/detail.html", {"job": job, "poll": POLL_SECONDS})


@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment, which keeps asking again until the job has ended."""
    job = reads.one(acting_user(request), pk)
    return render(request, "jobs/_progress.html", {"job": job, "poll": POLL_SECONDS})


@require_GET
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = reads.open_output(acting_user(request), pk, via="web")
    return private_file(job.output, job.output_type, job.output_name)
