"""The calendar's form: a holiday or a substituted working day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

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


MAX_UPLOAD = 1024 * 1024  # a year's calendar is a few kilobytes


def import_years(today: dt.date) -> list[int]:
    """The years a file may bring: last year (corrections) to two years ahead."""
    return list(range(today.year - 1, today.year + 3))


class ImportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    file = forms.FileField(
        label=_("File (.xlsx or .csv) made from the template"),
        help_text=_("Columns: Date (dd/mm/yyyy), Kind (nghỉ lễ, nghỉ bù or làm bù), Name."),
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(y, str(y)) for y in import_years(today)]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Only .xlsx or .csv files made from the template."))
        return upload
