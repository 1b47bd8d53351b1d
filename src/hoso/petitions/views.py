"""Petition pages: intake, the list with counts, the petition page and its actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.audit import reasons
from hoso.audit.reads import excel_list, listed
from hoso.documents.models import OutgoingDocument
from hoso.lib import periods, query
from hoso.lib.respond import attempt, private_file
from hoso.notices.due import WARN_DAYS
from hoso.people.models import Member
from hoso.petitions import actions, reads
from hoso.petitions.forms import ClassifyForm, ClockForm, IntakeForm, MaskedScanForm, MoveForm
from hoso.petitions.models import Kind, Outcome, Petition, Reason, Scan, State
from hoso.petitions.transitions import PETITIONS

A = policy.Action
COLUMNS = [
    ("Số đến", lambda p: p.reference),
    ("Ngày nhận", lambda p: p.received_on.strftime("%d/%m/%Y")),
    ("Nguồn", lambda p: p.get_channel_display()),
    ("Người bị phản ánh", lambda p: "; ".join(s.name for s in p.subjects.all())),
    ("Nội dung", lambda p: p.summary),
    ("Loại đơn", lambda p: p.get_kind_display()),
    ("Tình trạng", lambda p: p.get_state_display()),
    ("Lý do không xử lý", lambda p: p.get_reason_display()),
    ("Hạn", lambda p: p.due_on.strftime("%d/%m/%Y")),
    ("Kết quả", lambda p: p.get_outcome_display()),
]  # the petitioner's identity is never exported

FILTERS = {
    "open": lambda qs, d: qs.open(),
    # Near the limit: the worker's warning window (notices.due.WARN_DAYS), not yet overdue.
    "soon": lambda qs, d: qs.open().filter(
        paused_since__isnull=True, due_on__gte=d, due_on__lte=d + dt.timedelta(days=WARN_DAYS)
    ),
    "overdue": lambda qs, d: qs.open().filter(paused_since__isnull=True, due_on__lt=d),
    "all": lambda qs, d: qs,
}


def counts(qs: QuerySet[Petition], start: dt.date, end: dt.date) -> dict[str, Any]:
    """Received in the period, by what became of them; by kind and outcome; by office."""
    period = qs.filter(received_on__gte=start, received_on__lte=end)
    totals = period.aggregate(
        received=Count("id"),
        not_handled=Count(
            "id", filter=Q(state=State.NOT_HANDLED) | Q(state=State.CLOSED, reason__gt="")
        ),
        forwarded=Count("id", filter=~Q(forwarded_to="")),
        accepted=Count("id", filter=Q(accepted_on__isnull=False)),
        concluded=Count("id", filter=Q(concluded_on__isnull=False)),
    )
    by_reason = dict(period.exclude(reason="").values_list("reason").annotate(n=Count("id")))
    by_kind = list(
        period.exclude(kind="")
        .values("kind", "outcome")
        .annotate(n=Count("id"))
        .order_by("kind", "outcome")
    )
    by_office = list(
        period.values("organization__name")
        .annotate(n=Count("id"))
        .order_by("-n", "organization__name")
    )
    kinds, outcomes = dict(Kind.choices), dict(Outcome.choices)
    return {
        **totals,
        "by_reason": [(Reason(r).label, n) for r, n in by_reason.items()],
        "by_kind": [(kinds[r["kind"]], outcomes.get(r["outcome"], "—"), r["n"]) for r in by_kind],
        "by_office": by_office,
    }


def petition_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not policy.scope_paths(user, A.PETITION_VIEW):
        raise Http404
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    visible = Petition.objects.visible_to(user)
    rows = FILTERS.get(show, FILTERS["open"])(visible, today)
    if request.GET.get("kind") in Kind.values:
        rows = rows.filter(kind=request.GET["kind"])
    rows = rows.select_related("incoming", "organization").prefetch_related("subjects")
    if request.GET.get("format") == "xlsx":
        return excel_list(user, "don-thu", "Sổ theo dõi đơn thư", COLUMNS, rows, request.GET)
    start, end = periods.from_query(request.GET, today)
    shown_rows = list(rows[:500])
    listed(user, "petitions", request.GET, len(shown_rows))
    return render(
        request,
        "petitions/list.html",
        {
            "rows": shown_rows,
            "show": show,
            "today": today,
            "start": start,
            "end": end,
            "counts": counts(visible, start, end),
            "can_add": bool(policy.scope_paths(user, A.PETITION_MANAGE)),
        },
    )


def petition_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not policy.scope_paths(user, A.PETITION_MANAGE):
        raise Http404
    member_id = query.record_id(request.GET, "member") or query.record_id(request.POST, "member")
    member = (
        get_object_or_404(Member.objects.visible_to(user).select_related("person"), pk=member_id)
        if member_id
        else None
    )
    form = IntakeForm(
        request.POST or None,
        request.FILES or None,
        actor=user,
        initial={"received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        scan, masked = data.pop("scan"), data.pop("masked_scan")
        subjects: list[Any] = [(n, p, None) for n, p in form.subject_rows()]
        data.pop("subjects")
        if member is not None:
            subjects.insert(0, (member.person.full_name, member.organization.name, member.person))
        try:
            with transaction.atomic():
                petition = actions.receive(
                    user, data.pop("organization"), subjects=subjects, **data
                )
                if scan:
                    original = actions.add_scan(user, petition, scan)
                    if masked:
                        actions.add_masked_copy(user, original, masked)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Petition registered: arrival number %(n)s.") % {"n": petition.reference}
            )
            return redirect("petition-detail", pk=petition.pk)
    return render(request, "petitions/new.html", {"form": form, "member": member})


def _visible(request: HttpRequest, pk: int) -> Petition:
    petition: Petition = get_object_or_404(
        Petition.objects.visible_to(request.user).select_related("incoming", "organization"),
        pk=pk,
    )
    return petition


def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    petition = reads.open_petition(user, pk)
    manage = policy.can(user, A.PETITION_MANAGE, petition.organization, petition.classification)
    moves = PETITIONS.available(petition, user)
    subjects = list(petition.subjects.select_related("person"))
    members = {s.person_id: getattr(s.person, "member", None) for s in subjects if s.person}
    return render(
        request,
        "petitions/detail.html",
        {
            "p": petition,
            "subjects": subjects,
            "manage": manage,
            "moves": moves,
            "classify_form": ClassifyForm()
            if manage and petition.state == State.RECEIVED
            else None,
            "move_form": MoveForm(initial={"on": timezone.localdate()}),
            "clock_form": ClockForm(initial={"on": timezone.localdate()}),
            "can_reveal": policy.can(
                user, A.PETITION_REVEAL, petition.organization, petition.classification
            ),
            "sealed": any(getattr(petition, f) for f in Petition.sealed_fields),
            "steps": petition.steps.select_related("by"),
            "pauses": petition.pauses.all(),
            "notices": OutgoingDocument.objects.visible_to(user)
            .filter(object_type="petitions.petition", object_id=str(petition.pk))
            .select_related("kind"),
            "extensions": petition.extensions.all(),
            # Originals (sealed) with their masked copies, which are what officers open.
            "scans": petition.scans.filter(masked=False).prefetch_related("masked_copies"),
            "case_member": next((m for m in members.values() if m is not None), None),
            "can_open_case": policy.can(user, A.CASE_MANAGE, petition.organization),
        },
    )


def _done(request: HttpRequest, petition: Petition, call: Any, success: Any) -> HttpResponse:
    attempt(request, call, success)
    return redirect("petition-detail", pk=petition.pk)


def moved(petition: Petition) -> str:
    """The confirmation of a step, said once it is made: the petition and its new state."""
    return _("Petition %(n)s moved to the step “%(state)s”.") % {
        "n": petition.reference,
        "state": petition.get_state_display(),
    }


def clock_told(petition: Petition) -> str:
    if petition.paused_since is not None:
        return _("Petition %(n)s: the clock is paused since %(date)s.") % {
            "n": petition.reference,
            "date": petition.paused_since.strftime("%d/%m/%Y"),
        }
    return _("Petition %(n)s: the time limit is now %(date)s.") % {
        "n": petition.reference,
        "date": petition.due_on.strftime("%d/%m/%Y"),
    }


@require_POST
def petition_classify(request: HttpRequest, pk: int) -> HttpResponse:
    petition = _visible(request, pk)
    form = ClassifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Answer every classification question."))
        return redirect("petition-detail", pk=pk)
    return _done(
        request,
        petition,
        lambda: actions.classify(acting_user(request), petition, **form.cleaned_data),
        moved,
    )


@require_POST
def petition_move(request: HttpRequest, pk: int) -> HttpResponse:
    petition = _visible(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid() or form.cleaned_data["move"] not in PETITIONS.moves:
        raise Http404
    data = dict(form.cleaned_data)
    name = data.pop("move")
    return _done(
        request,
        petition,
        lambda: actions.move(acting_user(request), petition, name, **data),
        moved,
    )


@require_POST
def petition_clock(request: HttpRequest, pk: int) -> HttpResponse:
    petition = _visible(request, pk)
    form = ClockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date."))
        return redirect("petition-detail", pk=pk)
    user, data, what = acting_user(request), form.cleaned_data, request.POST.get("what")

    def call() -> Any:
        if what == "extend":
            return actions.extend_deadline(
                user,
                petition,
                days=data["days"] or 0,
                reason=data["reason"],
                decision=data["decision"],
            )
        if petition.paused_since is None:
            return actions.pause(user, petition, on=data["on"], reason=data["reason"])
        return actions.resume(user, petition, on=data["on"])

    return _done(request, petition, call, clock_told)


@require_POST
def petition_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The sealed identity as a fragment swapped into the page, once a reason is typed;
    refused looks like missing."""
    petition = _visible(request, pk)
    user = acting_user(request)
    if not policy.can(user, A.PETITION_REVEAL, petition.organization, petition.classification):
        raise Http404
    try:
        identity = actions.reveal(user, petition, reason=request.POST.get("reason", ""))
    except reasons.ReasonError as exc:
        if request.headers.get("HX-Request"):
            return render(request, "petitions/_identity.html", {"error": str(exc)})
        messages.error(request, str(exc))
        return redirect("petition-detail", pk=pk)
    return render(request, "petitions/_identity.html", {"identity": identity})


