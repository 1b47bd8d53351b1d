"""Registers on screen and as Excel; each view or export is an audited read."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hoso.access import policy
from hoso.audit import events
from hoso.audit.chain import record
from hoso.documents import papers
from hoso.documents.render import shipped_template_sha256
from hoso.documents.views import paper_response
from hoso.lib import excel, query, replica
from hoso.orgs.models import Organization
from hoso.people import aggregates
from hoso.people.models import Dimension
from hoso.people.registers import MAX_ROWS, REGISTERS, Register


@replica.served
def register_view(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in REGISTERS:
        raise Http404
    paths = policy.scope_paths(request.user, policy.Action.MEMBER_VIEW)
    if not paths:
        raise Http404
    visible = Organization.objects.visible_to(request.user, policy.Action.MEMBER_VIEW)
    code = request.GET.get("org", "").strip().upper()
    org = visible.filter(code=code).first() if code else visible.filter(path=paths[0]).first()
    if org is None:
        raise Http404
    register, build = REGISTERS[kind]
    held = aggregates.records(org) if kind == "members" else 0
    if held > MAX_ROWS:
        return _too_large(request, register, org, held)
    year = query.year(request.GET, default=0) if kind == "transfers" else 0
    rows = build(org, year) if year else build(org)
    too_many = len(rows) > MAX_ROWS
    rows = rows[:MAX_ROWS]
    file_format = request.GET.get("format", "")
    wants_excel = file_format == "xlsx"
    record(
        (events.REGISTER_EXPORTED if file_format else events.REGISTER_VIEWED).code,
        actor=request.user,
        organization=org,
        details={
            "register": register.code,
            "rows": len(rows),
            "format": file_format,
            "template_sha256": shipped_template_sha256(file_format),
        },
    )
    if wants_excel:
        content = excel.write_table(register.title, register.columns, rows)
        stamp = timezone.localtime().strftime("%Y%m%d")
        response = HttpResponse(content, content_type=excel.CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{kind}-{org.code}-{stamp}.xlsx"'
        return response
    table = [[getter(row) for _, getter in register.columns] for row in rows]
    if file_format in {"pdf", "docx"}:
        return paper_response(
            papers.from_table(
                org,
                kind=register.title,
                summary=f"({register.code})",
                headers=[name for name, _ in register.columns],
                rows=table,
                date=timezone.localdate(),
                landscape=len(register.columns) > 8,
            ),
            file_format,
            f"{kind}-{org.code}",
        )
    return render(
        request,
        "people/register.html",
        {
            "register": register,
            "org": org,
            "kind": kind,
            "headers": [name for name, _ in register.columns],
            "table": table,
            "too_many": too_many,
            "query": request.GET.urlencode(),
        },
    )


def _too_large(
    request: HttpRequest, register: Register, org: Organization, records: int
) -> HttpResponse:
    """A register is kept per base organization: a larger scope is answered at once from the
    exact counts (nothing of the members is read), with the units below it to choose from."""
    below = list(Organization.objects.get_children(org))
    held = aggregates.counts_of([unit.pk for unit in below], Dimension.STATUS)
    return render(
        request,
        "people/register_too_large.html",
        {
            "register": register,
            "org": org,
            "records": records,
            "limit": MAX_ROWS,
            "below": [(unit, sum(held.get(unit.pk, {}).values())) for unit in below],
        },
    )
