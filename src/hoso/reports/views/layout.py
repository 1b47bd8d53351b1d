"""The report forms catalogue (mẫu báo cáo), for national administrators: the forms, and one
form's settings, sections and rows edited in one page. Others get 404, as for every
catalogue. Each change is a `config.catalogue_changed` event."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.lib import query
from hoso.lib.respond import attempt
from hoso.reports import actions, indicators
from hoso.reports.forms import ReportFormForm, RowForm, SectionForm
from hoso.reports.models import FormRow, FormSection, ReportForm


def _editor(request: HttpRequest) -> None:
    if not policy.national(request.user, policy.Action.CONFIG_MANAGE):
        raise Http404


def report_forms(request: HttpRequest) -> HttpResponse:
    _editor(request)
    form = ReportFormForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = actions.save_layout(acting_user(request), "forms", form)
        return redirect("report-layout", code=made.code)
    return render(request, "reports/forms.html", {"forms": ReportForm.objects.all(), "form": form})


def report_layout(request: HttpRequest, code: str) -> HttpResponse:
    """GET shows the form; POST `part` = settings | section | row saves one part (?edit=<id>
    of a section, ?row=<id> of a row: that one, else a new one)."""
    _editor(request)
    report_form = get_object_or_404(ReportForm, code=code)
    bound = request.POST if request.method == "POST" else None
    part = bound.get("part", "") if bound is not None else ""
    editing = _parts(request, report_form, part, bound)
    chosen = editing.get(part)
    if chosen is not None and chosen.is_valid():
        actions.save_layout(acting_user(request), _PLURAL[part], chosen)
        return redirect("report-layout", code=report_form.code)
    sections = list(FormSection.objects.filter(form=report_form).prefetch_related("rows"))
    return render(
        request,
        "reports/layout.html",
        {
            "report_form": report_form,
            "sections": sections,
            "unknown": _unknown(sections),
            **editing,
        },
    )


_PLURAL = {"settings": "forms", "section": "sections", "row": "rows"}


def _parts(request: HttpRequest, report_form: ReportForm, part: str, bound: Any) -> dict[str, Any]:
    """The three editing forms, the one posted bound to its data."""
    pk, row_pk = query.record_id(request.GET, "edit"), query.record_id(request.GET, "row")
    section_pk = query.record_id(request.GET, "section") or query.record_id(bound or {}, "section")
    section_item = _section(report_form, pk)
    rows = FormRow.objects.filter(section__form=report_form)
    row_item = rows.filter(pk=row_pk).first() if row_pk else None
    into = row_item.section if row_item else _section(report_form, section_pk)

    def data(name: str) -> Any:
        return bound if part == name else None

    found: dict[str, Any] = {
        "settings": ReportFormForm(data("settings"), instance=report_form),
        "section": SectionForm(data("section"), instance=section_item, form=report_form),
        "editing_section": section_item,
        "editing_row": row_item,
        "row_section": into,
    }
    if into is not None:
        initial = {"order": _next_order(into)} if row_item is None else None
        found["row"] = RowForm(data("row"), instance=row_item, section=into, initial=initial)
    return found


def _section(report_form: ReportForm, pk: int | None) -> FormSection | None:
    return FormSection.objects.filter(form=report_form, pk=pk).first() if pk else None


def _next_order(section: FormSection) -> int:
    last = section.rows.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


def _unknown(sections: list[FormSection]) -> set[int]:
    """Rows naming an indicator no longer registered (they print a dash)."""
    return {r.pk for s in sections for r in s.rows.all() if indicators.get(r.indicator) is None}


@require_POST
def report_layout_delete(request: HttpRequest, code: str, part: str, pk: int) -> HttpResponse:
    _editor(request)
    item: FormSection | FormRow
    if part == "section":
        item = get_object_or_404(FormSection, pk=pk, form__code=code)
    elif part == "row":
        item = get_object_or_404(FormRow, pk=pk, section__form__code=code)
    else:
        raise Http404
    attempt(
        request,
        lambda: actions.delete_layout(acting_user(request), _PLURAL[part], item),
        _("Taken out of the form."),
    )
    return redirect("report-layout", code=code)
