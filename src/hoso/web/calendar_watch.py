"""The worker's check of the working-day calendar (a pass of `hoso worker`, notices.passes).

The calendar is recorded for its covered years only (workcal.service). When the longest
deadline the apps compute, started today, can end in a year that is not covered, that year's
holidays must be entered: the pass logs a warning, prints it in the worker's output and tells
each installation-wide administrator (those who edit the calendar) once per year missing, in
their notifications. The calendar page says the same until the year is entered.

It lives here, above workcal and notices, which may not import each other.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.notices.due import tell_once
from hoso.workcal import service

logger = logging.getLogger(__name__)


def calendar_administrators() -> list[int]:
    """The accounts that edit the calendar: the configuration on a root of the tree."""
    candidates = policy.users_who_may(policy.Action.CONFIG_MANAGE)
    return [u.pk for u in candidates if policy.national(u, policy.Action.CONFIG_MANAGE)]


def calendar_pass() -> str:
    today = timezone.localdate()
    horizon = service.horizon_days()
    gap = service.coverage_gap(today, horizon)
    if gap is None:
        return ""
    logger.warning(
        "working-day calendar: %s is not covered (last covered: %s); deadlines started today "
        "reach %s (%d days): import %s's holidays on the calendar page",
        gap.year,
        gap.last_covered,
        gap.reaches.isoformat(),
        horizon,
        gap.year,
    )
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "The working-day calendar of %(year)d is not entered: deadlines started from now on "
            "can reach %(reaches)s and are counted on weekends only. Import %(year)d's holidays "
            "and substituted days."
        ) % {"year": gap.year, "reaches": f"{gap.reaches:%d/%m/%Y}"}
    told = tell_once(
        calendar_administrators(),
        f"calendar:uncovered:{gap.year}",
        text,
        f"{reverse('calendar-import')}",
    )
    return (
        f"WARNING {gap.year} not covered (last covered {gap.last_covered}), deadlines reach "
        f"{gap.reaches.isoformat()}: import the year on /calendar/import/; "
        f"{told} administrators told"
    )
