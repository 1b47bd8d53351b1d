"""Requests for verification help from other bodies (xác minh, nghiên cứu giúp): the queues
and the period's counts, registering one, its page and its actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.access.roles import Clearance
from hoso.audit.reads import excel_list, listed
from hoso.documents.models import IncomingDocument
from hoso.lib import periods, query
from hoso.lib.respond import attempt
from hoso.people.models import Person
from hoso.vetting import actions, reads
from hoso.vetting import help as texts
from hoso.vetting.forms import (
    HelpAnswerForm,
    HelpAssignForm,
    HelpDueForm,
    HelpForm,
    HelpPersonForm,
    ReasonForm,
)
from hoso.vetting.models import Addressee, HelpKind, HelpQuerySet, HelpRequest, HelpRule
from hoso.vetting.transitions import HELP, HELP_LABELS, HelpMove

A = policy.Action
LIMIT = 500

COLUMNS = [
    ("Số đến", lambda h: h.reference),
    ("Ngày đến", lambda h: h.received_on.strftime("%d/%m/%Y")),
    ("Cơ quan đề nghị", lambda h: h.requester),
    ("Số, ký hiệu văn bản đề nghị", lambda h: h.incoming.sender_reference),
    ("Nội dung đề nghị", lambda h: h.get_kind_display()),
    ("Người được đề nghị xác minh", lambda h: h.subject_label),
    ("Hạn trả lời", lambda h: h.due_on.strftime("%d/%m/%Y")),
    ("Trạng thái", lambda h: h.get_state_display()),
    ("Người thụ lý", lambda h: str(h.assignee or "")),
    ("Văn bản trả lời", lambda h: h.answer.reference if h.answer else ""),
    ("Ngày trả lời", lambda h: h.answered_on.strftime("%d/%m/%Y") if h.answered_on else ""),
]


def _queue_name(request: HttpRequest, visible: HelpQuerySet, user: Any) -> str:
    """The queue asked for; by default the user's own work when they have some."""
    name = request.GET.get("queue", "")
    if name in texts.QUEUES:
        return name
    return "mine" if visible.open().filter(assignee=user.pk).exists() else "open"


def _filtered(request: HttpRequest, rows: Any) -> Any:
    params = request.GET
    if params.get("kind") in HelpKind.values:
        rows = rows.filter(kind=params["kind"])
    addressee = query.record_id(params, "addressee")
    if addressee is not None:
        rows = rows.filter(requester_addressee_id=addressee)
    if params.get("org"):
        rows = rows.filter(organization__code=params["org"].strip().upper())
    text = (params.get("q") or "").strip()
    if text:
        rows = rows.filter(Q(subject_name__icontains=text) | Q(requester__icontains=text))
    return rows


def help_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not policy.scope_paths(user, A.CASE_VIEW):
        raise Http404
    visible = HelpRequest.objects.visible_to(user)
    today = timezone.localdate()
    name = _queue_name(request, visible, user)
    rows = _filtered(request, texts.QUEUES[name][1](visible, user, today))
    rows = rows.select_related("incoming", "assignee", "answer", "organization").order_by(
        "due_on", "id"
    )
    if request.GET.get("format") == "xlsx":
        title = "Đề nghị xác minh, nghiên cứu giúp"
        return excel_list(user, "xac-minh-giup", title, COLUMNS, rows, request.GET)
    start, end = periods.from_query(request.GET, today)
    shown_rows = list(rows[:LIMIT])
    listed(user, "help-requests", request.GET, len(shown_rows))
    return render(
        request,
        "vetting/help_list.html",
        {
            "rows": shown_rows,
            "queues": [(k, label) for k, (label, _f) in texts.QUEUES.items()],
            "queue": name,
            "kinds": HelpKind.choices,
            # The bodies that sent the requests this user sees, to filter by.
            "addressees": Addressee.objects.filter(
                pk__in=visible.exclude(requester_addressee=None).values("requester_addressee")
            ),
            "counts": texts.counts(visible, start, end),
            "overdue": visible.overdue(today).count(),
            "start": start,
            "end": end,
            "today": today,
            "can_add": bool(policy.scope_paths(user, A.CASE_MANAGE)),
        },
    )


def _incoming(request: HttpRequest, user: Any) -> IncomingDocument | None:
    """The incoming document to take over (?incoming=<id>): one the user sees in the register
    that belongs to nothing yet; any other answers 404."""
    pk = query.record_id(request.GET, "incoming") or query.record_id(request.POST, "incoming")
    if pk is None:
        return None
    registers: Any = IncomingDocument.objects.visible_to(user)
    found: IncomingDocument = get_object_or_404(
        registers.select_related("organization"), pk=pk, object_type=""
    )
    if not texts.may_take_over(user, found):
        raise Http404
    return found


def _initial(incoming: IncomingDocument | None) -> dict[str, Any]:
    if incoming is None:
        return {"received_on": timezone.localdate()}
    return {
        "requester": incoming.sender,
        "requester_addressee": Addressee.objects.filter(name=incoming.sender).first(),
        "classification": max(incoming.classification, Clearance.CONFIDENTIAL),
    }


