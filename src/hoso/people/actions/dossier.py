"""Dossier actions (the reads stay in hoso.people.dossier)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.lib import files
from hoso.people.dossier import CORRECTABLE, MAX_SCAN_BYTES
from hoso.people.models import (
    BiographyEntry,
    Correction,
    DocumentType,
    DossierDocument,
    Member,
    Person,
    Relative,
    Scan,
)


class DossierError(ValueError):
    pass


def _member_of(obj: models.Model) -> Member:
    if isinstance(obj, Member):
        return obj
    if isinstance(obj, Person):
        return obj.member
    if isinstance(obj, Relative | BiographyEntry):
        return obj.person.member
    assert isinstance(obj, DossierDocument)
    return obj.member


def add_document(
    actor: User,
    member: Member,
    *,
    doc_type: DocumentType,
    present: bool = True,
    missing_reason: str = "",
    classification: int = 1,
    **fields: Any,
) -> DossierDocument:
    policy.require(actor, policy.Action.MEMBER_MANAGE, member.organization, classification)
    if not present and not missing_reason.strip():
        raise DossierError(_("Say why the document is missing."))
    with transaction.atomic():
        document = DossierDocument.objects.create(
            member=member,
            doc_type=doc_type,
            present=present,
            missing_reason=missing_reason,
            classification=classification,
            recorded_by=actor,
            **fields,
        )
        record(
            events.DOCUMENT_ADDED.code,
            actor=actor,
            obj=member,
            organization=member.organization,
            details={"document": document.pk, "type": doc_type.code, "present": present},
        )
    return document


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def correct(
    actor: User,
    obj: models.Model,
    changes: dict[str, Any],
    *,
    approval: str,
    reason: str,
) -> Correction:
    """Change recorded values with the approving document; keep the earlier values."""
    member = _member_of(obj)
    classification = getattr(obj, "classification", 0)
    policy.require(actor, policy.Action.MEMBER_MANAGE, member.organization, classification)
    allowed = CORRECTABLE[type(obj)]
    if set(changes) - allowed:
        raise DossierError(
            _("These fields cannot be corrected: %(f)s")
            % {"f": ", ".join(sorted(set(changes) - allowed))}
        )
    if not approval.strip() or not reason.strip():
        raise DossierError(_("A correction needs the approving document and a reason."))
    changed = {k: v for k, v in changes.items() if getattr(obj, k) != v}
    if not changed:
        raise DossierError(_("Nothing differs from what is recorded."))
    label = obj._meta.label_lower
    with transaction.atomic():
        version = Correction.objects.filter(object_type=label, object_id=obj.pk).count() + 2
        correction = Correction.objects.create(
            object_type=label,
            object_id=obj.pk,
            member=member,
            version=version,
            before={k: _jsonable(getattr(obj, k)) for k in changed},
            after={k: _jsonable(v) for k, v in changed.items()},
            approval=approval.strip(),
            reason=reason.strip(),
            corrected_by=actor,
        )
        for key, value in changed.items():
            setattr(obj, key, value)
        obj.full_clean(exclude=["org_path", "sort_key", "search_text", "name_folded"])
        if isinstance(obj, DossierDocument):
            obj.version = version
        obj.save()
        record(
            events.RECORD_CORRECTED.code,
            actor=actor,
            obj=member,
            organization=member.organization,
            reason=reason,
            details={
                "object": label,
                "id": obj.pk,
                "fields": sorted(changed),
                "approval": approval,
                "version": version,
            },
        )
    return correction


def _sniff(upload: UploadedFile) -> str:
    kind = files.content_type(upload)
    if kind is None:
        raise DossierError(_("Only PDF, JPEG, PNG or TIFF scans are accepted."))
    upload.name = files.named(upload.name or "", kind, "scan")  # stored as the original name
    return kind


def add_scan(actor: User, document: DossierDocument, upload: UploadedFile) -> Scan:
    policy.require(
        actor, policy.Action.MEMBER_MANAGE, document.member.organization, document.classification
    )
    if upload.size is None or upload.size > MAX_SCAN_BYTES:
        raise DossierError(_("A scan may be at most 20 MB."))
    content_type = _sniff(upload)
    digest = files.sha256(upload)
    with transaction.atomic():
        scan = Scan(
            document=document,
            original_name=(upload.name or "scan")[:255],
            content_type=content_type,
            size=upload.size,
            sha256=digest,
            uploaded_by=actor,
        )
        scan.file.save(scan.sha256, upload, save=False)
        scan.save()
        record(
            events.SCAN_ADDED.code,
            actor=actor,
            obj=document.member,
            organization=document.member.organization,
            details={"document": document.pk, "sha256": scan.sha256, "size": scan.size},
        )
    return scan
