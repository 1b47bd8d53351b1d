"""People (anyone hoso records) and Party members."""

from hoso.people.models.books import (
    AnnualSupplement,
    Handover,
    HandoverItem,
    MatterEntry,
    ReportedCount,
)
from hoso.people.models.counts import Dimension, MemberCount
from hoso.people.models.dossier import Correction, DocumentType, DossierDocument, Scan
from hoso.people.models.events import (
    EventKind,
    MemberEvent,
    Transfer,
    TransferKind,
    TransferState,
)
from hoso.people.models.identity import DecisionKind, IdentityDecision
from hoso.people.models.members import (
    ACTIVE_STATUSES,
    LeftForm,
    Member,
    MemberStatus,
    Service,
)
from hoso.people.models.persons import DatePrecision, Passport, Person, Sex
from hoso.people.models.places import AdminUnit
from hoso.people.models.resume import (
    SENSITIVE_KINDS,
    BiographyEntry,
    EntryKind,
    Relationship,
    Relative,
    Side,
)

__all__ = [
    "ACTIVE_STATUSES",
    "SENSITIVE_KINDS",
    "AdminUnit",
    "AnnualSupplement",
    "BiographyEntry",
    "Correction",
    "DatePrecision",
    "DecisionKind",
    "Dimension",
    "DocumentType",
    "DossierDocument",
    "EntryKind",
    "EventKind",
    "Handover",
    "HandoverItem",
    "IdentityDecision",
    "LeftForm",
    "MatterEntry",
    "Member",
    "MemberCount",
    "MemberEvent",
    "MemberStatus",
    "Passport",
    "Person",
    "Relationship",
    "Relative",
    "ReportedCount",
    "Scan",
    "Service",
    "Sex",
    "Side",
    "Transfer",
    "TransferKind",
    "TransferState",
]
