"""Uploaded papers (scans, evidence): recognised by their first bytes, kept by their hash."""

from __future__ import annotations

import hashlib
from typing import Any

MAX_BYTES = 20 * 1024 * 1024
# What a scan may be, recognised by its first bytes, not by the name the browser sent.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"II*\x00": "image/tiff",
    b"MM\x00*": "image/tiff",
}


def content_type(upload: Any) -> str | None:
    """The type of a PDF or image upload, or None for anything else."""
    head = upload.read(8)
    upload.seek(0)
    return next((kind for sig, kind in SIGNATURES.items() if head.startswith(sig)), None)


def sha256(upload: Any) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


class Rejected(ValueError):
    pass


def check(upload: Any) -> str:
    """The content type of an acceptable upload (PDF or image, at most 20 MB), or Rejected."""
    from django.utils.translation import gettext as _

    if upload.size is None or upload.size > MAX_BYTES:
        raise Rejected(_("A file may be at most 20 MB."))
    kind = content_type(upload)
    if kind is None:
        raise Rejected(_("Only PDF, JPEG, PNG or TIFF files are accepted."))
    return kind
