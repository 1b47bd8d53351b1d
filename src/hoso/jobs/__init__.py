"""Background jobs: long renders, exports and imports run by `hoso worker`, with progress, for
the one user who asked (see docs/architecture.md, "Background jobs").

An app defines a job with `runner.define` in its own `jobs.py` and starts it with
`actions.start` (a view: `views.start_and_show`); the task queue is django-tasks' database
backend, drained by `hoso worker` through `queue.run_ready`.
"""
