"""Excel template download and the upload page (upload progress shown by the browser)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.lib import excel
from hoso.orgs.forms import OrgPickerField, limit_orgs
from hoso.people import actions, importer

MAX_UPLOAD = 50 * 1024 * 1024


class UploadForm(forms.Form):
    organization = OrgPickerField(label=_("Import into"))
    file = forms.FileField(label=_("Excel file (.xlsx) made from the template"))

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_orgs(self, "organization", actor, policy.Action.MEMBER_MANAGE)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Only .xlsx files made from the template."))
        return upload


def import_template(request: HttpRequest) -> HttpResponse:
    if not policy.scope_paths(request.user, policy.Action.MEMBER_MANAGE):
        raise Http404
    response = HttpResponse(importer.template(), content_type=excel.CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-dang-vien.xlsx"'
    return response


def import_upload(request: HttpRequest) -> HttpResponse:
    if not policy.scope_paths(request.user, policy.Action.MEMBER_MANAGE):
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None, actor=request.user)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = actions.imports.import_file(
                upload.file, form.cleaned_data["organization"], acting_user(request), upload.name
            )
        except importer.Refused as exc:  # not a workbook, or over a limit: say which
            form.add_error("file", str(exc))
        except Exception as exc:  # a damaged file must be reported, not crash the page
            if isinstance(exc, policy.Denied):
                raise
            form.add_error("file", _("The file cannot be read as an Excel workbook."))
    template = (
        "people/_import_result.html" if request.headers.get("HX-Request") else "people/import.html"
    )
    return render(request, template, {"form": form, "report": report, "help": importer.COLUMN_HELP})
