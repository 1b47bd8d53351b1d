"""Jobs defined for the tests (a job must be a module-level name the worker can import)."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied

from hoso.jobs.actions import JobError
from hoso.jobs.models import Job
from hoso.jobs.runner import Run, define
from hoso.orgs import actions as orgs
from hoso.orgs.models import Organization

PDF = b"%PDF-1.4 "


@define(sensitive=False)
def count(run: Run, n: int, fail: str = "") -> None:
    """Counts to `n`, noting the progress stored at each step; then fails as told, or saves what
    it saw as its output."""
    seen = []
    for _ in run.each(range(n), n, "Đang đếm"):
        stored = Job.objects.get(pk=run.job.pk)
        seen.append([stored.state, stored.done, stored.total, stored.message])
    if fail == "crash":
        raise RuntimeError("Traceback: secret detail of the crash")
    if fail == "refuse":
        raise JobError("Danh sách này không còn.")
    if fail == "denied":
        raise PermissionDenied
    run.save(PDF + json.dumps(seen).encode(), "đếm.html", "application/pdf")


@define(sensitive=True)
def rename(run: Run, org_id: int, name: str) -> None:
    """An audited change made inside a job, as its owner (the policy decides with the owner)."""
    node = Organization.objects.get(pk=org_id)
    orgs.rename_organization(run.owner, node, name=name, short_name="", reason="trong công việc")
    run.save(PDF + name.encode(), "doi-ten.pdf", "application/pdf")


@define(sensitive=False)
def stopped_meanwhile(run: Run) -> None:
    """A job during which the worker is told to stop (systemctl stop): it finishes all the same."""
    import os
    import signal

    os.kill(os.getpid(), signal.SIGTERM)
    run.progress(1, 2, "vẫn chạy tiếp")
    run.save(PDF, "xong.pdf", "application/pdf")
