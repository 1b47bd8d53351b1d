"""Walks every URL pattern and API route and checks that nothing outside the caller's scope
is reachable: object URLs pointed at a foreign record answer 404 (as if missing), and lists and
exports never contain a foreign marker.

A URL pattern that this file does not classify makes `test_every_pattern_is_classified` fail:
whoever adds a view must say here how to point it at a foreign record.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hoso.access.models import AccessRequest, BreakGlass, User
from hoso.access.roles import Clearance, Role
from hoso.accounts import actions as access_actions
from hoso.audit import events
from hoso.audit.models import AuditEvent
from hoso.cadres import actions as cadre_actions
from hoso.cadres.models import Cadre, Entry, Plan, PostKind
from hoso.documents.actions import numbering
from hoso.documents.models import DocumentKind, IncomingDocument, OutgoingDocument
from hoso.jobs.models import Job
from hoso.lib.periods import parse
from hoso.orgs.models import Term
from hoso.people import actions as people_actions
from hoso.people.models import (
    DocumentType,
    DossierDocument,
    Handover,
    Member,
    Person,
    Relationship,
    Transfer,
)
from hoso.petitions import actions as petition_actions
from hoso.petitions.models import Petition
from hoso.petitions.models import Scan as PetitionScan
from hoso.reports import actions as report_actions
from hoso.reports.models import Report, ReportForm
from hoso.trail.models import Flag, Rule
from hoso.travel import actions as travel_actions
from hoso.travel.models import Relation, Stay, Trip
from hoso.vetting import actions as vetting_actions
from hoso.vetting import verification
from hoso.vetting.models import (
    Addressee,
    Case,
    CaseFile,
    CasePetition,
    CaseType,
    Conclusion,
    HelpRequest,
    ReplyItem,
    VerificationRequest,
)
from hoso.workcal.models import SpecialDay
from tests.conftest import FOREIGN_MARKER, Personas, World, client_for, make_user, record_event

Foreign = Callable[[World, Personas, AuditEvent], dict[str, Any]]

# URL name -> kwargs pointing at a record under commune B (outside the callers' scope).
OBJECT_URLS: dict[str, Foreign] = {
    "org-detail": lambda w, p, e: {"pk": w.commune_b.pk},
    "org-children": lambda w, p, e: {"pk": w.commune_b.pk},
    "org-action": lambda w, p, e: {"pk": w.cell_b.pk, "op": "rename"},
    "api-org-detail": lambda w, p, e: {"pk": w.commune_b.pk},
    "api-org-move": lambda w, p, e: {"pk": w.commune_b.pk},
    "api-org-close": lambda w, p, e: {"pk": w.cell_b.pk},
    "api-org-rename": lambda w, p, e: {"pk": w.cell_b.pk},
    "api-org-terms": lambda w, p, e: {"pk": w.commune_b.pk},
    "account-detail": lambda w, p, e: {"pk": p.officer_b.pk},
    # An API token is its owner's alone: officer B's, named with the marker.
    "api-token-revoke": lambda w, p, e: {
        "pk": access_actions.create_token(p.officer_b, f"{FOREIGN_MARKER} tích hợp", "read", 30)[
            0
        ].pk
    },
    # A background job is its owner's alone: officer B's finished export, file included.
    **{
        name: (lambda w, p, e: {"pk": Job.objects.get(owner=p.officer_b).pk})
        for name in ("job-detail", "job-progress", "job-download", "api-job-detail",
                     "api-job-download")
    },
    "access-request-decide": lambda w, p, e: {"pk": AccessRequest.objects.get().pk},
    # An insider flag about officer B's reads in commune B: only auditors above see it.
    "audit-flag": lambda w, p, e: {"pk": Flag.objects.get().pk},
    # Officer B's emergency access to a dossier of commune B: only the heads above see it.
    **{name: (lambda w, p, e: {"pk": BreakGlass.objects.get().pk})
       for name in ("glass-detail", "glass-close")},
    "api-audit-event-detail": lambda w, p, e: {"pk": e.pk},
    "member-detail": lambda w, p, e: {"pk": foreign_member().pk},
    "member-reveal": lambda w, p, e: {"pk": foreign_member().pk},
    "api-member-detail": lambda w, p, e: {"pk": foreign_member().pk},
    "member-move": lambda w, p, e: {"pk": foreign_member().pk, "move": "die"},
    "member-transfer": lambda w, p, e: {"pk": foreign_member().pk},
    "member-dossier": lambda w, p, e: {"pk": foreign_member().pk},
    "documents-cancel": lambda w, p, e: {"pk": OutgoingDocument.objects.get(kind__code="KH").pk},
    "documents-generate": lambda w, p, e: {"pk": OutgoingDocument.objects.get(kind__code="KH").pk},
    "documents-template-upload": lambda w, p, e: {"pk": 1},
    "api-outgoing-document-detail": lambda w, p, e: {
        "pk": OutgoingDocument.objects.get(kind__code="KH").pk
    },
    "api-incoming-document-detail": lambda w, p, e: {
        "pk": IncomingDocument.objects.get(summary=f"{FOREIGN_MARKER} đến").pk
    },
    "dossier-add": lambda w, p, e: {"pk": foreign_member().pk},
    "member-correct": lambda w, p, e: {"pk": foreign_member().pk},
    "member-resume": lambda w, p, e: {"pk": foreign_member().pk},
    "supplement-declare": lambda w, p, e: {"pk": foreign_member().pk},
    "supplement-certify": lambda w, p, e: {"pk": foreign_member().supplements.get().pk},
    "handover-detail": lambda w, p, e: {"pk": Handover.objects.get(receiver=FOREIGN_MARKER).pk},
    "document-detail": lambda w, p, e: {"pk": foreign_member().documents.get().pk},
    "scan-download": lambda w, p, e: {"pk": foreign_member().documents.get().scans.get().pk},
    "transfer-accept": lambda w, p, e: {"pk": foreign_member().transfers.get().pk},
    "transfer-cancel": lambda w, p, e: {"pk": foreign_member().transfers.get().pk},
    "person-detail": lambda w, p, e: {"pk": foreign_member().person.pk},
    "person-decide": lambda w, p, e: {"pk": foreign_member().person.pk, "op": "unmerge"},
    **{
        name: (lambda w, p, e: {"pk": foreign_member().person.pk})
        for name in (
            "api-person-detail", "api-person-candidates", "api-person-merge",
            "api-person-unmerge", "api-person-distinct",
        )
    },
    **{
        name: (lambda w, p, e: {"pk": foreign_member().person.relatives.get().pk})
        for name in (
            "relative-identity", "api-relative-detail", "api-relative-candidates",
            "api-relative-link", "api-relative-unlink", "api-relative-make-person",
        )
    },
    # Installation-wide settings: only administrators of a root node may open them.
    "calendar-day": lambda w, p, e: {"pk": SpecialDay.objects.order_by("pk")[0].pk},
    "catalogue-item": lambda w, p, e: {"name": "document-types", "pk": 1},
    "report-layout-delete": lambda w, p, e: {
        "code": "BVCTNB", "part": "row", "pk": ReportForm.objects.get(code="BVCTNB")
        .sections.order_by("order")[0].rows.order_by("order")[0].pk,
    },
    "case-type-edit": lambda w, p, e: {"pk": CaseType.objects.order_by("pk")[0].pk},
    # Vetting: the case of commune B and everything hanging on it.
    **{
        name: (lambda w, p, e: {"pk": foreign_case().pk})
        for name in (
            "case-detail", "case-move", "case-text", "case-team", "case-clock",
            "case-file-add", "request-new", "case-conclude", "api-case-detail",
            "api-case-move", "api-case-requests", "case-plan-skip", "case-plan-withdraw",
            "case-plan-print", "api-case-plan", "api-case-plan-skip", "api-case-plan-withdraw",
            "api-case-validity", "api-case-conclusions",
        )
    },
    "case-paper": lambda w, p, e: {"pk": foreign_case().pk, "which": "decision"},
    "case-file": lambda w, p, e: {"pk": CaseFile.objects.get().pk},
    "petition-consider": lambda w, p, e: {"pk": CasePetition.objects.get().pk},
    "conclusion-correct": lambda w, p, e: {"pk": Conclusion.objects.get().pk},
    "conclusion-validity": lambda w, p, e: {"pk": Conclusion.objects.get().pk},
    **{
        name: (lambda w, p, e: {"pk": VerificationRequest.objects.get().pk})
        for name in (
            "request-detail", "request-cancel", "request-remind",
            "api-verification-request-detail",
        )
    },
    "reply-item-resolve": lambda w, p, e: {"pk": ReplyItem.objects.get().pk},
    # The request for verification help commune B received, and its answer.
    **{
        name: (lambda w, p, e: {"pk": HelpRequest.objects.get().pk})
        for name in (
            "help-detail", "help-assign", "help-move", "help-answer", "help-due", "help-person",
            "api-help-request-detail", "api-help-request-assign", "api-help-request-move",
            "api-help-request-answer", "api-help-request-due", "api-help-request-person",
        )
    },
    **{
        name: (lambda w, p, e: {"pk": Petition.objects.get().pk})
        for name in (
            "petition-detail", "petition-classify", "petition-move", "petition-clock",
            "petition-reveal", "api-petition-detail",
        )
    },
    **{
        name: (lambda w, p, e: {"pk": PetitionScan.objects.get().pk})
        for name in ("petition-scan", "petition-scan-mask")
    },
    **{
        name: (lambda w, p, e: {"pk": Trip.objects.get().pk})
        for name in ("trip-detail", "trip-move", "trip-passport", "api-trip-detail")
    },
    **{
        name: (lambda w, p, e: {"pk": Relation.objects.get().pk})
        for name in ("relation-decide", "api-relation-detail")
    },
    **{
        name: (lambda w, p, e: {"pk": Stay.objects.get().pk})
        for name in (
            "stay-detail", "stay-return", "stay-cancel", "stay-correct", "api-stay-detail",
            "api-stay-return", "api-stay-cancel",
        )
    },
    # Cadres: the record of commune B's member, its post, commune B's list and its entry.
    **{
        name: (lambda w, p, e: {"pk": Cadre.objects.get().pk})
        for name in (
            "cadre-detail", "cadre-category", "cadre-post-add", "cadre-correct",
            "api-cadre-detail", "api-cadre-category", "api-cadre-posts", "api-cadre-correct",
        )
    },
    **{
        name: (lambda w, p, e: {"pk": Cadre.objects.get().posts.get().pk})
        for name in ("post-end", "post-correct", "api-cadre-post-detail", "api-cadre-post-end",
                     "api-cadre-post-correct")
    },
    **{
        name: (lambda w, p, e: {"pk": Plan.objects.get().pk})
        for name in ("plan-detail", "entry-add", "api-plan-detail", "api-plan-entries")
    },
    **{
        name: (lambda w, p, e: {"pk": Entry.objects.get().pk})
        for name in ("entry-remove", "api-plan-entry-detail", "api-plan-entry-remove")
    },
}  # fmt: skip
OBJECT_URLS.update(
    {
        "report-kept": lambda w, p, e: {"pk": foreign_report().pk},
        "report-submit": lambda w, p, e: {"pk": foreign_report().pk},
        "report-return": lambda w, p, e: {"pk": foreign_report().pk},
        "report-export": lambda w, p, e: {"pk": foreign_report().pk, "fmt": "xlsx"},
    }
)
# Lists, forms and exports: reachable, but must show nothing foreign.
LIST_URLS = {
    "home",
    "glass-open",
    "glass-review",
    "audit-flags",
    "calendar",
    "calendar-import",
    "calendar-import-template",
    "member-list",
    "member-new",
    "member-import",
    "member-import-template",
    "transfer-list",
    "dossier-incomplete",
    "supplements",
    "matters",
    "handovers",
    "books",
    "reconciliation",
    "person-duplicates",
    "api-person-duplicates",
    "api-relative-list",
    "deadlines",
    "admin-units",
    "documents-outgoing",
    "documents-incoming",
    "documents-templates",
    "catalogue",
    "register",
    "member-export",
    "api-member-list",
    "profile",
    "api-tokens",
    "org-tree",
    "org-pick",
    "account-list",
    "access-requests",
    "account-new",
    "audit-list",
    "audit-export",
    "api-org-list",
    "api-audit-event-list",
    "api-root",
    "api-schema",
    "case-list",
    "case-new",
    "case-bulk",
    "case-types",
    "request-list",
    "help-list",
    "help-new",
    "api-help-request-list",
    "api-case-list",
    "api-verification-request-list",
    "notices",
    "notices-read",
    "petition-list",
    "petition-new",
    "trip-list",
    "trip-new",
    "relation-list",
    "relation-new",
    "stay-list",
    "stay-new",
    "api-petition-list",
    "api-trip-list",
    "api-relation-list",
    "api-stay-list",
    "api-calendar",
    "api-outgoing-document-list",
    "api-incoming-document-list",
    "api-notification-list",
    "api-notification-read",
    "jobs",
    "api-job-list",
    "cadre-list",
    "cadre-export",
    "cadre-new",
    "cadre-import",
    "cadre-import-template",
    "cadre-key-posts",
    "plan-list",
    "plan-new",
    "api-cadre-category-list",
    "api-post-kind-list",
    "api-cadre-list",
    "api-cadre-post-list",
    "api-plan-list",
    "api-plan-entry-list",
    "report-home",
    "report-document",
    "report-save",
    "report-status",
    "report-indicator",
    "report-records",
    "report-records-export",
    "report-forms",
    "report-layout",
    "api-reports",
}
# List URLs that take arguments, and the values to probe them with.
LIST_KWARGS = {
    "register": {"kind": "members"},
    "catalogue": {"name": "relationships"},
    "report-indicator": {"code": "cases.received"},
    "report-document": {"code": "BVCTNB"},
    "report-save": {"code": "BVCTNB"},
    "report-status": {"code": "BVCTNB"},
    "report-records": {"code": "cases.received"},
    "report-records-export": {"code": "cases.received"},
    "report-layout": {"code": "BVCTNB"},
}
# Reachable without signing in, by design.
PUBLIC_URLS = {"login", "login-otp", "totp-enroll", "set_language"}
# Reachable when signed in, holding no record.
OWN_ONLY = {"logout"}


def foreign_case() -> Case:
    return Case.objects.get(purpose=f"{FOREIGN_MARKER} chức danh")


def foreign_member() -> Member:
    """The member of commune B made by the foreign_event fixture."""
    return Member.objects.get(card_number=f"{FOREIGN_MARKER}-CARD")


def _patterns(resolver: URLResolver | None = None) -> Iterator[tuple[str, set[str]]]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry)
        elif isinstance(entry, URLPattern):
            yield str(entry.name), set(entry.pattern.regex.groupindex)


ALL_PATTERNS = sorted({(name, frozenset(kw)) for name, kw in _patterns()})


def test_url_names_are_unique() -> None:
    """A duplicated name makes reverse() silently point at the wrong view."""
    names = [name for name, kwargs in ALL_PATTERNS if "format" not in kwargs]
    assert sorted(names) == sorted(set(names))


def test_every_pattern_is_classified() -> None:
    known = set(OBJECT_URLS) | LIST_URLS | PUBLIC_URLS | OWN_ONLY
    unknown = sorted({name for name, _ in ALL_PATTERNS if name not in known})
    assert not unknown, f"URL patterns with no scope decision in this matrix: {unknown}"


@pytest.fixture
def foreign_event(world: World, personas: Personas) -> AuditEvent:
    person = Person.objects.create(
        family_name="Nguyễn",
        middle_name="Văn",
        sex="M",
        given_name=f"{FOREIGN_MARKER}ngoai",
        citizen_id="079090000001",
    )
    member = Member.objects.create(
        person=person,
        organization=world.cell_b,
        status="official",
        card_number=f"{FOREIGN_MARKER}-CARD",
    )
    document = DossierDocument.objects.create(
        member=member,
        doc_type=DocumentType.objects.get(code="2-KNĐ"),
        number=f"{FOREIGN_MARKER}-DOC",
        recorded_by=personas.officer_b,
    )
    people_actions.dossier.add_scan(
        personas.officer_b,
        document,
        SimpleUploadedFile("a.pdf", b"%PDF-1.4 " + FOREIGN_MARKER.encode()),
    )
    people_actions.resume.add_relative(
        personas.officer_b,
        member,
        relationship=Relationship.objects.get(code="bo-de"),
        full_name=f"Nguyễn Văn {FOREIGN_MARKER}bo",
        birth_year=1950,
    )
    people_actions.books.declare_supplement(
        personas.officer_b,
        member,
        year=2025,
        declared_on=dt.date(2026, 1, 10),
        changes=f"{FOREIGN_MARKER} khác",
    )
    people_actions.books.add_matter(
        personas.officer_b,
        world.commune_b,
        subject=f"{FOREIGN_MARKER} person",
        recorded_on=dt.date(2026, 1, 5),
        matter="x",
        source="CV 1",
    )
    people_actions.books.create_handover(
        personas.officer_b,
        world.commune_b,
        receiver=FOREIGN_MARKER,
        from_keeper="A",
        to_keeper="B",
        date=dt.date(2026, 1, 6),
        reason="r",
    )
    Term.objects.create(
        organization=world.commune_b, name="2025-2030", starts_on=dt.date(2025, 10, 1)
    )
    numbering.allocate(
        personas.officer_b,
        world.commune_b,
        DocumentKind.objects.get(code="KH"),
        issued_on=dt.date(2026, 1, 7),
        summary=f"{FOREIGN_MARKER} kế hoạch",
    )
    numbering.register_incoming(
        personas.officer_b,
        world.commune_b,
        received_on=dt.date(2026, 1, 8),
        sender="CA",
        sender_reference="1/CA",
        summary=f"{FOREIGN_MARKER} đến",
    )
    Transfer.objects.create(
        member=member,
        kind="official",
        from_org=world.cell_b,
        to_org=world.commune_b,
        letter_number=f"{FOREIGN_MARKER}-1",
        introduced_on=dt.date(2026, 3, 2),
        present_due_on=dt.date(2026, 4, 13),
        created_by=personas.officer_b,
    )
    _foreign_case(world, personas, member)
    _foreign_help(world, personas)
    _foreign_report(world, personas)
    _foreign_petition_and_trip(world, personas, member)
    _foreign_cadre(world, personas, member)
    _foreign_job(personas)
    flagged = Flag.objects.create(
        rule=Rule.BULK_VIEWING, actor=personas.officer_b, actor_name=personas.officer_b.username,
        window_start=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
        window_end=dt.datetime(2026, 3, 2, 9, 5, tzinfo=dt.UTC), count=60, threshold=50,
        organization=world.commune_b, created_at=dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC),
    )  # fmt: skip
    flagged.events.set(AuditEvent.objects.filter(organization__path__startswith=world.commune_b.path))
    BreakGlass.objects.create(  # ended: it opens nothing now, and waits for its review
        user=personas.officer_b, member_id=member.pk,
        label=f"{FOREIGN_MARKER} khẩn", organization=world.cell_b, reason="r",
        opened_at=dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC),
        expires_at=dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC),
    )  # fmt: skip
    access_actions.add_grant(
        personas.admin_root,
        personas.officer_b,
        world.cell_b,
        Role.OFFICER,
        reason=f"{FOREIGN_MARKER} quyết định",
    )
    return record_event(
        events.ORG_RENAMED.code,
        actor=personas.officer_b,
        obj=world.commune_b,
        reason=f"{FOREIGN_MARKER} secret event",
    )


def _foreign_job(personas: Personas) -> None:
    """Officer B's export, done, its file waiting: nobody else may see either."""
    job = Job.objects.create(
        owner=personas.officer_b,
        kind="hoso.people.jobs.export_members",
        title=f"{FOREIGN_MARKER} danh sách",
        state="done",
        sensitive=True,
        language="vi",
        output_name=f"{FOREIGN_MARKER}.pdf",
        output_type="application/pdf",
    )
    job.output.save("foreign", ContentFile(b"%PDF-1.4 " + FOREIGN_MARKER.encode()))