@require_http_methods(["GET", "POST"])
def petition_scan(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """A masked copy for whoever sees the petition; the sealed original only to those who may
    reveal the petitioner, posted with a reason (anyone else gets 404, as for a missing scan)."""
    scan = get_object_or_404(Scan, pk=pk)
    scan.petition = petition = _visible(request, scan.petition_id)
    user = acting_user(request)
    if not scan.masked and not policy.can(
        user, A.PETITION_REVEAL, petition.organization, petition.classification
    ):
        raise Http404
    try:
        actions.open_scan(user, scan, reason=request.POST.get("reason", ""))
    except reasons.ReasonError as exc:
        messages.error(request, str(exc))
        return redirect("petition-detail", pk=petition.pk)
    return private_file(scan.file, scan.content_type, scan.original_name)


@require_POST
def petition_scan_mask(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach the masked copy (the letter scanned with the identity covered) to an original."""
    original = get_object_or_404(Scan, pk=pk)
    original.petition = petition = _visible(request, original.petition_id)
    form = MaskedScanForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the masked copy (PDF or image)."))
        return redirect("petition-detail", pk=petition.pk)
    upload = form.cleaned_data["file"]
    return _done(
        request,
        petition,
        lambda: actions.add_masked_copy(acting_user(request), original, upload),
        _("Masked copy added: officers work on it."),
    )