def help_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not policy.scope_paths(user, A.CASE_MANAGE):
        raise Http404
    incoming = _incoming(request, user)
    form = HelpForm(request.POST or None, actor=user, incoming=incoming, initial=_initial(incoming))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if incoming is not None:
                hr = actions.help.take_over(user, incoming, **data)
            else:
                hr = actions.help.receive(user, data.pop("organization"), **data)
        except ValueError as exc:
            form.add_error(None, str(exc))
        except PermissionDenied:
            form.add_error(None, _("Not allowed."))
        else:
            messages.success(
                request,
                _("Registered: %(ref)s, to be answered by %(day)s.")
                % {"ref": hr.reference, "day": hr.due_on.strftime("%d/%m/%Y")},
            )
            return redirect("help-detail", pk=hr.pk)
    return render(
        request,
        "vetting/help_new.html",
        {"form": form, "incoming": incoming, "rules": HelpRule.objects.all()},
    )


def _candidates(hr: HelpRequest) -> Any:
    """Officers who may handle the request: scope and clearance."""
    return policy.users_who_may(A.CASE_MANAGE, hr.organization, hr.classification).order_by(
        "full_name", "username"
    )


def help_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    hr = reads.open_help(user, pk)
    moves = HELP.available(hr, user)
    manage = hr.is_open and policy.can(user, A.CASE_MANAGE, hr.organization, hr.classification)
    direct = hr.is_open and policy.can(user, A.CASE_DIRECT, hr.organization, hr.classification)
    return render(
        request,
        "vetting/help_detail.html",
        {
            "hr": hr,
            "moves": [
                (m.value, HELP_LABELS[m])
                for m in moves
                if m in (HelpMove.START, HelpMove.DECLINE, HelpMove.CANCEL)
            ],
            "assign_form": HelpAssignForm(
                candidates=_candidates(hr), initial={"assignee": hr.assignee_id}
            )
            if HelpMove.ASSIGN in moves
            else None,
            "answer_form": HelpAnswerForm(initial={"answered_on": timezone.localdate()})
            if HelpMove.ANSWER in moves
            else None,
            "due_form": HelpDueForm(initial={"due_on": hr.due_on}) if direct else None,
            "manage": manage,
            "candidates": texts.candidates(user, hr) if manage and hr.person is None else [],
            "steps": hr.steps.select_related("by"),
            "today": timezone.localdate(),
        },
    )


def _visible(request: HttpRequest, pk: int) -> HelpRequest:
    """The request if this user may see it; otherwise 404, the same as a number never used."""
    qs = HelpRequest.objects.visible_to(request.user).select_related("organization", "incoming")
    found: HelpRequest = get_object_or_404(qs, pk=pk)
    return found


def _done(request: HttpRequest, hr: HelpRequest, call: Any, success: Any) -> HttpResponse:
    attempt(request, call, success)
    return redirect("help-detail", pk=hr.pk)


@require_POST
def help_assign(request: HttpRequest, pk: int) -> HttpResponse:
    hr = _visible(request, pk)
    form = HelpAssignForm(request.POST, candidates=_candidates(hr))
    if not form.is_valid():
        messages.error(request, _("Choose the officer in charge."))
        return redirect("help-detail", pk=hr.pk)
    data = form.cleaned_data
    return _done(
        request,
        hr,
        lambda: actions.help.assign(acting_user(request), hr, data["assignee"], note=data["note"]),
        _("Assigned to %(name)s.") % {"name": data["assignee"]},
    )


@require_POST
def help_move(request: HttpRequest, pk: int) -> HttpResponse:
    hr = _visible(request, pk)
    step = request.POST.get("move", "")
    if step not in (HelpMove.START, HelpMove.DECLINE, HelpMove.CANCEL):
        raise Http404
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["text"] if form.is_valid() else ""
    move = HelpMove(step)
    return _done(
        request,
        hr,
        lambda: actions.help.move(acting_user(request), hr, move, reason=reason),
        lambda moved: (
            _("%(request)s is now “%(state)s”.")
            % {"request": moved, "state": moved.get_state_display()}
        ),
    )


@require_POST
def help_answer(request: HttpRequest, pk: int) -> HttpResponse:
    hr = _visible(request, pk)
    form = HelpAnswerForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("help-detail", pk=hr.pk)
    data = form.cleaned_data
    return _done(
        request,
        hr,
        lambda: actions.help.answer(acting_user(request), hr, **data),
        _("Answer numbered and registered as outgoing."),
    )


@require_POST
def help_due(request: HttpRequest, pk: int) -> HttpResponse:
    hr = _visible(request, pk)
    form = HelpDueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the new due date and the reason."))
        return redirect("help-detail", pk=hr.pk)
    data = form.cleaned_data
    return _done(
        request,
        hr,
        lambda: actions.help.change_due(
            acting_user(request), hr, due_on=data["due_on"], reason=data["reason"]
        ),
        _("Due date changed."),
    )


@require_POST
def help_person(request: HttpRequest, pk: int) -> HttpResponse:
    """Name the person on record the request is about (or none, without `person`)."""
    hr = _visible(request, pk)
    form = HelpPersonForm(request.POST)
    if not form.is_valid():
        raise Http404
    person = None
    if form.cleaned_data["person"] is not None:
        person = Person.objects.filter(pk=form.cleaned_data["person"]).first()
        if person is None:  # said as of a person out of sight: ids are not probed here
            messages.error(request, _("This person is not one you may see."))
            return redirect("help-detail", pk=hr.pk)
    return _done(
        request,
        hr,
        lambda: actions.help.name_person(acting_user(request), hr, person),
        _("Saved."),
    )