def _foreign_case(world: World, personas: Personas, member: Member) -> None:
    """A vetting case of commune B with a request, a reply, evidence, petition, conclusion."""
    boss = make_user("zzb_head", world.commune_b, Role.HEAD, Clearance.SECRET)
    officer = personas.officer_b
    case = vetting_actions.cases.open_case(
        officer,
        world.commune_b,
        CaseType.objects.get(code="KHAC"),
        member.person,
        purpose=f"{FOREIGN_MARKER} chức danh",
        competent_committee=world.commune_b,
        request_number=f"{FOREIGN_MARKER}-TTr",
        request_date=dt.date(2026, 3, 2),
        request_issuer="UB",
        received_on=dt.date(2026, 3, 4),
        handed_over_by="A",
        handover_items="B",
    )
    Case.objects.filter(pk=case.pk).update(
        state="verifying", decision_number="1-QĐ", decision_date=dt.date(2026, 3, 5)
    )
    case.refresh_from_db()
    # The directory of addressees is an installation-wide catalogue, offered on every form
    # that names a body (the request slips, a request for verification help): not commune B's
    # record, so its entry carries no marker (the slip's number, 01-PYC/ZZB, does).
    police = Addressee.objects.create(name="Phòng PV06 Công an tỉnh bạn", kind="police")
    (request,) = vetting_actions.requests.issue(
        officer,
        case,
        [verification.Target(person=member.person)],
        [police],
        questions="q",
        sent_on=dt.date(2026, 3, 12),
    )
    vetting_actions.requests.record_reply(
        officer,
        request,
        received_on=dt.date(2026, 3, 20),
        reference=f"{FOREIGN_MARKER}/1",
        summary="s",
        items=[("t", "f", "discrepancy")],
    )
    vetting_actions.cases.add_file(
        officer, case, SimpleUploadedFile("m.pdf", b"%PDF-1.4 m"), kind="minutes", title="m"
    )
    vetting_actions.cases.petition_received(
        member.person,
        reference=f"{FOREIGN_MARKER} đơn",
        received_on=dt.date(2026, 3, 21),
        summary="s",
    )
    Conclusion.objects.create(
        case=case,
        outcome="DU",
        outcome_label="Đủ",
        text=f"{FOREIGN_MARKER} kết luận",
        number="1-KL",
        signed_on=dt.date(2026, 4, 1),
        signer="S",
        authority="T/M",
        recorded_by=boss,
    )


