"""The verification plan of a case: skipping a line (or a relative) with its reason,
withdrawing that, and the list of persons to verify for printing or Excel."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoso.access.actor import acting_user
from hoso.lib import excel
from hoso.people.models import Relative, Side
from hoso.vetting import actions, plan, reads
from hoso.vetting.forms import PlanSkipForm, WithdrawSkipForm
from hoso.vetting.models import PlanSkip, VerificationRequest
from hoso.vetting.views.common import done, visible_case


@require_POST
def plan_skip(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    form = PlanSkipForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for not verifying."))
        return redirect("case-detail", pk=case.pk)
    data = form.cleaned_data
    relative = None
    if data["relative"] is not None:
        # Only a relative the subject declared: anyone else is no part of this case.
        relative = get_object_or_404(Relative, pk=data["relative"], person=case.person_id)
    return done(
        request,
        case,
        lambda: actions.plan.skip_plan_line(
            acting_user(request), case, line=data["line"], relative=relative, reason=data["reason"]
        ),
        _("Recorded as not verified."),
    )


@require_POST
def plan_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    form = WithdrawSkipForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason."))
        return redirect("case-detail", pk=case.pk)
    skip = get_object_or_404(PlanSkip, pk=form.cleaned_data["skip"], case=case)
    return done(
        request,
        case,
        lambda: actions.plan.withdraw_skip(
            acting_user(request), skip, reason=form.cleaned_data["reason"]
        ),
        _("Withdrawn: the line is to be verified."),
    )


HEADERS = [
    "STT", "Diện thẩm tra", "Họ và tên", "Quan hệ", "Năm sinh", "Nơi ở", "Đảng viên",
    "Phiếu yêu cầu xác minh", "Ghi chú",
]  # fmt: skip


def _rows(found: plan.Plan) -> list[list[str]]:
    """The persons to verify, one row each, in the plan's order (printed and exported)."""
    case, rows = found.case, []
    for line in found.lines:
        note = f"Không xác minh: {line.skip.reason}" if line.skip else ""
        if line.rule.is_self:
            born = case.person.birth_date
            rows.append([
                line.rule.label, case.person.display_name, "Bản thân",
                str(born.year) if born else "", case.person.residence, "",
                _numbers(line.requests), note,
            ])  # fmt: skip
            continue
        if not line.fillers:
            rows.append([line.rule.label, "(chưa khai)", "", "", "", "", "", note])
        for f in line.fillers:
            r = f.relative
            relation = str(r.relationship)
            if r.side == Side.SPOUSE:
                relation += " (bên vợ/chồng)"  # the paper is in Vietnamese, as the slips are
            rows.append([
                line.rule.label, r.full_name, relation, str(r.birth_year or ""),
                r.residence, "Có" if r.party_member else "", _numbers(f.requests),
                note or (f"Không xác minh: {f.skip.reason}" if f.skip else ""),
            ])  # fmt: skip
    return [[str(i), *row] for i, row in enumerate(rows, start=1)]


def _numbers(requests: list[VerificationRequest]) -> str:
    return "; ".join(f"{vr.document.reference} ({vr.get_state_display()})" for vr in requests)


def plan_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The list of persons to verify: an A4 print view, or Excel (?format=xlsx)."""
    if not plan.rules(visible_case(request, pk).version):
        raise Http404  # a type without a plan: nothing to print, and nothing was read
    case = reads.open_case(acting_user(request), pk, via="plan")
    found = plan.of_case(case)
    assert found is not None
    rows = _rows(found)
    if request.GET.get("format") == "xlsx":
        columns = [(h, lambda row, i=i: row[i]) for i, h in enumerate(HEADERS)]
        response = HttpResponse(
            excel.write_table("Người cần thẩm tra, xác minh", columns, rows),
            content_type=excel.CONTENT_TYPE,
        )
        response["Content-Disposition"] = f'attachment; filename="ke-hoach-xac-minh-{case.pk}.xlsx"'
        return response
    return render(
        request,
        "vetting/plan_print.html",
        {"case": case, "plan": found, "headers": HEADERS, "rows": rows,
         "today": timezone.localdate()},
    )  # fmt: skip
