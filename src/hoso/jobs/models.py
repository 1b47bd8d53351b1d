"""A background job: what one user asked hoso to do later, its progress and its output file."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


UNFINISHED = (State.QUEUED, State.RUNNING)


class JobQuerySet(models.QuerySet["Job"]):
    def visible_to(self, user: Any) -> JobQuerySet:
        """A job is its owner's alone: no grant, role or administrator sees another's (a job of
        someone else answers as a missing one). A job made at a clearance the owner no longer
        holds is hidden from the owner too."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user, classification__lte=user.clearance)


class Job(models.Model):
    """One run of a task defined with `jobs.runner.define`. The task queue's own row (the
    package's `DBTaskResult`, `task_id`) keeps the technical side (the traceback of a failure,
    for the operators); this row keeps what its owner sees."""

    owner = models.ForeignKey("access.User", on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=200)  # the task's module path
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)  # 0: not known yet
    message = models.CharField(_("progress"), max_length=300, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)  # for the owner: no trace
    sensitive = models.BooleanField(default=False)  # its output's download is an audited read
    classification = models.PositiveSmallIntegerField(default=0)  # the clearance its output needs
    language = models.CharField(max_length=10)  # the owner's language when asking
    address = models.GenericIPAddressField(null=True, blank=True)  # where the owner asked from
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)  # the last sign of life
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True)
    output = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    output_name = models.CharField(max_length=255, blank=True)
    output_type = models.CharField(max_length=100, blank=True)
    output_size = models.PositiveBigIntegerField(default=0)
    output_sha256 = models.CharField(max_length=64, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="job_owner_newest"),
            models.Index(fields=["expires_at"], name="job_expiry"),
            models.Index(fields=["state", "updated_at"], name="job_state_seen"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.state in (State.DONE, State.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)

    @property
    def has_output(self) -> bool:
        return self.state == State.DONE and bool(self.output)
