"""Annual supplements, the internal political matters log, dossier handovers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.audit import events
from hoso.audit.chain import record
from hoso.audit.reads import listed
from hoso.documents import papers
from hoso.documents.render import shipped_template_sha256
from hoso.documents.views import paper_response
from hoso.lib import excel, query, replica
from hoso.orgs.models import Organization
from hoso.people import actions, books, reconcile
from hoso.people.due import upcoming
from hoso.people.filters import MemberFilterForm
from hoso.people.forms import HandoverForm, MatterForm, SupplementForm
from hoso.people.models import (
    AnnualSupplement,
    Handover,
    MatterEntry,
    Member,
)
from hoso.people.search import page
from hoso.people.views.dossier import _member
from hoso.people.views.members import export_members


def _need(request: HttpRequest, action: str) -> None:
    if not policy.scope_paths(request.user, action):
        raise Http404


def supplements(request: HttpRequest) -> HttpResponse:
    _need(request, policy.Action.MEMBER_VIEW)
    year = query.year(request.GET, default=timezone.localdate().year - 1)
    form = MemberFilterForm(request.GET)
    members = form.apply(Member.objects.visible_to(request.user), request.user)
    declared = request.GET.get("declared") == "1"  # only those waiting to be certified
    due: Any = (books.to_certify if declared else books.supplements_due)(members, year)
    if request.GET.get("format") == "xlsx":
        return export_members(
            request,
            due.select_related("person", "organization"),
            f"Chưa bổ sung hồ sơ {year}",
            f"bo-sung-{year}",
            {"year": year},
        )
    rows, following = page(
        due.select_related("person", "organization"), request.GET.get("after", "")
    )
    pending = {
        s.member_id: s
        for s in AnnualSupplement.objects.filter(member__in=[m.pk for m in rows], year=year)
    }
    params = request.GET.copy()
    params.pop("after", None)
    listed(request.user, "supplements", request.GET, len(rows))
    return render(
        request,
        "people/supplements.html",
        {
            "year": year,
            "form": form,
            "next": following,
            "query": params.urlencode(),
            "rows": [(m, pending.get(m.pk)) for m in rows],
            "today": timezone.localdate(),
        },
    )


def supplement_declare(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    policy.require(request.user, policy.Action.MEMBER_MANAGE, member.organization)
    form = SupplementForm(
        request.POST or None,
        initial={"year": timezone.localdate().year - 1, "declared_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.books.declare_supplement(acting_user(request), member, **form.cleaned_data)
        except actions.books.BookError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Supplementary declaration of %(year)s recorded for %(name)s.")
                % {"year": form.cleaned_data["year"], "name": member.person.display_name},
            )
            return redirect("member-detail", pk=pk)
    return render(
        request,
        "people/move.html",
        {"member": member, "form": form, "title": _("Annual supplement (3-HSĐV)")},
    )


@require_POST
def supplement_certify(request: HttpRequest, pk: int) -> HttpResponse:
    supplement = get_object_or_404(
        AnnualSupplement.objects.filter(
            member__in=Member.objects.visible_to(request.user)
        ).select_related("member"),
        pk=pk,
    )
    day = query.day(request.POST, "certified_on", timezone.localdate())
    try:
        actions.books.certify_supplement(acting_user(request), supplement, certified_on=day)
        messages.success(request, _("Certified."))
    except actions.books.BookError as exc:
        messages.error(request, str(exc))
    return redirect(f"{reverse('supplements')}?year={supplement.year}")


MATTER_COLUMNS = [
    ("Ngày", lambda e: e.recorded_on.strftime("%d/%m/%Y")),
    ("Người được ghi nhận", lambda e: e.subject),
    ("Nội dung", lambda e: e.matter),
    ("Tài liệu nguồn", lambda e: e.source),
    ("Vụ việc, đơn thư", lambda e: e.case_reference),
    ("Tổ chức đảng", lambda e: e.organization.name),
    ("Độ mật", lambda e: e.get_classification_display()),
]


def matters(request: HttpRequest) -> HttpResponse:
    _need(request, policy.Action.MEMBER_VIEW)
    user = acting_user(request)
    can_add = bool(policy.scope_paths(user, policy.Action.MEMBER_MANAGE))
    form = MatterForm(request.POST or None, actor=user) if can_add else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                actions.books.add_matter(user, data.pop("organization"), **data)
            except actions.books.BookError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Entry added to the matters log."))
                return redirect("matters")
    entries = books.matters_filter(MatterEntry.objects.visible_to(user), request.GET.get("q", ""))
    entries = entries.select_related("organization")[:500]
    wants_excel = request.GET.get("format") == "xlsx"
    record(
        events.MATTERS_VIEWED.code,
        actor=user,
        organization=user.organization,
        details={"q": request.GET.get("q", ""), "export": wants_excel},
    )
    if wants_excel:
        response = HttpResponse(
            excel.write_table("Sổ ghi chép", MATTER_COLUMNS, entries),
            content_type=excel.CONTENT_TYPE,
        )
        response["Content-Disposition"] = 'attachment; filename="so-ghi-chep-ctnb.xlsx"'
        return response
    return render(
        request,
        "people/matters.html",
        {"entries": entries, "form": form, "q": request.GET.get("q", "")},
    )


def handovers(request: HttpRequest) -> HttpResponse:
    _need(request, policy.Action.MEMBER_VIEW)
    user = acting_user(request)
    can_add = bool(policy.scope_paths(user, policy.Action.MEMBER_MANAGE))
    form = (
        HandoverForm(request.POST or None, actor=user, initial={"date": timezone.localdate()})
        if can_add
        else None
    )
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = dict(form.cleaned_data)
            handover = actions.books.create_handover(user, data.pop("organization"), **data)
            return redirect("handover-detail", pk=handover.pk)
    return render(
        request,
        "people/handovers.html",
        {
            "handovers": Handover.objects.visible_to(user).select_related("organization")[:200],
            "form": form,
        },
    )


def handover_detail(request: HttpRequest, pk: int) -> HttpResponse:
    handover = get_object_or_404(
        Handover.objects.visible_to(request.user).select_related("organization"), pk=pk
    )
    file_format = request.GET.get("format", "")
    if file_format in {"pdf", "docx"}:
        items = list(handover.items.all())
        total = books.totals(handover)
        rows = [
            [str(n), i.description, str(i.documents), str(i.pages)]
            for n, i in enumerate(items, start=1)
        ]
        rows.append(
            [
                "",
                f"Cộng: {total['dossiers']} hồ sơ",
                str(total["documents"] or 0),
                str(total["pages"] or 0),
            ]
        )
        record(
            events.DOCUMENT_GENERATED.code,
            actor=request.user,
            obj=handover,
            organization=handover.organization,
            details={
                "handover": handover.pk,
                "format": file_format,
                "template_sha256": shipped_template_sha256(file_format),
            },
        )
        return paper_response(
            papers.from_table(
                handover.organization,
                kind="Biên bản bàn giao hồ sơ đảng viên",
                summary=handover.reason,
                date=handover.date,
                headers=["STT", "Nội dung", "Số tài liệu", "Số trang"],
                rows=rows,
                signer_title="Người giao",
                signer_name=handover.from_keeper,
                body=[
                    f"Bên giao: {handover.from_keeper}, {handover.organization.name}.",
                    f"Bên nhận: {handover.to_keeper}, {handover.receiver}.",
                    "Người nhận (ký, ghi rõ họ tên): ...................................",
                ],
            ),
            file_format,
            f"ban-giao-{handover.pk}",
        )
    record(  # the record of which dossiers changed hands: a page of the handover register
        events.REGISTER_VIEWED.code,
        actor=request.user,
        obj=handover,
        details={"register": "handovers", "handover": handover.pk},
    )
    return render(
        request,
        "people/handover.html",
        {"h": handover, "items": handover.items.all(), "totals": books.totals(handover)},
    )


def books_hub(request: HttpRequest) -> HttpResponse:
    _need(request, policy.Action.MEMBER_VIEW)
    return render(request, "people/books.html")


DEADLINES_SHOWN = 200  # rows of each list on the deadlines page
MAX_REPORTED = 1_000_000  # members of one unit: more is a typing error


@replica.served
def reconciliation(request: HttpRequest) -> HttpResponse:
    """Member counts per unit for a quarter, compared with what each unit reported."""
    _need(request, policy.Action.MEMBER_VIEW)
    user = acting_user(request)
    visible = Organization.objects.visible_to(user, policy.Action.MEMBER_VIEW)
    code = request.GET.get("org", "").strip().upper()
    paths = policy.scope_paths(user, policy.Action.MEMBER_VIEW)
    parent = visible.filter(code=code).first() if code else visible.filter(path=paths[0]).first()
    if parent is None:
        raise Http404
    today = timezone.localdate()
    year = query.year(request.GET, default=today.year)
    quarter = query.integer(request.GET, "quarter", (today.month - 1) // 3 + 1, low=1, high=4)
    if request.method == "POST":
        unit: Organization = get_object_or_404(visible, pk=query.record_id(request.POST, "unit"))
        count = query.integer(request.POST, "count", -1, low=0, high=MAX_REPORTED)
        if count >= 0:
            actions.books.report_count(user, unit, year=year, quarter=quarter, count=count)
            messages.success(
                request,
                _("%(unit)s reported %(count)s members for quarter %(quarter)s/%(year)s.")
                % {"unit": unit.name, "count": count, "quarter": quarter, "year": year},
            )
        return redirect(
            f"{reverse('reconciliation')}?org={parent.code}&year={year}&quarter={quarter}"
        )
    rows = reconcile.reconcile(parent, year, quarter)
    return render(
        request,
        "people/reconciliation.html",
        {
            "parent": parent,
            "rows": rows,
            "year": year,
            "quarter": quarter,
            "can_report": policy.can(user, policy.Action.MEMBER_MANAGE, parent),
        },
    )


def deadlines(request: HttpRequest) -> HttpResponse:
    """Admission steps and transfers due within 30 days or overdue, earliest first."""
    _need(request, policy.Action.MEMBER_VIEW)
    today = timezone.localdate()
    due = upcoming(acting_user(request), today)
    related = ("person", "organization")
    return render(
        request,
        "people/deadlines.html",
        {
            "ceremonies": due["ceremonies"].select_related(*related)[:DEADLINES_SHOWN],
            "recognitions": due["recognitions"].select_related(*related)[:DEADLINES_SHOWN],
            "transfers": due["transfers"].select_related("member__person", "from_org", "to_org")[
                :DEADLINES_SHOWN
            ],
            "today": today,
        },
    )
