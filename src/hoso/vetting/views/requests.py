"""Verification request pages: issue from a case, record replies, lists and counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.audit.reads import excel_list, listed
from hoso.lib import periods, query
from hoso.vetting import actions, plan, reads, transitions, verification
from hoso.vetting.forms import ReasonForm, ReplyForm, RequestForm
from hoso.vetting.models import Case, FileKind, ReplyItem, RequestState, VerificationRequest
from hoso.vetting.views.common import done, visible_case

COLUMNS = [
    ("Số phiếu", lambda r: r.document.reference),
    ("Ngày gửi", lambda r: r.sent_on.strftime("%d/%m/%Y")),
    ("Người được xác minh", lambda r: r.person_label),
    ("Nơi nhận", lambda r: r.addressee.name),
    ("Hạn trả lời", lambda r: r.due_on.strftime("%d/%m/%Y")),
    ("Trạng thái", lambda r: r.get_state_display()),
    ("Hồ sơ", lambda r: r.case_id),
]


def request_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    user = acting_user(request)
    if not policy.can(user, policy.Action.CASE_MANAGE, case.organization, case.classification):
        raise Http404
    targets = {t.key: t for t in verification.targets_for(case)}
    form = RequestForm(
        request.POST or None,
        choices=[(k, t.label) for k, t in targets.items()],
        initial=_draft(request, targets),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = actions.requests.issue(
                user,
                case,
                [targets[k] for k in data["targets"]],
                list(data["addressees"]),
                questions=data["questions"],
                sent_on=data["sent_on"],
            )
        except verification.RequestError as exc:
            form.add_error(None, str(exc))
        else:
            numbers = ", ".join(r.document.reference for r in made)
            messages.success(request, _("Requests issued: %(numbers)s") % {"numbers": numbers})
            return redirect("case-detail", pk=case.pk)
    return render(request, "vetting/request_new.html", {"case": case, "form": form})


def _draft(request: HttpRequest, targets: dict[str, verification.Target]) -> dict[str, Any]:
    """The form as the plan drafts it (?target=r12&target=p3): those persons ticked and the
    questions HD 01-HD/TW §3.4 b) asks about them; the officer changes what they want."""
    chosen = [k for k in request.GET.getlist("target") if k in targets]
    initial: dict[str, Any] = {"sent_on": timezone.localdate()}
    if chosen:
        initial["targets"] = chosen
        only_self = all(targets[k].person is not None for k in chosen)
        initial["questions"] = plan.QUESTIONS_SELF if only_self else plan.QUESTIONS_RELATIVE
    return initial


def _visible_request(request: HttpRequest, pk: int) -> VerificationRequest:
    vr = get_object_or_404(
        VerificationRequest.objects.visible_to(request.user).select_related(
            "case", "document", "addressee"
        ),
        pk=pk,
    )
    return vr


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    # Shown: an audited read. Posted (a reply recorded): the action is audited itself.
    vr = reads.open_request(user, pk) if request.method == "GET" else _visible_request(request, pk)
    case = visible_case(request, vr.case_id)
    manage = policy.can(user, policy.Action.CASE_MANAGE, case.organization, case.classification)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not manage:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    reply = actions.requests.record_reply(
                        user,
                        vr,
                        received_on=data["received_on"],
                        reference=data["reference"],
                        summary=data["summary"],
                        items=form.items(),
                    )
                    if data["attachment"]:
                        actions.cases.add_file(
                            user,
                            case,
                            data["attachment"],
                            kind=FileKind.REPLY,
                            title=f"{reply.reference} ({vr.addressee})",
                            reply=reply,
                        )
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Reply recorded."))
                return redirect("request-detail", pk=vr.pk)
    return render(
        request,
        "vetting/request_detail.html",
        {
            "vr": vr,
            "case": case,
            "form": form if "answer" in transitions.REQUESTS.available(vr, user) else None,
            "replies": vr.replies.prefetch_related("items", "files"),
            "reminders": vr.reminders.select_related("by"),
            "manage": manage,
            "reason_form": ReasonForm(),
        },
    )


@require_POST
def item_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ReplyItem.objects.select_related("reply__request"), pk=pk)
    vr = _visible_request(request, item.reply.request_id)
    form = ReasonForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    try:
        actions.requests.resolve(acting_user(request), item, resolution=text)
        messages.success(request, _("Discrepancy resolved."))
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect("request-detail", pk=vr.pk)


@require_POST
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    vr = _visible_request(request, pk)
    form = ReasonForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    return done(
        request,
        vr.case,
        lambda: actions.requests.cancel(acting_user(request), vr, reason=text),
        _("Request cancelled."),
    )


@require_POST
def request_remind(request: HttpRequest, pk: int) -> HttpResponse:
    vr = _visible_request(request, pk)
    try:
        actions.requests.remind(acting_user(request), [vr], on=timezone.localdate())
        messages.success(request, _("Reminder recorded."))
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect("request-detail", pk=vr.pk)


def visible_requests(user: Any, *, mine: bool = False) -> QuerySet[VerificationRequest]:
    """The requests the user sees; `mine`: only those of the cases they are on (?mine=1)."""
    visible = VerificationRequest.objects.visible_to(user)
    if mine:
        visible = visible.filter(case__in=Case.objects.on_team(user).values("pk"))
    return visible


def shown(
    visible: QuerySet[VerificationRequest], show: str, today: dt.date
) -> QuerySet[VerificationRequest]:
    """The list's ?show= (open by default): awaiting a reply, overdue, or all."""
    if show == "overdue":
        return verification.overdue(visible, today)
    return visible if show == "all" else visible.filter(state=RequestState.OPEN)


def request_list(request: HttpRequest) -> HttpResponse:
    """All requests in scope: open, overdue, by addressee, and counts for a period."""
    user = acting_user(request)
    if not policy.scope_paths(user, policy.Action.CASE_VIEW):
        raise Http404
    mine = request.GET.get("mine") == "1"
    visible = visible_requests(user, mine=mine)
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    rows = shown(visible, show, today)
    addressee = query.record_id(request.GET, "addressee")
    if addressee is not None:
        rows = rows.filter(addressee_id=addressee)
    rows = rows.select_related("document", "addressee").order_by("due_on", "id")
    if request.GET.get("format") == "xlsx":
        return excel_list(
            user, "phieu-xac-minh", "Phiếu yêu cầu xác minh", COLUMNS, rows, request.GET
        )
    start, end = periods.from_query(request.GET, today)
    shown_rows = list(rows[:500])
    listed(user, "verification-requests", request.GET, len(shown_rows))
    return render(
        request,
        "vetting/request_list.html",
        {
            "rows": shown_rows,
            "show": show,
            "mine": mine,
            "by_addressee": verification.open_by_addressee(visible),
            "counts": verification.counts(visible, start, end),
            "start": start,
            "end": end,
            "today": today,
        },
    )
