"""Reading report figures and the records behind them, with each read recorded: which
indicators, organization and period (how many records, never who)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.lib import query
from hoso.lib.periods import Period
from hoso.orgs.models import Organization
from hoso.reports import compute
from hoso.reports.indicators import Indicator

DRILL_LIMIT = 500  # rows shown on a drill-down page; the count above it is exact


def figures(
    actor: User,
    org: Organization,
    period: Period,
    indicators: list[Indicator],
    *,
    parts: bool = False,
    via: str = "",
) -> list[compute.Figure]:
    found = [compute.compute(actor, ind, org, period, parts=parts) for ind in indicators]
    details: dict[str, Any] = {"period": period.key, "indicators": [i.code for i in indicators]}
    sensitive = [i.code for i in indicators if i.sensitive]
    if sensitive:
        details["sensitive"] = sensitive
    if via:
        details["via"] = via
    record(events.REPORT_VIEWED.code, actor=actor, organization=org, details=details)
    return found


def drill(
    actor: User,
    indicator: Indicator,
    org: Organization,
    period: Period,
    *,
    value: str | None = None,
    here: bool = False,
    via: str = "",
) -> tuple[int, list[Any]]:
    """The records that make one figure (of one category, or kept at `org` itself rather than
    below it): their exact number and the first DRILL_LIMIT of them."""
    qs = narrowed(actor, indicator, org, period, value=value, here=here)
    count = qs.count()
    rows = list(qs.order_by("pk")[:DRILL_LIMIT])
    details: dict[str, Any] = {"period": period.key, "indicator": indicator.code, "count": count}
    if value is not None:
        details["value"] = value
    if here:
        details["here"] = True
    if via:
        details["via"] = via
    record(events.REPORT_RECORDS_LISTED.code, actor=actor, organization=org, details=details)
    return count, rows


def narrowed(
    actor: User,
    indicator: Indicator,
    org: Organization,
    period: Period,
    *,
    value: str | None,
    here: bool,
) -> QuerySet[Any]:
    qs = compute.records(actor, indicator, org, period)
    if here:
        qs = qs.filter(**{indicator.path: org.path})
    if value is None or not indicator.by:
        return qs
    missing = Q(**{f"{indicator.by}__isnull": True})
    try:
        if value == "":
            return qs.filter(missing | Q(**{indicator.by: ""}))
        return qs.filter(**{indicator.by: value})
    except (ValueError, TypeError, ValidationError):  # a number expected: blank means none
        if value == "":
            return qs.filter(missing)
        raise query.BadParameter("value", _("“value” is not a category of this figure.")) from None
