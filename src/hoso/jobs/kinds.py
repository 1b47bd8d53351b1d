"""The kinds of job the apps defined (`runner.define` fills it at import): a task's path and
whether its output is sensitive, so that `actions.start` accepts only a defined job."""

from __future__ import annotations

from typing import Any

DEFINED: dict[str, bool] = {}  # task path -> its output's download is an audited read


def is_sensitive(job_task: Any) -> bool:
    try:
        return DEFINED[job_task.module_path]
    except (KeyError, AttributeError):
        raise TypeError(f"{job_task!r} is not a job defined with jobs.runner.define") from None
