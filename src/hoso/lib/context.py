"""Who is acting, from where: one context per request, command or job.

The middleware opens it for every web and API request, `hoso` commands open it for the
command line, `hoso worker` for its passes (channel "worker") and for each background job, as
the user who asked for it (channel "job", hoso.jobs.runner). Actions take their actor as an
argument (the permission check needs it, explicitly); what only the audit row needs, the
address, and the channel and reason of the whole run, are read from here, so that no action
has to carry an HTTP request.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Context:
    user: Any = None  # the signed-in access.User, or None for the system itself
    address: str | None = None  # the client's IP address, for web and API requests
    channel: str = "system"  # web, api, command, worker, job
    reason: str = ""


_SYSTEM = Context()
_current: ContextVar[Context] = ContextVar("hoso_context", default=_SYSTEM)


def current() -> Context:
    return _current.get()


@contextmanager
def acting(
    user: Any = None, *, address: str | None = None, channel: str = "system", reason: str = ""
) -> Iterator[Context]:
    """Run the block as `user`; the previous context comes back when it ends, even on error."""
    context = Context(user=user, address=address, channel=channel, reason=reason)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)
