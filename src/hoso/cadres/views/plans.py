"""Planning and candidacy lists: the lists in scope, a list with its entries (whether a
conclusion in force serves each, and a link to open the vetting case), adding and removing
entries, Excel export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.audit.reads import listed
from hoso.cadres import actions, reach, reads
from hoso.cadres.conclusions import entry_lines
from hoso.cadres.forms import EntryFilterForm, EntryForm, PlanForm, RemoveForm
from hoso.cadres.models import Cadre, Entry, Plan
from hoso.cadres.views.records import export
from hoso.lib import query
from hoso.lib.respond import attempt
from hoso.people.search import page
from hoso.vetting.models import CaseType

A = policy.Action
PAGE = 100


def plan_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not policy.scope_paths(user, A.CADRE_VIEW):
        raise Http404
    plans = (
        Plan.objects.visible_to(user)
        .select_related("organization")
        .annotate(current=Count("entries", filter=Q(entries__removed_on__isnull=True)))
    )
    return render(
        request,
        "cadres/plans.html",
        {"plans": plans[:500], "can_manage": bool(policy.scope_paths(user, A.CADRE_MANAGE))},
    )


def plan_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not policy.scope_paths(user, A.CADRE_MANAGE):
        raise Http404
    form = PlanForm(request.POST or None, actor=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organization = data.pop("organization")
        data["case_types"] = data["case_types"] or None  # empty: the kind's default
        try:
            plan = actions.plans.create_plan(user, organization, **data)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("List created."))
            return redirect("plan-detail", pk=plan.pk)
    return render(request, "cadres/plan_new.html", {"form": form})


def _plan(request: HttpRequest, pk: int) -> Plan:
    plan: Plan = get_object_or_404(
        Plan.objects.visible_to(request.user).select_related("organization"), pk=pk
    )
    return plan


def _entries(plan: Plan, form: EntryFilterForm, today: dt.date) -> QuerySet[Entry]:
    qs = plan.entries.annotate(sort_key=F("person__sort_key")).select_related("person", "plan")
    show = form.cleaned_data.get("show", "") if form.is_valid() else ""
    if show == "removed":
        return qs.filter(removed_on__isnull=False)
    qs = qs.filter(removed_on__isnull=True)
    if show == "without":
        return qs.filter(Q(conclusion__isnull=True) | Q(conclusion_until__lt=today))
    if show == "expiring":
        days = form.cleaned_data.get("days") or 60
        return qs.filter(
            conclusion_until__gte=today, conclusion_until__lte=today + dt.timedelta(days=days)
        )
    return qs


def _until(line: dict[str, Any]) -> Any:
    if line["conclusion"] is None:
        return "Chưa có kết luận còn giá trị"
    return line["until"] or "Không thời hạn"


ENTRY_COLUMNS = [
    ("Họ và tên", lambda line: line["entry"].person.display_name),
    ("Ngày sinh", lambda line: line["entry"].person.birth_date_display()),
    ("Chức danh dự kiến", lambda line: line["entry"].target_post),
    ("Quyết định bổ sung", lambda line: line["entry"].added_number),
    ("Ngày quyết định", lambda line: line["entry"].added_on),
    ("Kết luận số", lambda line: line["conclusion"].number if line["shown"] else ""),
    ("Ngày ký", lambda line: line["conclusion"].signed_on if line["shown"] else None),
    ("Kết luận có giá trị đến", _until),
    ("Quyết định đưa ra", lambda line: line["entry"].removed_number),
    ("Lý do đưa ra", lambda line: line["entry"].removed_reason),
]


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    user = acting_user(request)
    today = timezone.localdate()
    form = EntryFilterForm(request.GET)
    qs = _entries(plan, form, today)
    if request.GET.get("format") == "xlsx":
        rows = list(qs.order_by("sort_key", "id")[:20_000])
        details = {
            "plan": plan.pk,
            **({"show": form.cleaned_data["show"]} if form.is_valid() else {}),
        }
        title = plan.name
        return export(
            user, title, f"danh-sach-{plan.pk}", ENTRY_COLUMNS, entry_lines(user, rows), details
        )
    rows, following = page(qs, request.GET.get("after", ""), size=PAGE)
    params = request.GET.copy()
    params.pop("after", None)
    lines = entry_lines(user, rows)
    cadres = dict(
        Cadre.objects.visible_to(user)
        .filter(person_id__in=[e.person_id for e in rows])
        .values_list("person_id", "pk")
    )
    for line in lines:
        line["cadre"] = cadres.get(line["entry"].person_id)
    current = plan.entries.filter(removed_on__isnull=True)
    filters = {k: v for k, v in params.items() if v}
    reads.note_plan(user, plan, rows=len(lines), **filters)
    return render(
        request,
        "cadres/plan_detail.html",
        {
            "plan": plan,
            "form": form,
            "lines": lines,
            "counts": {
                "current": current.count(),
                "without": current.filter(
                    Q(conclusion__isnull=True) | Q(conclusion_until__lt=today)
                ).count(),
            },
            "case_types": [
                f"{t} ({t.code})"
                for t in CaseType.objects.filter(code__in=plan.type_codes or []).select_related(
                    "current"
                )
            ],
            "next": following,
            "query": params.urlencode(),
            "manage": policy.can(user, A.CADRE_MANAGE, plan.organization),
            "remove_form": RemoveForm(initial={"decision_on": today}),
            "today": today,
        },
    )


def entry_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Find a cadre or member of the user's scope (name or citizen ID), then add them."""
    plan = _plan(request, pk)
    user = acting_user(request)
    if not policy.can(user, A.CADRE_MANAGE, plan.organization):
        raise policy.Denied(A.CADRE_MANAGE)
    people = reach.reachable(user, A.CADRE_MANAGE)
    person_id = query.record_id(request.GET, "person") or query.record_id(request.POST, "person")
    if person_id is None:
        text = request.GET.get("q", "")
        found = reach.search_people(user, A.CADRE_MANAGE, text)
        listed(user, "plan-candidates", request.GET, len(found))
        return render(request, "cadres/entry_find.html", {"plan": plan, "found": found, "q": text})
    person = get_object_or_404(people, pk=person_id)
    form = EntryForm(request.POST or None, initial={"decision_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.plans.add_entry(user, plan, person, **form.cleaned_data)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Added to the list."))
            return redirect("plan-detail", pk=plan.pk)
    return render(request, "cadres/entry_add.html", {"plan": plan, "person": person, "form": form})


@require_POST
def entry_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        Entry.objects.visible_to(request.user).select_related("plan__organization"), pk=pk
    )
    form = RemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the number and date of the decision, and the reason."))
    else:
        attempt(
            request,
            lambda: actions.plans.remove_entry(acting_user(request), entry, **form.cleaned_data),
            _("Removed from the list."),
        )
    return redirect("plan-detail", pk=entry.plan_id)
