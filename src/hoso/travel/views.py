"""Trip, long-stay and foreign-relation pages: lists with flags and counts, forms, the trip
and stay pages."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.audit.reads import excel_list, listed
from hoso.documents.models import OutgoingDocument
from hoso.lib import periods, query
from hoso.lib.respond import attempt
from hoso.people.models import Member
from hoso.travel import actions, reads
from hoso.travel.forms import (
    DecideForm,
    MoveForm,
    RelationForm,
    StayCancelForm,
    StayCorrectForm,
    StayFilterForm,
    StayForm,
    StayReturnForm,
    TripForm,
)
from hoso.travel.models import (
    Purpose,
    Relation,
    Stay,
    StayState,
    Trip,
    TripState,
    split,
    stays_overdue,
)
from hoso.travel.transitions import STAYS, TRIPS

A = policy.Action
COLUMNS = [
    ("Đảng viên", lambda t: str(t.member)),
    ("Tổ chức đảng", lambda t: t.organization.name),
    ("Mục đích", lambda t: t.get_purpose_display()),
    ("Nước đến", lambda t: t.countries),
    ("Dự kiến đi", lambda t: t.planned_from.strftime("%d/%m/%Y")),
    ("Dự kiến về", lambda t: t.planned_to.strftime("%d/%m/%Y")),
    ("Quyết định", lambda t: t.decision_number),
    ("Tình trạng", lambda t: t.get_state_display()),
    ("Hạn báo cáo", lambda t: t.report_due_on.strftime("%d/%m/%Y") if t.report_due_on else ""),
]
RELATION_COLUMNS = [
    ("Đảng viên", lambda r: str(r.member)),
    ("Loại", lambda r: r.get_kind_display()),
    ("Người, danh hiệu", lambda r: r.person_name),
    ("Quan hệ", lambda r: r.relationship),
    ("Nước", lambda r: r.country),
    ("Từ năm", lambda r: r.since or ""),
    ("Tình trạng", lambda r: r.status),
    ("Ngày kê khai", lambda r: r.declared_on.strftime("%d/%m/%Y")),
    ("Quyết định", lambda r: r.decision_number),
]
STAY_COLUMNS = [
    ("Đảng viên", lambda s: str(s.member)),
    ("Tổ chức đảng quản lý hồ sơ", lambda s: s.organization.name),
    ("Diện", lambda s: s.get_kind_display()),
    ("Nước", lambda s: s.country),
    ("Nơi công tác, học tập", lambda s: s.place),
    ("Quyết định", lambda s: s.decision_number),
    ("Ngày quyết định", lambda s: s.decision_date),
    ("Cơ quan quyết định", lambda s: s.decision_issuer),
    ("Đi từ ngày", lambda s: s.since),
    ("Dự kiến về", lambda s: s.planned_return),
    ("Tổ chức đảng quản lý ở nước ngoài", lambda s: s.managing_body),
    ("Ngày về nước", lambda s: s.returned_on),
    ("Tình trạng", lambda s: s.get_state_display()),
]
FILTERS: dict[str, Any] = {
    "all": lambda qs, d: qs,
    "pending": lambda qs, d: qs.filter(state__in=[TripState.REQUESTED, TripState.OPINION]),
    "abroad": lambda qs, d: actions.abroad(qs),
    "return_overdue": lambda qs, d: actions.return_overdue(qs, d),
    # The report due within a week and not yet overdue (the home page's "report due").
    "report_due": lambda qs, d: qs.filter(
        state=TripState.RETURNED, report_due_on__gte=d, report_due_on__lte=d + dt.timedelta(7)
    ),
    "report_overdue": lambda qs, d: actions.report_overdue(qs, d),
    "passport_overdue": lambda qs, d: actions.passport_overdue(qs, d),
}


def trip_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not policy.scope_paths(user, A.TRAVEL_VIEW):
        raise Http404
    today = timezone.localdate()
    show = request.GET.get("show", "all")
    visible = Trip.objects.visible_to(user).select_related("member__person", "organization")
    rows = FILTERS.get(show, FILTERS["all"])(visible, today)
    if request.GET.get("format") == "xlsx":
        title = "Sổ theo dõi đảng viên ra nước ngoài"
        return excel_list(user, "ra-nuoc-ngoai", title, COLUMNS, rows, request.GET)
    start, end = periods.from_query(request.GET, today)
    approved = actions.approved_in(visible, start, end)
    purposes = dict(Purpose.choices)
    by_purpose = [
        (purposes[r["purpose"]], r["n"])
        for r in approved.values("purpose").annotate(n=Count("id")).order_by("purpose")
    ]
    by_country = Counter(
        c for countries in approved.values_list("countries", flat=True) for c in split(countries)
    )
    flags = {
        name: FILTERS[name](visible, today).count()
        for name in ("abroad", "return_overdue", "report_due", "report_overdue", "passport_overdue")
    }
    shown_rows = list(rows[:500])
    listed(user, "trips", request.GET, len(shown_rows))
    return render(
        request,
        "travel/list.html",
        {
            "rows": shown_rows,
            "show": show,
            "start": start,
            "end": end,
            "flags": flags,
            "approved": approved.count(),
            "by_purpose": by_purpose,
            "by_country": sorted(by_country.items(), key=lambda kv: (-kv[1], kv[0])),
            "by_org": approved.values("organization__name").annotate(n=Count("id")).order_by("-n"),
        },
    )


def _member(request: HttpRequest) -> Member:
    user = acting_user(request)
    member_id = query.record_id(request.GET, "member") or query.record_id(request.POST, "member")
    if member_id is None:
        raise Http404
    member: Member = get_object_or_404(
        Member.objects.visible_to(user, A.TRAVEL_MANAGE).select_related("person", "organization"),
        pk=member_id,
    )
    return member


def trip_new(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    form = TripForm(request.POST or None, initial={"requested_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            trip = actions.request_trip(acting_user(request), member, **form.cleaned_data)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Trip request recorded."))
            return redirect("trip-detail", pk=trip.pk)
    return render(request, "travel/trip_new.html", {"form": form, "member": member})


def _trip(request: HttpRequest, pk: int) -> Trip:
    trip: Trip = get_object_or_404(
        Trip.objects.visible_to(request.user).select_related("member__person", "organization"),
        pk=pk,
    )
    return trip


def trip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    trip = reads.open_trip(user, pk)
    moves = TRIPS.available(trip, user)
    today = timezone.localdate()
    return render(
        request,
        "travel/trip_detail.html",
        {
            "trip": trip,
            "moves": moves,
            "notices": OutgoingDocument.objects.visible_to(user)
            .filter(object_type="travel.trip", object_id=str(trip.pk))
            .select_related("kind"),
            "move_form": MoveForm(initial={"on": today}),
            "manage": policy.can(user, A.TRAVEL_MANAGE, trip.organization),
            "flags": {
                "return_overdue": trip.state == TripState.ABROAD and trip.planned_to < today,
                "report_overdue": trip.state == TripState.RETURNED
                and trip.report_due_on
                and trip.report_due_on < today,
                "passport_overdue": bool(
                    trip.passport_due_on
                    and trip.passport_due_on < today
                    and trip.passport_returned_on is None
                ),
            },
        },
    )


def _back(request: HttpRequest, trip: Trip, call: Any, success: Any) -> HttpResponse:
    attempt(request, call, success)
    return redirect("trip-detail", pk=trip.pk)


@require_POST
def trip_move(request: HttpRequest, pk: int) -> HttpResponse:
    trip = _trip(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid() or form.cleaned_data["move"] not in TRIPS.moves:
        messages.error(request, _("Give the date."))
        return redirect("trip-detail", pk=pk)
    data = dict(form.cleaned_data)
    name = data.pop("move")
    return _back(
        request,
        trip,
        lambda: actions.move(acting_user(request), trip, name, **data),
        lambda moved: (
            _("Trip of %(member)s is now “%(state)s”.")
            % {"member": moved.member, "state": moved.get_state_display()}
        ),
    )


@require_POST
def trip_passport(request: HttpRequest, pk: int) -> HttpResponse:
    trip = _trip(request, pk)
    return _back(
        request,
        trip,
        lambda: actions.passport_back(acting_user(request), trip, on=timezone.localdate()),
        _("Passport handed back."),
    )


def relation_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not policy.scope_paths(user, A.TRAVEL_VIEW):
        raise Http404
    rows = Relation.objects.visible_to(user).select_related("member__person", "organization")
    if request.GET.get("kind"):
        rows = rows.filter(kind=request.GET["kind"])
    if request.GET.get("format") == "xlsx":
        title = "Quan hệ nước ngoài"
        return excel_list(user, "quan-he-nuoc-ngoai", title, RELATION_COLUMNS, rows, request.GET)
    shown_rows = list(rows[:500])
    listed(user, "relations", request.GET, len(shown_rows))
    return render(
        request,
        "travel/relations.html",
        {
            "rows": shown_rows,
            "form": DecideForm(initial={"on": timezone.localdate()}),
            "decides": bool(policy.scope_paths(user, A.TRAVEL_DECIDE)),
        },
    )


def relation_new(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    form = RelationForm(request.POST or None, initial={"declared_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.declare_relation(acting_user(request), member, **form.cleaned_data)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Declaration recorded."))
            return redirect("relation-list")
    return render(request, "travel/relation_new.html", {"form": form, "member": member})


@require_POST
def relation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    relation = get_object_or_404(Relation.objects.visible_to(request.user), pk=pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the number and date of the committee's decision."))
    else:
        attempt(
            request,
            lambda: actions.decide_relation(acting_user(request), relation, **form.cleaned_data),
            _("Decision recorded."),
        )
    return redirect("relation-list")


def stay_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not policy.scope_paths(user, A.TRAVEL_VIEW):
        raise Http404
    today = timezone.localdate()
    visible = Stay.objects.visible_to(user)
    form = StayFilterForm(request.GET)
    rows = form.apply(visible, user, today).select_related("member__person", "organization")
    if request.GET.get("format") == "xlsx":
        title = "Đảng viên công tác, học tập dài hạn ở nước ngoài"
        return excel_list(user, "dai-han-nuoc-ngoai", title, STAY_COLUMNS, rows, request.GET)
    member_id = form.cleaned_data.get("member") if form.is_valid() else None
    shown_rows = list(rows[:500])
    listed(user, "stays", request.GET, len(shown_rows))
    return render(
        request,
        "travel/stays.html",
        {
            "form": form,
            "member": member_id
            and Member.objects.visible_to(user, A.TRAVEL_VIEW)
            .select_related("person", "organization")
            .filter(pk=member_id)
            .first(),
            "manage": bool(policy.scope_paths(user, A.TRAVEL_MANAGE)),
            "rows": shown_rows,
            "today": today,
            "abroad": visible.filter(state=StayState.ABROAD).count(),
            "overdue": stays_overdue(visible, today).count(),
            "countries": visible.exclude(state=StayState.CANCELLED)
            .values_list("country", flat=True)
            .distinct()
            .order_by("country"),
        },
    )


def stay_new(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    user = acting_user(request)
    form = StayForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            stay = actions.record_stay(user, member, **form.cleaned_data)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Long stay abroad recorded."))
            return redirect("stay-detail", pk=stay.pk)
    return render(request, "travel/stay_new.html", {"form": form, "member": member})


def _stay(request: HttpRequest, pk: int) -> Stay:
    stay: Stay = get_object_or_404(
        Stay.objects.visible_to(request.user).select_related(
            "member__person", "organization", "created_by"
        ),
        pk=pk,
    )
    return stay


def stay_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    stay = reads.open_stay(user, pk)
    today = timezone.localdate()
    return render(
        request,
        "travel/stay_detail.html",
        {
            "stay": stay,
            "moves": STAYS.available(stay, user),
            "return_form": StayReturnForm(initial={"on": today}),
            "cancel_form": StayCancelForm(),
            "correctable": stay.state != StayState.CANCELLED
            and policy.can(user, A.TRAVEL_MANAGE, stay.organization),
            "overdue": stay.state == StayState.ABROAD and stay.planned_return < today,
        },
    )


@require_POST
def stay_return(request: HttpRequest, pk: int) -> HttpResponse:
    stay = _stay(request, pk)
    form = StayReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date of the return."))
    else:
        attempt(
            request,
            lambda: actions.record_return(acting_user(request), stay, **form.cleaned_data),
            _("Return recorded."),
        )
    return redirect("stay-detail", pk=stay.pk)


@require_POST
def stay_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    stay = _stay(request, pk)
    form = StayCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason."))
    else:
        attempt(
            request,
            lambda: actions.cancel_stay(acting_user(request), stay, **form.cleaned_data),
            _("The stay is cancelled."),
        )
    return redirect("stay-detail", pk=stay.pk)


def stay_correct(request: HttpRequest, pk: int) -> HttpResponse:
    stay = _stay(request, pk)
    user = acting_user(request)
    if not policy.can(user, A.TRAVEL_MANAGE, stay.organization):
        raise PermissionDenied
    form = StayCorrectForm(request.POST or None, instance=Stay.objects.get(pk=stay.pk), user=user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.correct_stay(user, stay, form.changes(), reason=form.cleaned_data["reason"])
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Correction recorded."))
            return redirect("stay-detail", pk=stay.pk)
    reads.note_stay(user, stay, "correct")
    return render(request, "travel/stay_correct.html", {"form": form, "stay": stay})
