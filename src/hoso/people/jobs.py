"""People's background jobs: the member list exported for a scope too large to wait for."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.jobs.runner import Run, define
from hoso.lib import excel
from hoso.people import exports
from hoso.people.filters import MemberFilterForm
from hoso.people.models import Member

MEMBER_LIST = "Danh sách đảng viên"


@define(sensitive=True)
def export_members(run: Run, filters: dict[str, str]) -> None:
    """The member list with the page's filters, as the owner sees it when the job runs (a grant
    removed in between narrows it, or refuses it)."""
    owner = run.owner
    if not policy.scope_paths(owner, policy.Action.MEMBER_VIEW):
        raise PermissionDenied
    form = MemberFilterForm(filters)
    qs = form.apply(Member.objects.visible_to(owner), owner)
    run.progress(0, 0, _("Counting the members…"))
    total = min(qs.count(), exports.EXPORT_LIMIT)
    chosen = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    content = exports.workbook(
        owner,
        exports.ordered(qs.select_related("person", "organization")),
        MEMBER_LIST,
        "dang-vien",
        {**chosen, "job": run.job.pk},
        counted=lambda rows: run.each(rows, total, _("Writing the rows…")),
    )
    run.save(content, exports.filename("dang-vien"), excel.CONTENT_TYPE)
