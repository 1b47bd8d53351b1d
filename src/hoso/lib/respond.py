"""Small response helpers shared by the domain views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _

from hoso.lib import files


def attempt(
    request: HttpRequest, call: Callable[[], Any], success: str | Callable[[Any], str]
) -> bool:
    """Run an action; flash its refusal (in the user's language) or `success`: a message, or
    one made from the action's result (what was done, said after it is done)."""
    try:
        result = call()
    except ValueError as exc:
        messages.error(request, str(exc))
        return False
    except PermissionDenied:
        messages.error(request, _("Not allowed."))
        return False
    messages.success(request, success if isinstance(success, str) else success(result))
    return True


def private_file(file: FieldFile, content_type: str, filename: str) -> FileResponse:
    """A stored paper as a download that no cache keeps (callers check access and audit):
    always an attachment, of its detected type, named with that type's extension, never
    sniffed, so that a polyglot ("x.html" that is a PDF) cannot be opened as a page."""
    if content_type in files.EXTENSIONS:
        filename = files.named(filename, content_type)
    else:  # nothing else is accepted; a stray row is downloaded as opaque bytes
        content_type = "application/octet-stream"
    response = FileResponse(
        file.open("rb"), content_type=content_type, as_attachment=True, filename=filename
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
