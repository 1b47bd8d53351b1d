"""Reading jobs: the owner's list, one job, and its output (whose download, when the job made
something sensitive, is an audited read, from the page and the API alike)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.jobs.models import Job, State

LIST_SIZE = 100


def own(user: User) -> QuerySet[Job]:
    """The user's own jobs, newest first (the latest LIST_SIZE)."""
    return Job.objects.visible_to(user)[:LIST_SIZE]


def one(user: User, pk: int) -> Job:
    """Job `pk` if it is the user's, else Http404 (the same as a number never used)."""
    job = Job.objects.visible_to(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def open_output(user: User, pk: int, *, via: str) -> Job:
    """The job whose finished output the user downloads; the read is recorded when the output is
    sensitive (filed under the owner's organization: a job belongs to no record's)."""
    job = one(user, pk)
    if job.state != State.DONE or not job.output:
        raise Http404
    if job.sensitive:
        record(
            events.JOB_OUTPUT_DOWNLOADED.code,
            actor=user,
            obj=job,
            organization=user.organization,
            details={
                "kind": job.kind,
                "file": job.output_name,
                "size": job.output_size,
                "sha256": job.output_sha256,
                "via": via,
            },
        )
    return job
