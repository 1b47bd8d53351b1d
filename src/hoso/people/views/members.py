"""Member list, search, dossier page, sensitive-field reveal, Excel export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.audit import events, reasons
from hoso.audit.chain import record
from hoso.lib import excel, vntext
from hoso.people import actions, reads
from hoso.people.filters import MemberFilterForm
from hoso.people.models import AdminUnit, Member, Person
from hoso.people.search import page
from hoso.people.views.lifecycle import member_actions

EXPORT_LIMIT = 200_000


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
    member = reads.open_member(acting_user(request), pk)
    return render(
        request,
        "people/detail.html",
        {
            "member": member,
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


EXPORT_COLUMNS = [
    ("Họ và tên", lambda m: m.person.display_name),
    ("Giới tính", lambda m: m.person.get_sex_display()),
    ("Ngày sinh", lambda m: m.person.birth_date_display()),
    ("Quê quán", lambda m: m.person.home_town),
    ("Số CCCD", lambda m: m.person.citizen_id or ""),
    ("Số thẻ đảng viên", lambda m: m.card_number),
    ("Ngày vào Đảng", lambda m: m.admitted_on),
    ("Ngày chính thức", lambda m: m.official_on),
    ("Tổ chức đảng", lambda m: m.organization.name),
    ("Trạng thái", lambda m: m.get_status_display()),
]


def export_members(
    request: HttpRequest, qs: Any, title: str, slug: str, details: dict[str, Any]
) -> HttpResponse:
    """Any member list as .xlsx, in list order, audited. Sensitive fields are not exported."""
    record(
        events.MEMBERS_EXPORTED.code,
        actor=request.user,
        organization=getattr(request.user, "organization", None),
        details={"list": slug, **details},
    )
    rows = qs.order_by("sort_key", "id")[:EXPORT_LIMIT].iterator(chunk_size=2000)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        excel.write_table(title, EXPORT_COLUMNS, rows), content_type=excel.CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-{stamp}.xlsx"'
    return response


def member_export(request: HttpRequest) -> HttpResponse:
    if not policy.scope_paths(request.user, policy.Action.MEMBER_VIEW):
        raise Http404
    form, qs = _filtered(request)
    return export_members(
        request,
        qs,
        "Danh sách đảng viên",
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
