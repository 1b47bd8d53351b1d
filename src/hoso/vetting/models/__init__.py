from hoso.vetting.models.cases import (
    Case,
    CaseFile,
    CasePetition,
    CaseStep,
    Conclusion,
    FileKind,
    Pause,
    State,
    TeamMember,
)
from hoso.vetting.models.catalogue import (
    Addressee,
    AddresseeKind,
    CaseType,
    CaseTypeVersion,
    Step,
)
from hoso.vetting.models.requests import (
    Reminder,
    Reply,
    ReplyItem,
    RequestState,
    Verdict,
    VerificationRequest,
)

__all__ = [
    "Addressee",
    "AddresseeKind",
    "Case",
    "CaseFile",
    "CasePetition",
    "CaseStep",
    "CaseType",
    "CaseTypeVersion",
    "Conclusion",
    "FileKind",
    "Pause",
    "Reminder",
    "Reply",
    "ReplyItem",
    "RequestState",
    "State",
    "Step",
    "TeamMember",
    "Verdict",
    "VerificationRequest",
]