def _foreign_help(world: World, personas: Personas) -> None:
    """A request for verification help commune B received, assigned and answered."""
    request = vetting_actions.help.receive(
        personas.officer_b,
        world.commune_b,
        received_on=dt.date(2026, 3, 2),
        requester=f"{FOREIGN_MARKER} Ban Tổ chức tỉnh bạn",
        sender_reference=f"{FOREIGN_MARKER}-CV",
        kind="verify",
        subject_name=f"{FOREIGN_MARKER} người được xác minh",
        subject_birth_year=1970,
        asked=f"{FOREIGN_MARKER} nội dung",
        classification=Clearance.CONFIDENTIAL,
    )
    vetting_actions.help.assign(User.objects.get(username="zzb_head"), request, personas.officer_b)
    vetting_actions.help.answer(
        personas.officer_b,
        request,
        answered_on=dt.date(2026, 3, 10),
        summary=f"{FOREIGN_MARKER} trả lời",
    )


def _foreign_report(world: World, personas: Personas) -> None:
    """Commune B's periodic report, written and submitted (numbered in its register)."""
    form = ReportForm.objects.get(code="BVCTNB")
    period = parse("2026-q1")
    report = report_actions.start(personas.officer_b, form, world.commune_b, period)
    report = report_actions.write(
        personas.officer_b,
        report,
        narrative={"1": f"{FOREIGN_MARKER} đánh giá"},
        signer_title="Trưởng ban",
        signer_name=f"{FOREIGN_MARKER} người ký",
        classification=Clearance.CONFIDENTIAL,
    )
    report_actions.submit(
        User.objects.get(username="zzb_head"), report, issued_on=dt.date(2026, 4, 2)
    )


