"""Uploaded papers (scans, evidence): recognised by their first bytes, kept by their hash, and
named after what they are.

The browser's file name is only a label: a PDF sent as "x.html" (a polyglot) is stored and
served as "x.pdf", with its detected type, as an attachment, so that no browser renders it as
a page of hoso.
"""

from __future__ import annotations

import hashlib
import posixpath
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


# The extensions each stored type may be named with; the first is the one given. Uploads are
# only the SIGNATURES types; the office formats are files hoso writes itself (a background
# job's output, hoso.jobs), served the same way.
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/tiff": (".tif", ".tiff"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/zip": (".zip",),
}
MAX_NAME = 255  # the original_name columns


def named(name: str, kind: str, default: str = "file") -> str:
    """`name` with an extension of the detected type `kind`: "x.html" holding a PDF is
    "x.pdf", "scan.JPEG" stays; at most MAX_NAME characters, the extension kept."""
    stem, extension = posixpath.splitext(posixpath.basename(name.replace("\\", "/")))
    if extension.lower() not in EXTENSIONS[kind]:
        extension = EXTENSIONS[kind][0]
    stem = stem.strip() or default
    return stem[: MAX_NAME - len(extension)] + extension


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
    """The content type of an acceptable upload (PDF or image, at most 20 MB), or Rejected.
    The upload is renamed after that type (`named`): callers store `upload.name`."""
    from django.utils.translation import gettext as _

    if upload.size is None or upload.size > MAX_BYTES:
        raise Rejected(_("A file may be at most 20 MB."))
    kind = content_type(upload)
    if kind is None:
        raise Rejected(_("Only PDF, JPEG, PNG or TIFF files are accepted."))
    upload.name = named(upload.name or "", kind)
    return kind
