"""Papers (see paper.py) built from what hoso records."""

from __future__ import annotations

from hoso.documents.models import OutgoingDocument
from hoso.documents.paper import Paper
from hoso.orgs.models import Organization


def from_outgoing(document: OutgoingDocument, *, place: str, signer_title: str) -> Paper:
    """The registered document as a paper: its text, number, date, signer and recipients."""
    parent = Organization.objects.get_parent(document.organization)
    paragraphs = [p.strip().replace("\n", " ") for p in document.body.split("\n\n") if p.strip()]
    return Paper(
        parent_issuer=parent.name if parent else "",
        issuer=document.organization.name,
        reference=document.reference,
        place=place,
        date=document.issued_on,
        kind=document.kind.name,
        summary=document.summary,
        body=paragraphs,
        authority=document.authority,
        signer_title=signer_title,
        signer_name=document.signer,
        secrecy=document.classification,
        recipients=[r.strip() for r in document.recipients.splitlines() if r.strip()],
    )
