"""The registers of outgoing and incoming documents: search, add, cancel, Excel."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.shortcuts import render as render_page
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.audit.reads import excel_list, listed
from hoso.documents import actions, owners, papers, registers, render
from hoso.documents.forms import GenerateForm, IncomingForm, OutgoingForm, TemplateForm
from hoso.documents.models import DocumentKind, IncomingDocument, OutgoingDocument
from hoso.documents.paper import VARIABLES
from hoso.documents.templating import FILTERS

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

LIMIT = 500


OUTGOING_COLUMNS = [
    ("Số, ký hiệu", lambda d: d.reference),
    ("Ngày", lambda d: d.issued_on.strftime("%d/%m/%Y")),
    ("Trích yếu", lambda d: d.summary),
    ("Người ký", lambda d: f"{d.authority} {d.signer}".strip()),
    ("Nơi nhận", lambda d: d.recipients),
    ("Độ mật", lambda d: d.get_classification_display()),
    ("Số bản", lambda d: d.copies),
    ("Ghi chú", lambda d: f"Đã hủy: {d.cancel_reason}" if d.cancelled else ""),
    ("Thuộc", lambda d: (owners.link(d) or ("", ""))[0]),
]
INCOMING_COLUMNS = [
    ("Số đến", lambda d: f"{d.arrival_number}/{d.year}"),
    ("Ngày đến", lambda d: d.received_on.strftime("%d/%m/%Y")),
    ("Nơi gửi", lambda d: d.sender),
    ("Số, ký hiệu", lambda d: d.sender_reference),
    ("Ngày văn bản", lambda d: d.sender_date.strftime("%d/%m/%Y") if d.sender_date else ""),
    ("Trích yếu", lambda d: d.summary),
    ("Độ mật", lambda d: d.get_classification_display()),
    ("Thuộc", lambda d: (owners.link(d) or ("", ""))[0]),
]


def _register(
    request: HttpRequest, model: Any, form_class: Any, columns: Any, title: str, slug: str, add: Any
) -> HttpResponse:
    user = acting_user(request)
    if not policy.scope_paths(user, policy.Action.MEMBER_VIEW):
        raise Http404
    can_add = bool(policy.scope_paths(user, policy.Action.DOCUMENT_MANAGE))
    form = form_class(request.POST or None, actor=user) if can_add else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                document = add(user, data.pop("organization"), **data)
            except actions.numbering.NumberingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Registered: %(doc)s") % {"doc": document})
                return redirect(request.path)
    text = request.GET.get("q", "").strip()
    documents = model.objects.visible_to(user).select_related("organization")
    documents = registers.filtered(documents, request.GET)
    if request.GET.get("format") == "xlsx":
        return excel_list(user, slug, title, columns, documents, request.GET)
    shown_rows = list(documents[:LIMIT])
    listed(user, slug, request.GET, len(shown_rows))
    return render_page(
        request,
        "documents/register.html",
        {
            "title": title,
            "form": form,
            "q": text,
            "headers": [name for name, _ in columns],
            "rows": [
                (
                    d,
                    [get(d) for _, get in columns],
                    owners.link(d),
                    [] if model is OutgoingDocument else owners.intakes(user, d),
                )
                for d in shown_rows
            ],
            "outgoing": model is OutgoingDocument,
        },
    )


def outgoing(request: HttpRequest) -> HttpResponse:
    return _register(
        request,
        OutgoingDocument,
        OutgoingForm,
        OUTGOING_COLUMNS,
        "Sổ đăng ký văn bản đi",
        "so-van-ban-di",
        actions.numbering.allocate,
    )


def incoming(request: HttpRequest) -> HttpResponse:
    return _register(
        request,
        IncomingDocument,
        IncomingForm,
        INCOMING_COLUMNS,
        "Sổ đăng ký văn bản đến",
        "so-van-ban-den",
        actions.numbering.register_incoming,
    )


@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(OutgoingDocument.objects.visible_to(request.user), pk=pk)
    try:
        actions.numbering.cancel(
            acting_user(request), document, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("Number cancelled; it will not be given again."))
    except actions.numbering.NumberingError as exc:
        messages.error(request, str(exc))
    return redirect("documents-outgoing")


def generate(request: HttpRequest, pk: int) -> HttpResponse:
    """Word or PDF of a registered document; a secret one copy by copy (copy register)."""
    document = get_object_or_404(
        OutgoingDocument.objects.visible_to(request.user).select_related("organization", "kind"),
        pk=pk,
    )
    form = GenerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        paper = papers.from_outgoing(
            document, place=data["place"], signer_title=data["signer_title"]
        )
        try:
            content, _copy = actions.copies.generate(
                acting_user(request),
                document,
                paper,
                file_format=data["file_format"],
                recipient=data["recipient"],
            )
        except (actions.copies.CopyError, render.PdfUnavailable, render.TemplateChanged) as exc:
            form.add_error(None, str(exc))
        else:
            kind = "application/pdf" if data["file_format"] == "pdf" else DOCX
            response = HttpResponse(content, content_type=kind)
            name = document.reference.replace("/", "_")
            response["Content-Disposition"] = f'attachment; filename="{name}.{data["file_format"]}"'
            response["Cache-Control"] = "no-store"
            return response
    return render_page(
        request,
        "documents/generate.html",
        {"document": document, "form": form, "copies": document.copy_register.all()},
    )


def templates(request: HttpRequest) -> HttpResponse:
    """Template page: the variables a template may use; national administrators upload."""
    editor = policy.national(request.user, policy.Action.CONFIG_MANAGE)
    if not editor and not policy.scope_paths(request.user, policy.Action.DOCUMENT_MANAGE):
        raise Http404
    return render_page(
        request,
        "documents/templates.html",
        {
            "kinds": DocumentKind.objects.all(),
            "variables": VARIABLES,
            "filters": sorted(FILTERS),
            "editor": editor,
        },
    )


@require_POST
def template_upload(request: HttpRequest, pk: int) -> HttpResponse:
    if not policy.national(request.user, policy.Action.CONFIG_MANAGE):
        raise Http404
    kind = get_object_or_404(DocumentKind, pk=pk)
    form = TemplateForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["template"]
        try:
            if not upload.name.lower().endswith(".docx"):
                raise actions.templates.TemplateError(_("Only a .docx file can be a template."))
            # Read at most one byte past the limit: the action refuses an oversized file.
            content = upload.read(actions.templates.MAX_TEMPLATE_BYTES + 1)
            actions.templates.upload_template(acting_user(request), kind, content)
        except actions.templates.TemplateError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Template checked and saved."))
    return redirect("documents-templates")


def paper_response(paper: Any, file_format: str, name: str) -> HttpResponse:
    """A paper as a PDF or Word download; without PDF support, a plain explanation."""
    try:
        content = render.to_pdf(paper) if file_format == "pdf" else render.to_docx(paper)
    except render.PdfUnavailable as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(
        content, content_type="application/pdf" if file_format == "pdf" else DOCX
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    response["Cache-Control"] = "no-store"
    return response
