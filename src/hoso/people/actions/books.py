"""Books actions (the reads stay in hoso.people.books)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.orgs.models import Organization
from hoso.people.books import MANAGE
from hoso.people.models import (
    ACTIVE_STATUSES,
    AnnualSupplement,
    DossierDocument,
    Handover,
    HandoverItem,
    MatterEntry,
    Member,
    ReportedCount,
)


class BookError(ValueError):
    pass


def declare_supplement(
    actor: User,
    member: Member,
    *,
    year: int,
    declared_on: dt.date,
    changes: str,
) -> AnnualSupplement:
    policy.require(actor, MANAGE, member.organization)
    if member.supplements.filter(year=year).exists():
        raise BookError(_("The supplement for %(year)d is already recorded.") % {"year": year})
    if not changes.strip():
        raise BookError(_("Write the declared changes, or “Không thay đổi”."))
    with transaction.atomic():
        supplement = AnnualSupplement.objects.create(
            member=member,
            year=year,
            declared_on=declared_on,
            changes=changes.strip(),
            recorded_by=actor,
        )
        record(
            events.SUPPLEMENT_DECLARED.code,
            actor=actor,
            obj=member,
            organization=member.organization,
            details={"year": year},
        )
    return supplement


def certify_supplement(
    actor: User,
    supplement: AnnualSupplement,
    *,
    certified_on: dt.date,
) -> AnnualSupplement:
    member = supplement.member
    policy.require(actor, MANAGE, member.organization)
    if supplement.certified_on is not None:
        raise BookError(_("Already certified."))
    if certified_on < supplement.declared_on:
        raise BookError(_("Certification cannot precede the declaration."))
    with transaction.atomic():
        supplement.certified_on, supplement.certified_by = certified_on, actor
        supplement.save(update_fields=["certified_on", "certified_by"])
        record(
            events.SUPPLEMENT_CERTIFIED.code,
            actor=actor,
            obj=member,
            organization=member.organization,
            details={"year": supplement.year},
        )
    return supplement


def add_matter(
    actor: User,
    organization: Organization,
    *,
    subject: str,
    recorded_on: dt.date,
    matter: str,
    source: str,
    member: Member | None = None,
    case_reference: str = "",
    classification: int = 1,
) -> MatterEntry:
    policy.require(actor, MANAGE, organization, classification)
    if not source.strip():
        raise BookError(_("Nothing enters the log without its source document."))
    if member is not None and not member.org_path.startswith(organization.path):
        raise BookError(_("The member does not belong to this organization."))
    with transaction.atomic():
        entry = MatterEntry.objects.create(
            organization=organization,
            member=member,
            subject=subject,
            recorded_on=recorded_on,
            matter=matter,
            source=source.strip(),
            case_reference=case_reference,
            classification=classification,
            recorded_by=actor,
        )
        record(
            events.MATTER_LOGGED.code,
            actor=actor,
            obj=entry,
            organization=organization,
            details={"entry": entry.pk, "source": entry.source},
        )
    return entry


def create_handover(
    actor: User,
    organization: Organization,
    *,
    receiver: str,
    from_keeper: str,
    to_keeper: str,
    date: dt.date,
    reason: str,
) -> Handover:
    """A handover of every current member's dossier in the organization's subtree, one item
    per dossier with its document and page counts, ready to print and sign."""
    policy.require(actor, MANAGE, organization)
    members = (
        Member.objects.filter(org_path__startswith=organization.path, status__in=ACTIVE_STATUSES)
        .select_related("person")
        .order_by("sort_key", "id")
    )
    counts = {
        row["member"]: row
        for row in DossierDocument.objects.filter(member__in=members, present=True)
        .values("member")
        .annotate(n=Count("id"), pages=Sum("pages"))
    }
    with transaction.atomic():
        handover = Handover.objects.create(
            organization=organization,
            receiver=receiver,
            from_keeper=from_keeper,
            to_keeper=to_keeper,
            date=date,
            reason=reason,
            recorded_by=actor,
        )
        HandoverItem.objects.bulk_create(
            [
                HandoverItem(
                    handover=handover,
                    member=m,
                    description=_("Dossier of %(name)s") % {"name": m.person.display_name},
                    documents=counts.get(m.pk, {}).get("n", 0),
                    pages=counts.get(m.pk, {}).get("pages") or 0,
                )
                for m in members
            ]
        )
        record(
            events.HANDOVER_RECORDED.code,
            actor=actor,
            obj=handover,
            organization=organization,
            details={"items": handover.items.count(), "receiver": receiver},
        )
    return handover


def report_count(
    actor: User, unit: Organization, *, year: int, quarter: int, count: int
) -> ReportedCount:
    """The member count `unit` reported upward for the quarter, as typed from its report (the
    reconciliation compares it with the register)."""
    policy.require(actor, MANAGE, unit)
    with transaction.atomic():
        reported, _created = ReportedCount.objects.update_or_create(
            organization=unit,
            year=year,
            quarter=quarter,
            defaults={"count": count, "reported_by": actor},
        )
        record(
            events.COUNT_REPORTED.code,
            actor=actor,
            obj=reported,
            organization=unit,
            details={"year": year, "quarter": quarter, "count": count},
        )
    return reported
