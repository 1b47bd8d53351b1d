"""Dossier actions and queries: documents, scans, checklists, corrections with approval."""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet

from hoso.lib import files
from hoso.people.models import (
    ACTIVE_STATUSES,
    BiographyEntry,
    DocumentType,
    DossierDocument,
    Member,
    Person,
    Relative,
)

MAX_SCAN_BYTES = files.MAX_BYTES
# Fields that may be corrected, per model; everything else is set by actions only.
CORRECTABLE: dict[type[models.Model], frozenset[str]] = {
    # Every field an officer enters about a person; the stored search columns are derived.
    Person: frozenset(
        f.name for f in Person._meta.concrete_fields if f.editable and not f.primary_key
    ),
    Member: frozenset(
        {
            "card_number",
            "resume_number",
            "badge_number",
            "admission_decision",
            "admitted_on",
            "ceremony_on",
            "official_on",
            "service",
        }
    ),
    DossierDocument: frozenset(
        {"number", "issuer", "issued_on", "pages", "present", "missing_reason", "classification"}
    ),
    Relative: frozenset(Relative.declared_fields),
    BiographyEntry: frozenset(BiographyEntry.declared_fields),
}


def checklist(member: Member) -> list[tuple[DocumentType, list[DossierDocument], str]]:
    """(type, its documents, present | missing | absent) for every type in use."""
    documents = list(member.documents.select_related("doc_type").prefetch_related("scans"))
    rows = []
    for doc_type in DocumentType.objects.filter(active=True):
        mine = [d for d in documents if d.doc_type_id == doc_type.pk]
        if any(d.present for d in mine):
            state = "present"
        elif doc_type.required and doc_type.applies_to(member.status):
            state = "missing"
        else:
            state = "optional" if not mine else "absent"
        rows.append((doc_type, mine, state))
    return rows


def incomplete(qs: QuerySet[Member]) -> QuerySet[Member]:
    """Current members whose dossier lacks a required document for their status."""
    required = list(DocumentType.objects.filter(active=True, required=True))
    condition = Q(pk__in=[])
    for status in ACTIVE_STATUSES:
        types = [t for t in required if t.applies_to(status)]
        lacks = Q(pk__in=[])
        for doc_type in types:
            has = DossierDocument.objects.filter(
                member=OuterRef("pk"), doc_type=doc_type, present=True
            )
            lacks |= Q(~Exists(has))
        condition |= Q(status=status) & lacks
    return qs.filter(condition)
