"""Member list, search, dossier page, sensitive-field reveal, Excel export."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.audit import reasons
from hoso.audit.reads import listed
from hoso.jobs.views import start_and_show
from hoso.lib import excel, replica, vntext
from hoso.people import actions, exports, jobs, reads
from hoso.people.filters import MemberFilterForm
from hoso.people.models import AdminUnit, Member, Person
from hoso.people.search import page
from hoso.people.views.lifecycle import member_actions


def _scoped(request: HttpRequest) -> Any:
    return Member.objects.visible_to(request.user)


def _filtered(request: HttpRequest) -> tuple[MemberFilterForm, Any]:
    form = MemberFilterForm(request.GET)  # bound even when empty: defaults apply
    qs = form.apply(_scoped(request), request.user)
    return form, qs.select_related("person", "organization")


def member_list(request: HttpRequest) -> HttpResponse:
    if not policy.scope_paths(request.user, policy.Action.MEMBER_VIEW):
        raise Http404
    form, qs = _filtered(request)
    rows, following = page(qs, request.GET.get("after", ""))
    listed(request.user, "members", request.GET, len(rows))
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "form": form,
        "members": rows,
        "next": following,
        "query": query.urlencode(),
        "can_manage": bool(policy.scope_paths(request.user, policy.Action.MEMBER_MANAGE)),
    }
    template = "people/_rows.html" if request.headers.get("HX-Request") else "people/list.html"
    return render(request, template, context)


def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    member = reads.open_member(user, pk)
    return render(
        request,
        "people/detail.html",
        {
            "member": member,
            "under_glass": bool(reads.glass(user, member)),
            "person": member.person,
            "passports": member.person.passports.all(),
            "can_reveal": policy.can(
                request.user, policy.Action.SENSITIVE_REVEAL, member.organization
            ),
            "sensitive": Person.sensitive_labels(),
            "moves": member_actions(request, member),
            "events": member.events.select_related("organization"),
            "transfers": member.transfers.select_related("from_org", "to_org"),
            "can_transfer": member.is_active
            and policy.can(request.user, policy.Action.MEMBER_MANAGE, member.organization),
        },
    )


@require_POST
def member_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the sensitive fields of one dossier, to those allowed, once a reason is typed;
    every reveal is audited with its reason."""
    member = get_object_or_404(_scoped(request).select_related("person"), pk=pk)
    try:
        values = actions.members.reveal_sensitive(
            acting_user(request), member, reason=request.POST.get("reason", "")
        )
    except reasons.ReasonError as exc:
        if not request.headers.get("HX-Request"):
            messages.error(request, str(exc))
            return redirect("member-detail", pk=pk)
        masked = [(label, None) for _name, label in Person.sensitive_labels()]
        return render(request, "people/_sensitive.html", {"values": masked, "error": str(exc)})
    return render(request, "people/_sensitive.html", {"values": values})


def export_members(
    request: HttpRequest, qs: Any, title: str, slug: str, details: dict[str, Any]
) -> HttpResponse:
    """Any member list as .xlsx, in list order, audited. Sensitive fields are not exported."""
    content = exports.workbook(request.user, exports.ordered(qs), title, slug, details)
    response = HttpResponse(content, content_type=excel.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(slug)}"'
    return response


@replica.served
@require_http_methods(["GET", "POST"])
def member_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as Excel: at once up to `EXPORT_BACKGROUND_ROWS` members; a larger
    list is offered as a background job (POST), whose page the user is sent to."""
    if not policy.scope_paths(request.user, policy.Action.MEMBER_VIEW):
        raise Http404
    form, qs = _filtered(request)
    query = request.GET.urlencode()
    if request.method == "POST":
        shown = [
            str(dict(getattr(form.fields[name], "choices", ())).get(value, value))
            for name, value in (form.cleaned_data.items() if form.is_valid() else ())
            if value
        ]  # the filters as the page shows them: a status by its label
        return start_and_show(
            request,
            jobs.export_members,
            title=" · ".join([gettext("Member list (Excel)"), *shown]),
            back=f"{reverse('member-list')}?{query}",
            filters={name: request.GET.get(name, "") for name in MemberFilterForm.base_fields},
        )
    limit = settings.EXPORT_BACKGROUND_ROWS
    if qs.select_related(None)[: limit + 1].count() > limit:  # bounded, never the whole scope
        return render(request, "people/export_job.html", {"query": query, "limit": limit})
    return export_members(
        request,
        qs,
        jobs.MEMBER_LIST,
        "dang-vien",
        {k: v for k, v in form.cleaned_data.items() if v},
    )


def admin_units(request: HttpRequest) -> HttpResponse:
    """<option>s of the current units matching the typed name (reference data, not scoped)."""
    typed = next((v for k, v in request.GET.items() if k == "q" or k.endswith("-q")), "")
    query = vntext.fold(str(typed))
    units = (
        AdminUnit.objects.filter(name_folded__contains=query, valid_to__isnull=True)
        .select_related("parent")
        .order_by("level", "name")[:30]
        if len(query) >= 2
        else []
    )
    return render(request, "people/_unit_options.html", {"units": units})
