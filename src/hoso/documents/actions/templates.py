"""Changes to the documents configuration: each checks the policy, runs in a transaction and
writes its audit event. (Numbering and copies keep their own modules for now.)"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import tempfile
import zipfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from jinja2 import TemplateSyntaxError

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.documents import render
from hoso.documents.models import DocumentKind
from hoso.documents.paper import Paper
from hoso.documents.templating import TemplateRefused
from hoso.orgs.models import Organization

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


class TemplateError(ValueError):
    """The uploaded file cannot be a template; the message says why, for the administrator."""


def _sample() -> Paper:
    """A paper using every variable, the data table included, to try a template on."""
    return Paper(
        parent_issuer="Tỉnh ủy", issuer="Ban Tổ chức", reference="01-CV/BTCTU", place="Hà Tĩnh",
        date=dt.date(2026, 1, 5), kind="Công văn", summary="V/v thử mẫu", body=["Nội dung."],
        signer_title="Trưởng ban", signer_name="Nguyễn Văn A", authority="T/L",
        authority_of="Ban Thường vụ", recipients=["Như trên"], secrecy=1, copy_number=1,
        copies=2, copy_recipient="Lưu", table_headers=["TT", "Họ và tên"], table_rows=[["1", "A"]],
    )  # fmt: skip


def check_template(content: bytes) -> None:
    """Refuse a file that is not a Word document, or whose template names anything outside
    the documented variables; trying it on a sample also proves that it renders."""
    if len(content) > MAX_TEMPLATE_BYTES:
        raise TemplateError(_("A template may be at most 5 MB."))
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise TemplateError(_("Only a .docx file can be a template."))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.docx"
        path.write_bytes(content)
        try:
            render.to_docx(_sample(), path, render.sha256_of(path))
        except TemplateRefused as exc:
            raise TemplateError(
                _(
                    "The template uses what it may not: %(names)s. Only the listed variables "
                    "can be used."
                )
                % {"names": ", ".join(exc.names)}
            ) from exc
        except TemplateSyntaxError as exc:
            raise TemplateError(
                _("The template has a syntax error: %(error)s") % {"error": exc.message}
            ) from exc
        except (KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise TemplateError(_("This file is not a Word document hoso can read.")) from exc


def _national_root(actor: User) -> Organization:
    paths = policy.scope_paths(actor, policy.Action.CONFIG_MANAGE)
    root: Organization = Organization.objects.get(
        path=next(p for p in paths if len(p) == Organization.steplen)
    )
    return root


def upload_template(actor: User, kind: DocumentKind, content: bytes) -> DocumentKind:
    """Replace a type's Word template. Templates are national configuration: only a national
    administrator uploads one, and the event, filed under the root, carries the file's hash."""
    if not policy.national(actor, policy.Action.CONFIG_MANAGE):
        raise policy.Denied(policy.Action.CONFIG_MANAGE)
    check_template(content)
    sha256 = hashlib.sha256(content).hexdigest()
    previous = kind.template_sha256
    with transaction.atomic():
        # A new name per content: the file of an earlier version is never overwritten.
        kind.template.save(f"{kind.pk}-{sha256[:16]}.docx", ContentFile(content), save=False)
        kind.template_sha256 = sha256
        kind.save(update_fields=["template", "template_sha256"])
        record(
            events.TEMPLATE_UPLOADED.code,
            actor=actor,
            obj=kind,
            organization=_national_root(actor),
            details={
                "kind": kind.code,
                "sha256": sha256,
                "previous_sha256": previous,
                "bytes": len(content),
            },
        )
    return kind


def template_of(kind: DocumentKind) -> tuple[Path | None, str]:
    """The Word template a type prints with, and its SHA-256 (of the shipped one if none)."""
    if not kind.template:
        return None, render.DEFAULT_DOCX_SHA256
    return Path(kind.template.path), kind.template_sha256