def foreign_report() -> Report:
    return Report.objects.get(signer_name=f"{FOREIGN_MARKER} người ký")


def _foreign_petition_and_trip(world: World, personas: Personas, member: Member) -> None:
    officer = personas.officer_b
    petition = petition_actions.receive(
        officer,
        world.commune_b,
        received_on=dt.date(2026, 3, 2),
        channel="post",
        summary=f"{FOREIGN_MARKER} đơn thư",
        subjects=[(f"{FOREIGN_MARKER} người", "", None)],
        petitioner_name=f"{FOREIGN_MARKER} người gửi",
    )
    petition_actions.add_scan(officer, petition, SimpleUploadedFile("d.pdf", b"%PDF-1.4 d"))
    travel_actions.request_trip(
        officer,
        member,
        purpose="private",
        countries=f"{FOREIGN_MARKER} nước",
        planned_from=dt.date(2026, 6, 1),
        planned_to=dt.date(2026, 6, 5),
        funding="self",
        passport_type="ordinary",
        requested_on=dt.date(2026, 5, 1),
    )
    travel_actions.declare_relation(
        officer,
        member,
        kind="award",
        person_name=f"{FOREIGN_MARKER} huân chương",
        country="Lào",
        declared_on=dt.date(2026, 1, 12),
    )
    travel_actions.record_stay(
        officer,
        member,
        kind="study",
        country=f"{FOREIGN_MARKER} nước",
        place=f"{FOREIGN_MARKER} trường",
        decision_number=f"{FOREIGN_MARKER}-QĐ",
        decision_date=dt.date(2025, 8, 1),
        decision_issuer="UBND",
        since=dt.date(2025, 9, 1),
        planned_return=dt.date(2026, 6, 1),
        managing_body=f"{FOREIGN_MARKER} chi bộ",
    )


