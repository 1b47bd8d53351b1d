from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command


def work(**options: Any) -> str:
    """One pass of `hoso worker`: the due items and every job queued now."""
    out = io.StringIO()
    call_command("worker", "--once", stdout=out, **options)
    return out.getvalue()
