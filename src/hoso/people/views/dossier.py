"""The dossier page: checklist, documents, scans (access-checked), corrections, history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.audit import events
from hoso.audit.chain import record
from hoso.audit.reads import listed
from hoso.lib.respond import private_file
from hoso.people import actions, dossier, reads
from hoso.people.filters import MemberFilterForm
from hoso.people.forms import ApprovalForm, DocumentForm, PersonForm, ScanForm
from hoso.people.models import Correction, DossierDocument, Member, Person, Scan
from hoso.people.search import page
from hoso.people.views.members import export_members


def _member(request: HttpRequest, pk: int, *, opened: bool = False) -> Member:
    """The member for a page about them; `opened`: a page that only shows the dossier (the
    resume), which an emergency access opens too."""
    members = Member.objects
    visible = members.opened_to(request.user) if opened else members.visible_to(request.user)
    member: Member = get_object_or_404(visible.select_related("person", "organization"), pk=pk)
    return member


def _document(request: HttpRequest, pk: int) -> DossierDocument:
    # A page that shows the document (or its scan) only: an emergency access opens it too.
    document: DossierDocument = get_object_or_404(
        DossierDocument.objects.opened_to(request.user).select_related(
            "member__person", "member__organization", "doc_type"
        ),
        pk=pk,
    )
    return document


def member_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    member = reads.open_member(acting_user(request), pk, page="dossier")
    # Documents above the reader's clearance stay out of the checklist entirely.
    visible = set(
        DossierDocument.objects.opened_to(request.user)
        .filter(member=member)
        .values_list("pk", flat=True)
    )
    rows = [
        (t, [d for d in docs if d.pk in visible], state)
        for t, docs, state in dossier.checklist(member)
    ]
    can_manage = policy.can(request.user, policy.Action.MEMBER_MANAGE, member.organization)
    return render(
        request,
        "people/dossier.html",
        {
            "member": member,
            "rows": rows,
            "can_manage": can_manage,
            "form": DocumentForm(actor=request.user) if can_manage else None,
            "corrections": Correction.objects.filter(member=member).select_related("corrected_by"),
        },
    )


@require_POST
def dossier_add(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    form = DocumentForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            actions.dossier.add_document(acting_user(request), member, **form.cleaned_data)
            messages.success(request, _("Document recorded."))
        except actions.dossier.DossierError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, form.errors.as_text())
    return redirect("member-dossier", pk=pk)


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    user = acting_user(request)
    fields = sorted(dossier.CORRECTABLE[DossierDocument])
    # The form gets its own copy: binding writes the new values into its instance, and
    # correct() must compare them with the recorded ones.
    form = DocumentForm(
        request.POST or None, instance=DossierDocument.objects.get(pk=pk), actor=user
    )
    approval = ApprovalForm(request.POST or None)
    if request.method == "POST" and request.POST.get("op") == "scan":
        scan_form = ScanForm(request.POST, request.FILES)
        if scan_form.is_valid():
            try:
                actions.dossier.add_scan(user, document, scan_form.cleaned_data["file"])
                messages.success(request, _("Scan added."))
            except actions.dossier.DossierError as exc:
                messages.error(request, str(exc))
        return redirect("document-detail", pk=pk)
    if request.method == "POST" and form.is_valid() and approval.is_valid():
        changes = {k: form.cleaned_data[k] for k in fields if k in form.cleaned_data}
        try:
            actions.dossier.correct(user, document, changes, **approval.cleaned_data)
        except (actions.dossier.DossierError, ValidationError) as exc:
            approval.add_error(None, str(exc))
        else:
            messages.success(request, _("Correction recorded."))
            return redirect("document-detail", pk=pk)
    reads.note_member(user, document.member, "document", document=pk)
    return render(
        request,
        "people/document.html",
        {
            "document": document,
            "form": form,
            "approval": approval,
            "scan_form": ScanForm(),
            "can_manage": policy.can(
                user,
                policy.Action.MEMBER_MANAGE,
                document.member.organization,
                document.classification,
            ),
            "history": Correction.objects.filter(
                object_type="people.dossierdocument", object_id=pk
            ).select_related("corrected_by"),
        },
    )


def scan_download(request: HttpRequest, pk: int) -> FileResponse:
    """Scans have no public address: every download is checked and recorded."""
    scan = get_object_or_404(Scan.objects.select_related("document"), pk=pk)
    document = _document(request, scan.document_id)
    record(
        events.SCAN_OPENED.code,
        actor=request.user,
        obj=document.member,
        organization=document.member.organization,
        details={
            "document": document.pk,
            "scan": scan.pk,
            **reads.glass(acting_user(request), document.member),
        },
    )
    return private_file(scan.file, scan.content_type, scan.original_name)


def member_correct(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    policy.require(request.user, policy.Action.MEMBER_MANAGE, member.organization)
    # A separate copy for the form, as in document_detail: correct() compares with the record.
    form = PersonForm(
        request.POST or None,
        instance=Person.objects.get(pk=member.person_id),
        masked=True,  # the sensitive fields are read only through a reveal, with its reason
    )
    approval = ApprovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and approval.is_valid():
        changes = form.changes(dossier.CORRECTABLE[type(member.person)])
        try:
            actions.dossier.correct(
                acting_user(request),
                member.person,
                changes,
                **approval.cleaned_data,
            )
        except (actions.dossier.DossierError, ValidationError) as exc:
            approval.add_error(None, str(exc))
        else:
            messages.success(request, _("Correction recorded."))
            return redirect("member-detail", pk=pk)
    reads.note_member(acting_user(request), member, "correct")  # the form shows the record
    return render(
        request, "people/correct.html", {"member": member, "form": form, "approval": approval}
    )


def incomplete_list(request: HttpRequest) -> HttpResponse:
    if not policy.scope_paths(request.user, policy.Action.MEMBER_VIEW):
        raise Http404
    form = MemberFilterForm(request.GET)
    qs: Any = dossier.incomplete(form.apply(Member.objects.visible_to(request.user), request.user))
    if request.GET.get("format") == "xlsx":
        return export_members(
            request,
            qs.select_related("person", "organization"),
            "Hồ sơ còn thiếu",
            "ho-so-thieu",
            {},
        )
    rows, following = page(
        qs.select_related("person", "organization"), request.GET.get("after", "")
    )
    query = request.GET.copy()
    query.pop("after", None)
    listed(request.user, "incomplete-dossiers", request.GET, len(rows))
    return render(
        request,
        "people/incomplete.html",
        {"form": form, "members": rows, "next": following, "query": query.urlencode()},
    )
