"""Small response helpers shared by the domain views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _


def attempt(request: HttpRequest, call: Callable[[], Any], success: str) -> bool:
    """Run an action; flash its refusal (in the user's language) or `success`."""
    try:
        call()
    except ValueError as exc:
        messages.error(request, str(exc))
        return False
    except PermissionDenied:
        messages.error(request, _("Not allowed."))
        return False
    messages.success(request, success)
    return True


def private_file(file: FieldFile, content_type: str, filename: str) -> FileResponse:
    """A stored paper as a download that no cache keeps (callers check access and audit)."""
    response = FileResponse(
        file.open("rb"), content_type=content_type, as_attachment=True, filename=filename
    )
    response["Cache-Control"] = "no-store"
    return response
