"""Entering members, recording life-cycle events, transfers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.audit.reads import listed
from hoso.people import actions
from hoso.people.due import to_accept
from hoso.people.forms import (
    AcceptForm,
    ArrivalForm,
    CancelForm,
    MemberForm,
    MoveForm,
    PersonForm,
    TransferForm,
)
from hoso.people.models import Member, Transfer, TransferState
from hoso.people.transitions import LABELS, LIFE, IllegalMove, Move


def _member(request: HttpRequest, pk: int) -> Member:
    member: Member = get_object_or_404(
        Member.objects.visible_to(request.user).select_related("person", "organization"), pk=pk
    )
    return member


def member_new(request: HttpRequest) -> HttpResponse:
    if not policy.scope_paths(request.user, policy.Action.MEMBER_MANAGE):
        raise Http404
    person_form = PersonForm(request.POST or None, prefix="p")
    member_form = MemberForm(request.POST or None, prefix="m", actor=request.user)
    arrival_form = ArrivalForm(request.POST or None, prefix="a")
    valid = [f.is_valid() for f in (person_form, member_form, arrival_form)]
    if request.method == "POST" and all(valid):
        data = dict(member_form.cleaned_data)
        organization = data.pop("organization")
        try:
            arrival = (
                arrival_form.cleaned_data if arrival_form.cleaned_data.get("from_text") else None
            )
            member = actions.members.register_member(
                acting_user(request), organization, person_form.cleaned_data, data, arrival
            )
        except ValidationError as exc:
            person_form.add_error(None, exc)
        else:
            messages.success(request, _("Member record created."))
            return redirect("member-detail", pk=member.pk)
    return render(
        request,
        "people/new.html",
        {"person_form": person_form, "member_form": member_form, "arrival_form": arrival_form},
    )


def member_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    member = _member(request, pk)
    try:
        step = Move(move)
    except ValueError:
        raise Http404 from None
    policy.require(request.user, policy.Action.MEMBER_MANAGE, member.organization)
    form = MoveForm(request.POST or None, move=step, initial={"date": dt.date.today()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.members.record_move(
                acting_user(request),
                member,
                step,
                **form.cleaned_data,
            )
        except IllegalMove as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(move)s: recorded for %(name)s.")
                % {"move": LABELS[step], "name": member.person.display_name},
            )
            return redirect("member-detail", pk=pk)
    return render(
        request, "people/move.html", {"member": member, "form": form, "title": LABELS[step]}
    )


def member_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    policy.require(request.user, policy.Action.MEMBER_MANAGE, member.organization)
    form = TransferForm(request.POST or None, initial={"introduced_on": dt.date.today()})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "to_code"}
        try:
            actions.members.introduce_transfer(acting_user(request), member, **data)
        except IllegalMove as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Introduction recorded."))
            return redirect("member-detail", pk=pk)
    return render(
        request,
        "people/move.html",
        {"member": member, "form": form, "title": _("Transfer to another organization")},
    )


def transfer_list(request: HttpRequest) -> HttpResponse:
    if not policy.scope_paths(request.user, policy.Action.MEMBER_VIEW):
        raise Http404
    related = ("member__person", "from_org", "to_org")
    pending = Transfer.objects.visible_to(request.user).filter(state=TransferState.PENDING)
    receiving = to_accept(request.user)
    incoming = list(receiving.select_related(*related))
    outgoing = list(pending.exclude(pk__in=receiving.values("pk")).select_related(*related))
    listed(request.user, "transfers", request.GET, len(incoming) + len(outgoing))
    return render(
        request,
        "people/transfers.html",
        {
            "incoming": incoming,
            "outgoing": outgoing,
            "today": dt.date.today(),
            "accept_form": AcceptForm(initial={"received_on": dt.date.today()}),
        },
    )


def _transfer(request: HttpRequest, pk: int) -> Transfer:
    transfer: Transfer = get_object_or_404(
        Transfer.objects.visible_to(request.user).select_related("member", "to_org", "from_org"),
        pk=pk,
    )
    return transfer


@require_POST
def transfer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = _transfer(request, pk)
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            actions.members.accept_transfer(
                acting_user(request),
                transfer,
                **form.cleaned_data,
            )
            messages.success(request, _("Member received."))
        except IllegalMove as exc:
            messages.error(request, str(exc))
    return redirect("transfer-list")


@require_POST
def transfer_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = _transfer(request, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            actions.members.cancel_transfer(
                acting_user(request),
                transfer,
                **form.cleaned_data,
            )
            messages.success(request, _("Transfer cancelled."))
        except IllegalMove as exc:
            messages.error(request, str(exc))
    return redirect("transfer-list")


def member_actions(request: HttpRequest, member: Member) -> list[tuple[str, Any]]:
    """(label, url name args) of what this user may record on this member now."""
    return [(str(LABELS[m]), m.value) for m in LIFE.available(member, request.user)]
