"""The form fields every app shares: classifications within the user's clearance, dates and
numbers within a plausible range (organizations within the user's scope: `hoso.orgs.forms`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from hoso.access.roles import Clearance
from hoso.lib import bounds


class DateInput(forms.DateInput):
    input_type = "date"


class DateField(forms.DateField):
    """A date typed into a form, refused outside a plausible range (`hoso.lib.bounds`): not
    before `earliest` (1900; 1930 for Party documents), not more than `future` after today
    (a year; nothing for a date of birth)."""

    widget = DateInput

    def __init__(
        self,
        *,
        earliest: dt.date = bounds.EARLIEST,
        future: dt.timedelta = bounds.FUTURE,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.earliest, self.future = earliest, future

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        low, high = bounds.date_range(timezone.localdate(), self.earliest, self.future)
        if not low <= value <= high:
            raise forms.ValidationError(
                _("Enter a date from %(low)s to %(high)s."),
                code="out_of_range",
                params={"low": date_format(low, "d/m/Y"), "high": date_format(high, "d/m/Y")},
            )


def bounded_dates(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """`formfield_callback` of model forms: their date fields are `DateField`s too."""
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        field: forms.Field | None = db_field.formfield(form_class=DateField, **kwargs)
        return field
    return db_field.formfield(**kwargs)


def set_range(
    form: forms.BaseForm,
    name: str,
    *,
    earliest: dt.date | None = None,
    future: dt.timedelta | None = None,
) -> None:
    """Change the plausible range of a form's date field (a passport expires years ahead)."""
    field = form.fields[name]
    assert isinstance(field, DateField)
    field.earliest = earliest or field.earliest
    field.future = field.future if future is None else future


def bound_number(form: forms.BaseForm, name: str, low: int, high: int) -> None:
    """Bound a form's whole-number field (a model form's year or page count): more than a
    PostgreSQL smallint holds is a database error there, and implausible anywhere."""
    field = form.fields[name]
    assert isinstance(field, forms.IntegerField)
    field.min_value, field.max_value = low, high
    field.validators.extend([MinValueValidator(low), MaxValueValidator(high)])
    field.widget.attrs.update({"min": low, "max": high})


class ClassificationField(forms.TypedChoiceField):
    """A secrecy level, up to a ceiling (the user's clearance, see `limit_classification`):
    only those levels are offered, and a higher one posted anyway is a form error that says
    why, not a refusal page after the form."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("coerce", int)
        self.levels: list[tuple[Any, Any]] = list(kwargs.pop("choices", Clearance.choices))
        super().__init__(choices=self.levels, **kwargs)
        self.ceiling = max(Clearance.values)

    def limit_to(self, ceiling: int) -> None:
        self.ceiling = ceiling
        self.choices = [(v, label) for v, label in self.levels if v == "" or int(v) <= ceiling]

    def valid_value(self, value: Any) -> bool:
        # Every level is a valid choice here; one above the ceiling fails in clean() instead.
        return str(value) in {str(v) for v in Clearance.values} or super().valid_value(value)

    def clean(self, value: Any) -> Any:
        level = super().clean(value)
        if isinstance(level, int) and level > self.ceiling:
            raise forms.ValidationError(
                _("This classification is above your clearance (%(clearance)s)."),
                code="clearance",
                params={"clearance": Clearance(self.ceiling).label},
            )
        return level


def limit_classification(form: forms.BaseForm, field: str, user: Any) -> None:
    """Offer only the levels up to the user's clearance."""
    choice = form.fields[field]
    assert isinstance(choice, ClassificationField)
    choice.limit_to(int(getattr(user, "clearance", Clearance.NONE)))
