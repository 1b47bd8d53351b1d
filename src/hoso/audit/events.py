"""The registry of audit event types. Codes are stable identifiers: never rename one."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class EventType:
    code: str
    label: str | Promise
    is_read: bool = False  # a read of sensitive data rather than a change


REGISTRY: dict[str, EventType] = {}


def register(code: str, label: str | Promise, *, is_read: bool = False) -> EventType:
    if code in REGISTRY:
        raise ValueError(f"audit event type {code!r} registered twice")
    REGISTRY[code] = EventType(code, label, is_read)
    return REGISTRY[code]


def get(code: str) -> EventType:
    try:
        return REGISTRY[code]
    except KeyError:
        raise KeyError(
            f"unknown audit event type {code!r}; register it in an events module"
        ) from None


LOGIN = register("auth.login", _("Logged in"))
LOGIN_FAILED = register("auth.login_failed", _("Failed login"))
LOCKOUT = register("auth.lockout", _("Account or address locked out"))
UNLOCK = register("auth.unlock", _("Account unlocked"))
LOGOUT = register("auth.logout", _("Logged out"))
OTP_FAILED = register("auth.otp_failed", _("Wrong second-factor code"))
OTP_ENROLLED = register("auth.otp_enrolled", _("Second factor enrolled"))
PASSWORD_CHANGED = register("auth.password_changed", _("Password changed"))
ACCOUNT_CREATED = register("account.created", _("Account created"))
TOKEN_CREATED = register("account.token_created", _("API token created"))
TOKEN_REVOKED = register("account.token_revoked", _("API token revoked"))
TOKEN_USED = register("api.token_used", _("API called with a token"), is_read=True)
ACCOUNT_UPDATED = register("account.updated", _("Account changed"))
GRANT_ADDED = register("account.grant_added", _("Grant added"))
GRANT_REMOVED = register("account.grant_removed", _("Grant removed"))
ACCESS_REQUESTED = register("account.access_requested", _("Grant or clearance asked for"))
ACCESS_APPROVED = register("account.access_approved", _("Grant or clearance approved"))
ACCESS_REFUSED = register("account.access_refused", _("Grant or clearance refused"))
ACCESS_WITHDRAWN = register("account.access_withdrawn", _("Grant or clearance request withdrawn"))
BREAK_GLASS_OPENED = register(
    "access.break_glass_opened", _("Emergency access to a dossier outside one's grants opened")
)
BREAK_GLASS_REFUSED = register(
    "access.break_glass_refused", _("Emergency access asked for and refused"), is_read=True
)
BREAK_GLASS_CLOSED = register("access.break_glass_closed", _("Emergency access closed early"))
BREAK_GLASS_REVIEWED = register("access.break_glass_reviewed", _("Emergency access reviewed"))
ORG_CREATED = register("org.created", _("Organization created"))
ORG_RENAMED = register("org.renamed", _("Organization renamed"))
ORG_MOVED = register("org.moved", _("Organization moved"))
ORG_CLOSED = register("org.closed", _("Organization closed"))
TERM_ADDED = register("org.term_added", _("Committee term added"))
CALENDAR_CHANGED = register("calendar.changed", _("Working-day calendar changed"))
MEMBER_REGISTERED = register("member.registered", _("Member record created"))
MEMBER_MOVED = register("member.life_event", _("Member life-cycle event recorded"))
TRANSFER_INTRODUCED = register(
    "transfer.introduced", _("Member introduced to another organization")
)
TRANSFER_ACCEPTED = register("transfer.accepted", _("Transferred member received"))
TRANSFER_CANCELLED = register("transfer.cancelled", _("Transfer cancelled"))
REGISTER_VIEWED = register("register.viewed", _("Register viewed"), is_read=True)
REGISTER_EXPORTED = register("register.exported", _("Register exported"), is_read=True)
MEMBERS_IMPORTED = register("member.imported", _("Members imported from Excel"))
DOCUMENT_ADDED = register("dossier.document_added", _("Dossier document recorded"))
RECORD_CORRECTED = register("dossier.corrected", _("Recorded data corrected"))
SCAN_ADDED = register("dossier.scan_added", _("Scan added to a dossier document"))
SCAN_OPENED = register("dossier.scan_opened", _("Dossier scan opened"), is_read=True)
RESUME_ADDED = register("resume.added", _("Resume entry recorded"))
RESUME_REVEALED = register("resume.revealed", _("Sensitive resume notes revealed"), is_read=True)
SUPPLEMENT_DECLARED = register("supplement.declared", _("Annual supplement recorded"))
SUPPLEMENT_CERTIFIED = register("supplement.certified", _("Annual supplement certified"))
MATTER_LOGGED = register("matters.logged", _("Matter entered in the internal political log"))
MATTERS_VIEWED = register("matters.viewed", _("Internal political log read"), is_read=True)
HANDOVER_RECORDED = register("handover.recorded", _("Dossier handover recorded"))
COUNT_REPORTED = register("register.count_reported", _("Member count reported by a lower level"))
CATALOGUE_CHANGED = register("config.catalogue_changed", _("Catalogue entry saved"))
MEMBER_VIEWED = register("member.viewed", _("Member dossier opened"), is_read=True)
SENSITIVE_REVEALED = register(
    "member.sensitive_revealed", _("Sensitive fields revealed"), is_read=True
)
MEMBERS_EXPORTED = register("member.exported", _("Member list exported"), is_read=True)
LIST_VIEWED = register("list.viewed", _("List or search shown"), is_read=True)
LIST_EXPORTED = register("list.exported", _("List exported to Excel"), is_read=True)
API_LISTED = register("api.listed", _("Records listed through the API"), is_read=True)
PERSON_VIEWED = register("person.viewed", _("Person record opened"), is_read=True)
DUPLICATES_LISTED = register(
    "person.duplicates_listed", _("Candidate duplicate persons listed"), is_read=True
)
REPORT_VIEWED = register("report.viewed", _("Report figures read"), is_read=True)
REPORT_RECORDS_LISTED = register(
    "report.records_listed", _("Records behind a report figure listed"), is_read=True
)
REPORT_RECORDS_EXPORTED = register(
    "report.records_exported", _("Records behind a report figure exported"), is_read=True
)
REPORT_DRAFTED = register("report.drafted", _("Periodic report started"))
REPORT_WRITTEN = register("report.written", _("Periodic report's text saved"))
REPORT_SUBMITTED = register("report.submitted", _("Periodic report submitted upward"))
REPORT_RETURNED = register("report.returned", _("Periodic report returned for correction"))
REPORT_EXPORTED = register("report.exported", _("Periodic report downloaded"), is_read=True)
RELATIVE_LINKED = register("person.relative_linked", _("Relative linked to a person"))
RELATIVE_UNLINKED = register("person.relative_unlinked", _("Link of a relative undone"))
PERSON_FROM_RELATIVE = register(
    "person.created_from_relative", _("Person record made from a declared relative")
)
PERSONS_MERGED = register("person.merged", _("Two person records merged as one person"))
PERSONS_UNMERGED = register("person.unmerged", _("Merge of person records undone"))
PERSONS_DISTINCT = register("person.marked_distinct", _("Proposed pair marked as two people"))
ADMIN_UNITS_LOADED = register("system.admin_units_loaded", _("Administrative units loaded"))
NUMBER_ALLOCATED = register("document.number_allocated", _("Outgoing document number given"))
NUMBER_CANCELLED = register("document.number_cancelled", _("Outgoing document number cancelled"))
INCOMING_REGISTERED = register("document.incoming_registered", _("Incoming document registered"))
DOCUMENT_GENERATED = register("document.generated", _("Document file generated"), is_read=True)
TEMPLATE_UPLOADED = register("document.template_uploaded", _("Word template of a type uploaded"))
JOB_OUTPUT_DOWNLOADED = register(
    "job.output_downloaded", _("Background job's output downloaded"), is_read=True
)
AUDIT_EXPORTED = register("audit.exported", _("Audit trail exported"), is_read=True)
AUDIT_VIEWED = register("audit.viewed", _("Audit trail viewed"), is_read=True)
FLAG_RAISED = register("audit.flag_raised", _("Insider flag raised"))
FLAG_EXTENDED = register("audit.flag_extended", _("Insider flag extended by later events"))
FLAGS_PURGED = register("audit.flags_purged", _("Insider flags past their retention deleted"))
FLAGS_VIEWED = register("audit.flags_viewed", _("Insider flags listed"), is_read=True)
FLAG_VIEWED = register("audit.flag_viewed", _("Insider flag opened"), is_read=True)
BOOTSTRAP = register("system.bootstrap", _("Installation bootstrapped"))
KEY_INTRODUCED = register("audit.key_introduced", _("Audit chain key introduced"))
ANCHORED = register("audit.anchored", _("Audit chain head signed (anchor)"))
FIELD_KEY_MADE = register("system.field_key_made", _("Field encryption key made (rotation)"))
FIELDS_RESEALED = register(
    "system.fields_resealed", _("Encrypted values re-encrypted under the newest key")
)
BACKUP_MADE = register("system.backup_made", _("Backup archive made"))
BACKUP_RESTORED = register("system.backup_restored", _("Backup archive restored"))
FILES_VERIFIED = register(
    "system.files_verified", _("Stored files checked against their hashes"), is_read=True
)
SYNTH_LOADED = register("system.synth_loaded", _("Synthetic data loaded"))
AGGREGATES_REBUILT = register("system.aggregates_rebuilt", _("Member aggregates rebuilt"))
AGGREGATES_VERIFIED = register(
    "system.aggregates_verified", _("Member aggregates checked against a recount"), is_read=True
)
CASE_OPENED = register("case.opened", _("Vetting case opened"))
CASE_MOVED = register("case.moved", _("Vetting case moved to another step"))
CASE_CHANGED = register("case.changed", _("Vetting case details changed"))
CASE_CLOCK = register("case.clock", _("Vetting case clock paused or resumed"))
CASE_VIEWED = register("case.viewed", _("Vetting case opened for reading"), is_read=True)
CASE_FILE_ADDED = register("case.file_added", _("Evidence attached to a vetting case"))
CASE_FILE_OPENED = register("case.file_opened", _("Vetting case evidence opened"), is_read=True)
CONCLUSION_RECORDED = register("case.concluded", _("Political-standards conclusion recorded"))
CONCLUSION_CORRECTED = register("case.conclusion_corrected", _("Conclusion corrected"))
VALIDITY_RECORDED = register(
    "conclusion.validity_recorded", _("Until when a conclusion serves recorded")
)
PLAN_LINE_SKIPPED = register(
    "case.plan_skipped", _("Line of a verification plan recorded as not verified")
)
PLAN_SKIP_WITHDRAWN = register(
    "case.plan_skip_withdrawn", _("Decision not to verify a line of the plan withdrawn")
)
PETITION_LINKED = register("case.petition_linked", _("Petition linked to a vetting case"))
PETITION_CONSIDERED = register("case.petition_considered", _("Petition taken into account"))
REQUEST_SENT = register("request.sent", _("Verification request issued"))
REQUEST_CANCELLED = register("request.cancelled", _("Verification request cancelled"))
REPLY_RECORDED = register("request.replied", _("Reply to a verification request recorded"))
DISCREPANCY_RESOLVED = register("request.resolved", _("Discrepancy in a reply resolved"))
REMINDER_SENT = register("request.reminded", _("Reminder about a verification request"))
HELP_REGISTERED = register(
    "help.registered", _("Request for verification help from another body registered")
)
HELP_ASSIGNED = register("help.assigned", _("Request for verification help assigned"))
HELP_MOVED = register("help.moved", _("Request for verification help moved to another step"))
HELP_ANSWERED = register("help.answered", _("Request for verification help answered"))
HELP_DUE_CHANGED = register(
    "help.due_changed", _("Due date of a request for verification help changed")
)
HELP_PERSON_LINKED = register(
    "help.person_linked", _("Person on record named for a request for verification help")
)
HELP_VIEWED = register(
    "help.viewed", _("Request for verification help opened for reading"), is_read=True
)
REQUEST_VIEWED = register(
    "request.viewed", _("Verification request opened for reading"), is_read=True
)
PETITION_RECEIVED = register("petition.received", _("Petition received"))
PETITION_MOVED = register("petition.moved", _("Petition moved to another step"))
PETITION_CLOCK = register("petition.clock", _("Petition time limit paused, resumed or extended"))
PETITION_VIEWED = register("petition.viewed", _("Petition opened for reading"), is_read=True)
TRIP_VIEWED = register("trip.viewed", _("Trip abroad opened for reading"), is_read=True)
STAY_VIEWED = register("stay.viewed", _("Long stay abroad opened for reading"), is_read=True)
RELATION_VIEWED = register(
    "relation.viewed", _("Foreign relation opened for reading"), is_read=True
)
PETITIONER_REVEALED = register(
    "petition.petitioner_revealed", _("Petitioner's identity revealed"), is_read=True
)
PETITION_SCAN_ADDED = register("petition.scan_added", _("Scan added to a petition"))
PETITION_SCAN_OPENED = register("petition.scan_opened", _("Petition scan opened"), is_read=True)
PETITION_SCAN_MASKED = register(
    "petition.scan_masked", _("Masked copy of a petition scan added (petitioner hidden)")
)
PETITION_SCAN_REVEALED = register(
    "petition.scan_revealed", _("Sealed original of a petition scan opened"), is_read=True
)
TRIP_RECORDED = register("trip.recorded", _("Trip abroad request recorded"))
TRIP_MOVED = register("trip.moved", _("Trip abroad moved to another step"))
RELATION_DECLARED = register("relation.declared", _("Foreign relation declared"))
RELATION_DECIDED = register("relation.decided", _("Decision on a foreign relation recorded"))
STAY_RECORDED = register("stay.recorded", _("Long stay abroad recorded"))
STAY_RETURNED = register("stay.returned", _("Return from a long stay abroad recorded"))
STAY_CANCELLED = register("stay.cancelled", _("Long stay abroad cancelled (recorded by mistake)"))
STAY_CORRECTED = register("stay.corrected", _("Long stay abroad corrected"))
CADRE_RECORDED = register("cadre.recorded", _("Cadre record created"))
CADRE_CATEGORY_SET = register("cadre.category_set", _("Cadre's management category set"))
CADRE_POST_RECORDED = register("cadre.post_recorded", _("Post held by a cadre recorded"))
CADRE_POST_ENDED = register("cadre.post_ended", _("End of a cadre's post recorded"))
CADRE_CORRECTED = register("cadre.corrected", _("Cadre record or post corrected"))
CADRES_IMPORTED = register("cadre.imported", _("Cadre list imported from Excel"))
CADRE_VIEWED = register("cadre.viewed", _("Cadre record opened for reading"), is_read=True)
PLAN_VIEWED = register(
    "plan.viewed", _("Planning or candidacy list opened for reading"), is_read=True
)
CADRES_EXPORTED = register("cadre.exported", _("Cadre or planning list exported"), is_read=True)
PLAN_CREATED = register("plan.created", _("Planning or candidacy list created"))
PLAN_ENTRY_ADDED = register("plan.entry_added", _("Person added to a planning or candidacy list"))
PLAN_ENTRY_REMOVED = register(
    "plan.entry_removed", _("Person removed from a planning or candidacy list")
)