def _foreign_cadre(world: World, personas: Personas, member: Member) -> None:
    """Commune B's cadre (a key post without a conclusion: on its key-post page), its
    planning list and the member in it."""
    officer = personas.officer_b
    cadre = cadre_actions.records.open_record(officer, member.person, world.commune_b)
    kind, _ = PostKind.objects.get_or_create(
        code="BT_DU_XA", defaults={"name": "Bí thư", "key": True, "mode": "elected"}
    )
    cadre_actions.records.record_post(
        officer,
        cadre,
        kind=kind,
        title=f"{FOREIGN_MARKER} Bí thư",
        body=f"{FOREIGN_MARKER} xã",
        elected_body="BCH",
        term="2025-2030",
        started_on=dt.date(2025, 10, 1),
    )
    plan = cadre_actions.plans.create_plan(
        officer,
        world.commune_b,
        kind="planning",
        name=f"{FOREIGN_MARKER} quy hoạch",
        term="2030-2035",
        case_types="KHAC",
    )
    cadre_actions.plans.add_entry(
        officer, plan, member.person, decision_number="1-QĐ", decision_on=dt.date(2026, 1, 5)
    )


def _url(
    name: str, kwargs: frozenset[str], world: World, personas: Personas, event: AuditEvent
) -> str:
    if name in OBJECT_URLS:
        values = OBJECT_URLS[name](world, personas, event)
    else:
        values = dict(LIST_KWARGS.get(name, {}))
    if "format" in kwargs:
        values["format"] = "json"
    return reverse(name, kwargs={k: v for k, v in values.items() if k in kwargs})


