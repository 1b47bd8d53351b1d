"""`{% provisional due_on %}`: the mark of a due date counted past the covered years of the
working-day calendar (workcal.service), after the date wherever a page shows one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from hoso.workcal import service

register = template.Library()

_KEY = "workcal.covered_years"


@register.simple_tag(takes_context=True)
def provisional(context: Any, due_on: dt.date | None, unit: str = "working") -> SafeString | str:
    """The mark, or "" (no date, a calendar-day period, or a year whose calendar is recorded).
    The covered years are read once per page, however many rows show a date."""
    if not isinstance(due_on, dt.date) or unit == "calendar":
        return ""
    root = context.render_context.dicts[0]  # shared by the page and its includes
    if _KEY not in root:
        root[_KEY] = service.covered_years()
    if due_on.year in root[_KEY]:
        return ""
    text = _("provisional — the working-day calendar of %(year)s is not entered yet") % {
        "year": due_on.year
    }
    return format_html(
        ' <span class="provisional error" data-testid="provisional" title="{}">({})</span>',
        _("Counted on weekends only: holidays of that year are not recorded."),
        text,
    )
