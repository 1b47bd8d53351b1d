"""Papers (see paper.py) built from what hoso records."""

from __future__ import annotations

from typing import Any

from hoso.documents.models import OutgoingDocument
from hoso.documents.paper import Paper
from hoso.orgs.models import Level, Organization


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


def default_place(organization: Organization) -> str:
    """The place in the date line: the province of the issuing organization."""
    chain = [organization, *Organization.objects.get_ancestors(organization)]
    province = next((o for o in chain if o.level == Level.PROVINCIAL), organization)
    name = str(province.name)
    for prefix in ("Tỉnh ủy ", "Thành ủy "):
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


def from_table(
    organization: Organization,
    *,
    kind: str,
    summary: str,
    headers: list[str],
    rows: list[list[str]],
    date: Any,
    signer_title: str = "",
    signer_name: str = "",
    body: list[str] | None = None,
    landscape: bool = False,
    place: str = "",
) -> Paper:
    """A register or list as a paper: heading, optional text, the table, signature."""
    parent = Organization.objects.get_parent(organization)
    return Paper(
        parent_issuer=parent.name if parent else "",
        issuer=organization.name,
        reference="",
        place=place or default_place(organization),
        date=date,
        kind=kind,
        summary=summary,
        body=body or [],
        signer_title=signer_title,
        signer_name=signer_name,
        table_headers=headers,
        table_rows=[[str(c) for c in row] for row in rows],
        landscape=landscape,
    )