_TOKENS = re.compile(r'("X-CSRFToken": "|csrfmiddlewaretoken" value=")[A-Za-z0-9]+')


def _body(response: Any) -> str:
    """The response text without CSRF tokens, whose random letters could spell the marker."""
    if getattr(response, "streaming", False):
        text = b"".join(response.streaming_content).decode("utf-8", "replace")
    else:
        text = response.content.decode("utf-8", "replace")
    return _TOKENS.sub(r"\1", text)


CALLERS = ["clerk_a", "officer_a", "auditor_a", "admin_a", "nobody"]


@pytest.mark.parametrize("caller", CALLERS)
def test_no_foreign_record_is_reachable(
    caller: str, world: World, personas: Personas, foreign_event: AuditEvent
) -> None:
    client = client_for(getattr(personas, caller))
    failures = []
    for name, kwargs in ALL_PATTERNS:
        if name in PUBLIC_URLS or name in OWN_ONLY:
            continue
        url = _url(name, kwargs, world, personas, foreign_event)
        for method in ("get", "post"):
            if name in LIST_URLS and method == "post":
                continue
            last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            response = getattr(client, method)(url)
            body = _body(response)
            read = [c for c in AuditEvent.objects.filter(pk__gt=last)
                    .values_list("event_type", flat=True) if events.get(c).is_read]  # fmt: skip
            if name in OBJECT_URLS and read:
                failures.append(f"{method.upper()} {url} refused, yet wrote reads {read}")
            if name in OBJECT_URLS and response.status_code not in (404, 405):
                failures.append(f"{method.upper()} {url} -> {response.status_code}, expected 404")
            if FOREIGN_MARKER.lower() in body.lower():
                failures.append(f"{method.upper()} {url} shows a foreign record")
    assert not failures, "\n".join(failures)


def test_the_matrix_can_fail(world: World, personas: Personas, foreign_event: AuditEvent) -> None:
    """The provincial head legitimately sees commune B: the same probes must find it."""
    client = client_for(personas.head_p)
    assert client.get(reverse("org-detail", kwargs={"pk": world.commune_b.pk})).status_code == 200
    assert FOREIGN_MARKER in _body(client.get(reverse("api-org-list")))


def test_anonymous_callers_are_sent_to_login(
    world: World, personas: Personas, foreign_event: AuditEvent
) -> None:
    client = Client()
    for name, kwargs in ALL_PATTERNS:
        if name in PUBLIC_URLS:
            continue
        url = _url(name, kwargs, world, personas, foreign_event)
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 401, url
        else:
            assert response.status_code in (302, 405), url
            if response.status_code == 302:
                assert response["Location"].startswith(reverse("login")), url


