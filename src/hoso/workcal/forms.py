"""The calendar's form: a holiday or a substituted working day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from hoso.access.forms import bounded_dates, set_range
from hoso.workcal.models import SpecialDay


class DayForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = SpecialDay
        formfield_callback = bounded_dates
        fields = ["date", "kind", "name", "confirmed"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Next year's holidays are announced late in the year: up to two years ahead.
        set_range(self, "date", future=dt.timedelta(days=2 * 366))
