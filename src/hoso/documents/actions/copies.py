"""Generating a document file: ordinary documents on demand, secret ones copy by copy, each
copy numbered, registered and marked on every page with its number and recipient."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.documents import render
from hoso.documents.actions.templates import template_of
from hoso.documents.models import Copy, OutgoingDocument
from hoso.documents.paper import Paper


class CopyError(ValueError):
    pass


def generate(
    actor: User,
    document: OutgoingDocument,
    paper: Paper,
    *,
    file_format: str,
    recipient: str = "",
) -> tuple[bytes, Copy | None]:
    """Render the document; for a secret one, register and mark the next copy."""
    policy.require(
        actor, policy.Action.DOCUMENT_MANAGE, document.organization, document.classification
    )
    if file_format not in {"pdf", "docx"}:
        raise CopyError(_("Unknown format."))
    paper.secrecy = document.classification
    copy = None
    with transaction.atomic():
        if document.classification:
            if not recipient.strip():
                raise CopyError(
                    _(
                        "A secret document is generated copy by copy: give the "
                        "recipient of this copy."
                    )
                )
            # Lock the document row so two officers cannot take the same copy number.
            OutgoingDocument.objects.select_for_update().filter(pk=document.pk).first()
            taken = document.copy_register.aggregate(n=Max("number"))["n"] or 0
            if taken >= document.copies:
                raise CopyError(
                    _("All %(n)d copies of this document have been generated.")
                    % {"n": document.copies}
                )
            copy = Copy.objects.create(
                document=document,
                number=taken + 1,
                recipient=recipient.strip(),
                file_format=file_format,
                generated_by=actor,
            )
            paper.copy_number, paper.copies, paper.copy_recipient = (
                copy.number,
                document.copies,
                copy.recipient,
            )
        if file_format == "pdf":
            content, template_sha256 = render.to_pdf(paper), render.PRINT_HTML_SHA256
        else:
            template, template_sha256 = template_of(document.kind)
            content = render.to_docx(paper, template, template_sha256)
        record(
            events.DOCUMENT_GENERATED.code,
            actor=actor,
            obj=document,
            organization=document.organization,
            details={
                "reference": document.reference,
                "format": file_format,
                "copy": copy.number if copy else None,
                "recipient": recipient,
                "template_sha256": template_sha256,
            },
        )
    return content, copy