# ---- every sensitive read writes its event ---------------------------------------------------
# URL name -> (who reads it, the read event it must write, exactly once). Read by GET, unless
# READ_POSTS gives the form that asks for it. The readers see commune B legitimately: the
# provincial head, the provincial auditor for the trail, officer B for their own job.
READS: dict[str, tuple[str, str]] = {
    **{name: ("auditor_p", "audit.viewed") for name in ("audit-list", "api-audit-event-detail")},
    "api-audit-event-list": ("auditor_p", "api.listed"),
    "audit-export": ("auditor_p", "audit.exported"),
    "audit-flags": ("auditor_p", "audit.flags_viewed"),
    "audit-flag": ("auditor_p", "audit.flag_viewed"),
    **{name: ("officer_b", "job.output_downloaded") for name in ("job-download",
                                                                  "api-job-download")},
    **{name: ("head_p", "api.listed") for name in (
        "api-member-list", "api-case-list", "api-verification-request-list",
        "api-help-request-list", "api-petition-list", "api-trip-list", "api-relation-list",
        "api-stay-list", "api-cadre-list", "api-cadre-post-list", "api-plan-list",
        "api-plan-entry-list", "api-outgoing-document-list", "api-incoming-document-list",
    )},
    **{name: ("head_p", "list.viewed") for name in (
        "member-list", "transfer-list", "dossier-incomplete", "supplements", "case-list",
        "request-list", "help-list", "petition-list", "trip-list", "relation-list",
        "stay-list", "cadre-list", "cadre-key-posts", "documents-outgoing",
        "documents-incoming", "entry-add", "glass-review",
    )},
    **{name: ("head_p", "member.viewed") for name in (
        "member-detail", "member-dossier", "member-correct", "member-resume", "document-detail",
        "api-member-detail", "relative-identity", "api-relative-detail",
        "api-relative-candidates", "api-relative-list",
    )},
    "member-reveal": ("head_p", "member.sensitive_revealed"),
    "member-export": ("head_p", "member.exported"),
    "scan-download": ("head_p", "dossier.scan_opened"),
    **{name: ("head_p", "register.viewed") for name in (
        "register", "handover-detail", "api-outgoing-document-detail",
        "api-incoming-document-detail",
    )},
    "matters": ("head_p", "matters.viewed"),
    **{name: ("head_p", "person.viewed") for name in ("person-detail", "api-person-detail",
                                                       "api-person-candidates")},
    **{name: ("head_p", "person.duplicates_listed") for name in ("person-duplicates",
                                                                  "api-person-duplicates")},
    **{name: ("head_p", "case.viewed") for name in (
        "case-detail", "api-case-detail", "api-case-conclusions", "api-case-plan",
        "case-conclude", "conclusion-correct",
    )},
    "case-file": ("head_p", "case.file_opened"),
    # The new-case form of a member shows their history since their last conclusion.
    "case-new": ("head_p", "person.viewed"),
    **{name: ("head_p", "request.viewed") for name in ("request-detail",
                                                        "api-verification-request-detail")},
    **{name: ("head_p", "help.viewed") for name in ("help-detail", "api-help-request-detail")},
    **{name: ("head_p", "petition.viewed") for name in ("petition-detail", "api-petition-detail")},
    "petition-reveal": ("head_p", "petition.petitioner_revealed"),
    "petition-scan": ("head_p", "petition.scan_revealed"),
    **{name: ("head_p", "trip.viewed") for name in ("trip-detail", "api-trip-detail")},
    **{name: ("head_p", "stay.viewed") for name in ("stay-detail", "api-stay-detail",
                                                     "stay-correct")},
    "api-relation-detail": ("head_p", "relation.viewed"),
    **{name: ("head_p", "cadre.viewed") for name in (
        "cadre-detail", "api-cadre-detail", "api-cadre-post-detail", "cadre-correct",
        "post-correct",
    )},
    "cadre-export": ("head_p", "cadre.exported"),
    **{name: ("head_p", "plan.viewed") for name in ("plan-detail", "api-plan-detail",
                                                     "api-plan-entry-detail")},
    **{name: ("head_p", "report.viewed") for name in (
        "home", "report-home", "report-document", "report-status", "report-indicator",
        "api-reports",
    )},
    "report-records": ("head_p", "report.records_listed"),
    "glass-detail": ("head_p", "audit.viewed"),
    "report-export": ("head_p", "report.exported"),
}  # fmt: skip
READ_POSTS = {
    name: {"reason": "Thẩm tra theo Kế hoạch 12-KH"}
    for name in ("member-reveal", "petition-reveal", "petition-scan")
}
READ_QUERY: dict[str, Foreign] = {
    "api-person-duplicates": lambda w, p, e: {"org": w.commune_b.code},
    "api-relative-list": lambda w, p, e: {"member": foreign_member().pk},
    "entry-add": lambda w, p, e: {"q": "Nguyễn"},
    "case-new": lambda w, p, e: {"member": foreign_member().pk},
    **{name: (lambda w, p, e: {"member": foreign_member().pk})
       for name in ("trip-new", "stay-new", "relation-new")},
}  # fmt: skip
# Pages that read more than once, each read its own: the period, and the same period of the
# previous year (via: comparison); the indicator page adds its quarterly trend.
READ_COUNTS = {"report-home": 2, "report-indicator": 3}
# Routes whose GET shows no sensitive record, with the reason; (who opens them, why). Their
# GET must write no read event: a route that starts reading moves to READS.
NOT_READS: dict[str, tuple[str, str]] = {
    **{name: ("head_p", "the organization tree: names and codes") for name in (
        "org-tree", "org-detail", "org-children", "org-pick", "org-action", "api-org-list",
        "api-org-detail",
    )},
    **{name: ("admin_root", "accounts and roles, no dossier") for name in (
        "account-detail", "account-new",
    )},
    **{name: ("head_p", "accounts and roles, no dossier") for name in (
        "account-list", "access-requests",
    )},
    **{name: ("head_p", "the caller's own: profile, tokens, jobs, notifications") for name in (
        "profile", "api-tokens", "jobs", "api-job-list", "notices", "api-notification-list",
    )},
    **{name: ("officer_b", "the caller's own job; its output's download is the read")
       for name in ("job-detail", "job-progress", "api-job-detail")},
    **{name: ("head_p", "a catalogue or the working-day calendar") for name in (
        "admin-units", "api-cadre-category-list", "api-post-kind-list", "calendar",
        "api-calendar", "case-types",
    )},
    **{name: ("admin_root", "installation settings: catalogues, templates, report forms")
       for name in ("calendar-day", "calendar-import", "calendar-import-template", "catalogue",
                    "catalogue-item", "case-type-edit",
                    "report-forms", "report-layout", "documents-templates")},
    **{name: ("head_p", "the API's index and schema") for name in ("api-root", "api-schema")},
    **{name: ("head_p", "a blank form or template for a new record") for name in (
        "member-new", "member-import", "member-import-template", "cadre-new", "cadre-import",
        "cadre-import-template", "help-new", "petition-new", "plan-new",
    )},
    **{name: ("head_p", "a form that names its record only (the read is the record's page)")
       for name in ("member-move", "member-transfer", "supplement-declare", "request-new",
                    "documents-generate", "trip-new", "stay-new", "relation-new")},
    "books": ("head_p", "the index of the books: links only"),
    "plan-list": ("head_p", "the names of the lists, no person"),
    "handovers": ("head_p", "handover records: date, keepers, reason; the record is the read"),
    "deadlines": ("head_p", "the office's due ceremonies: a work queue of names and dates"),
    "reconciliation": ("head_p", "counts per organization, no person"),
    "report-kept": ("head_p", "a redirect to the kept copy of a report"),
    "glass-open": ("head_p", "the caller's own emergency accesses, and the form to open one"),
}  # fmt: skip
# Reads tested where their data exists: the case type of this world has no verification plan.
READS_ELSEWHERE = {"case-plan-print": "tests/vetting/test_plan.py (case.viewed via plan)"}


