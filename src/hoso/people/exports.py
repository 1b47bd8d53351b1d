"""The member list as an Excel workbook: the one writer of the page's download and of the
background job that makes it for a large scope (`people/jobs.py`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from hoso.audit import events
from hoso.audit.chain import record
from hoso.lib import excel
from hoso.people.models import Member

EXPORT_LIMIT = 200_000

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


def ordered(qs: QuerySet[Member]) -> Iterator[Member]:
    """The rows of an export, in list order, at most EXPORT_LIMIT."""
    return qs.order_by("sort_key", "id")[:EXPORT_LIMIT].iterator(chunk_size=2000)


def workbook(
    actor: Any,
    rows: Iterable[Member],
    title: str,
    slug: str,
    details: dict[str, Any],
    *,
    counted: Callable[[Iterable[Member]], Iterable[Member]] | None = None,
) -> bytes:
    """The .xlsx of `rows`, its read audited as the actor's. Sensitive fields are not exported.
    `counted` wraps the rows as they are written (a job's progress)."""
    record(
        events.MEMBERS_EXPORTED.code,
        actor=actor,
        organization=getattr(actor, "organization", None),
        details={"list": slug, **details},
    )
    return excel.write_table(title, EXPORT_COLUMNS, counted(rows) if counted else rows)


def filename(slug: str) -> str:
    return f"{slug}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