def _read_codes(
    client: Client, method: str, url: str, data: dict[str, Any]
) -> tuple[int, list[str]]:
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = getattr(client, method)(url, data)
    _body(response)  # a streamed download is read to its end, as a browser would
    written = AuditEvent.objects.filter(pk__gt=last).values_list("event_type", flat=True)
    return response.status_code, [code for code in written if events.get(code).is_read]


def test_every_sensitive_read_writes_its_event(
    world: World, personas: Personas, foreign_event: AuditEvent
) -> None:
    clients: dict[str, Client] = {}
    failures = []
    for name, kwargs in ALL_PATTERNS:
        if name in PUBLIC_URLS or name in OWN_ONLY or name in READS_ELSEWHERE:
            continue
        who, expected = READS.get(name) or NOT_READS.get(name) or ("head_p", "")
        client = clients.setdefault(who, client_for(getattr(personas, who)))
        url = _url(name, kwargs, world, personas, foreign_event)
        query = READ_QUERY[name](world, personas, foreign_event) if name in READ_QUERY else {}
        method = "post" if name in READ_POSTS else "get"
        status, codes = _read_codes(client, method, url, READ_POSTS.get(name) or query)
        if name in READS:
            times = READ_COUNTS.get(name, 1)
            if status >= 400 or codes != [expected] * times:
                failures.append(f"{name}: {status}, read events {codes}, expected {expected}")
        elif name in NOT_READS:
            if status >= 400 or codes:
                failures.append(f"{name}: {status}, read events {codes}, expected none")
        elif status != 405:
            failures.append(f"{name}: GET answers {status}: classify it in READS or NOT_READS")
    assert not failures, "\n".join(failures)


def test_read_classification_names_only_real_routes() -> None:
    names = {name for name, _ in ALL_PATTERNS}
    classified = set(READS) | set(NOT_READS) | set(READS_ELSEWHERE)
    assert classified <= names, sorted(classified - names)
    assert set(READ_COUNTS) <= set(READS)
    assert not set(READS) & set(NOT_READS)
    assert all(events.get(code).is_read for _, code in READS.values())
